import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { slackSchema } from '../../config/schema.js';

const manifestPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../deploy/slack-app-manifest.yaml');

interface Manifest {
  features: { slash_commands: Array<{ command: string }>; app_home: { messages_tab_enabled: boolean } };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: { event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean }; socket_mode_enabled: boolean };
}

/** The manifest an admin uploads must ask for what the code uses, and for nothing more. */
describe('deploy/slack-app-manifest.yaml', () => {
  const manifest = parse(readFileSync(manifestPath, 'utf8')) as Manifest;

  it('subscribes to the events the surface listens for, with their scopes and no others', () => {
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(['app_mention', 'member_joined_channel', 'member_left_channel', 'message.channels', 'message.groups', 'message.im']);
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(['app_mentions:read', 'channels:history', 'channels:read', 'chat:write', 'commands', 'groups:history', 'groups:read', 'im:history', 'users:read', 'users:read.email']);
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it('declares the default slash command, buttons and Socket Mode, and lets people write to the bot', () => {
    expect(manifest.features.slash_commands.map((command) => command.command)).toEqual([slackSchema.parse({}).command]);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(slackSchema.parse({}).mode === 'socket');
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
  });
});
