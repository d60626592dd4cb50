import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.js';
import { configSchema, slackSchema } from '../../config/schema.js';
import { readSlackSecrets, slackSurfaceEnabled } from './slack-secrets.js';

const emptyFile = path.join(mkdtempSync(path.join(tmpdir(), 'docent-slack-config-')), 'docent.yaml');
writeFileSync(emptyFile, '');

describe('Slack settings and secrets', () => {
  it('is on when a bot token is set, unless slack.enabled says otherwise', () => {
    const config = configSchema.parse({});
    expect(slackSurfaceEnabled(config, { DOCENT_SLACK_BOT_TOKEN: 'xoxb-1' })).toBe(true);
    expect(slackSurfaceEnabled(config, {})).toBe(false);
    expect(slackSurfaceEnabled({ ...config, slack: { ...config.slack, enabled: false } }, { DOCENT_SLACK_BOT_TOKEN: 'xoxb-1' })).toBe(false);
  });

  it('reads settings from DOCENT_SLACK_* variables, and secrets never as settings', () => {
    const config = loadConfig({
      file: emptyFile,
      environment: { DOCENT_SLACK_MODE: 'http', DOCENT_SLACK_HTTP_PORT: '8443', DOCENT_SLACK_UPDATE_INTERVAL_MS: '1500', DOCENT_SLACK_SIGNING_SECRET: 's3cret', DOCENT_SLACK_BOT_TOKEN: 'xoxb-1' },
    });
    expect(config.slack).toMatchObject({ mode: 'http', http: { host: '127.0.0.1', port: 8443, path: '/slack/events' }, updateIntervalMs: 1500, command: '/docent' });
    expect(JSON.stringify(config)).not.toContain('s3cret');
  });

  it('names the missing secret and what it is for', () => {
    expect(() => readSlackSecrets(slackSchema.parse({}), { DOCENT_SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/^DOCENT_SLACK_APP_TOKEN is not set: Socket Mode needs an app-level token/);
    expect(() => readSlackSecrets(slackSchema.parse({ mode: 'http' }), {})).toThrow(/^DOCENT_SLACK_BOT_TOKEN is not set/);
    expect(readSlackSecrets(slackSchema.parse({ mode: 'http' }), { DOCENT_SLACK_BOT_TOKEN: ' xoxb-1 ', DOCENT_SLACK_SIGNING_SECRET: 'abc' })).toEqual({ botToken: 'xoxb-1', signingSecret: 'abc' });
  });
});
