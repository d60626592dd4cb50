import path from 'node:path';
import { z } from 'zod';
import type { ConversationContext } from '../core/answer-engine.js';
import { DocentError } from '../core/errors.js';
import { JsonStateFile } from '../core/json-state-file.js';

/** What an answer posted in a channel may use: documents every member may read, or documents open to everyone. */
export type AudienceMode = 'common' | 'public';

/** Where a setting applies: one channel, or every channel of a Slack workspace or Teams team. */
export type ChannelScope = 'channel' | 'team';

const settingSchema = z
  .object({
    /** `slack` or `teams` (any platform name a chat surface reports). */
    platform: z.string().min(1),
    scope: z.enum(['channel', 'team']),
    /** The platform's channel id (C0123ABCD, a Teams conversation id) or team/workspace id. */
    id: z.string().min(1),
    /** Only these sources answer there; every source when unset. */
    sourceIds: z.array(z.string().min(1)).min(1).optional(),
    /** What answers posted there may use; the deployment's `channels.defaultAudience` when unset. */
    audience: z.enum(['common', 'public']).optional(),
    updatedAt: z.string(),
  })
  .strict();

export type ChannelSetting = z.infer<typeof settingSchema>;
export type ChannelSettingKey = Pick<ChannelSetting, 'platform' | 'scope' | 'id'>;

const fileSchema = z.object({ version: z.literal(1), channels: z.array(settingSchema) }).strict();

function sameKey(a: ChannelSettingKey, b: ChannelSettingKey): boolean {
  return a.platform === b.platform && a.scope === b.scope && a.id === b.id;
}

function normalizedKey(key: ChannelSettingKey): ChannelSettingKey {
  // Platform names are ours to spell; channel and team ids are the platform's and keep their case.
  return { platform: key.platform.trim().toLowerCase(), scope: key.scope, id: key.id.trim() };
}

/**
 * Which sources a channel or team may answer from, and what its answers may use: a small
 * JSON file in the data directory (`state/channels.json`), written atomically so a
 * serving process never reads half a file. The serving process re-reads it when it
 * changes, so `docent channels set` takes effect without a restart.
 */
export class ChannelSettingsStore {
  private readonly state: JsonStateFile<z.infer<typeof fileSchema>>;

  constructor(readonly file: string) {
    this.state = new JsonStateFile(file, fileSchema, { contents: 'the channel settings', remedy: 'fix or remove the file, or set them again with `docent channels set`' });
  }

  static in(dataDirectory: string): ChannelSettingsStore {
    return new ChannelSettingsStore(path.join(dataDirectory, 'state', 'channels.json'));
  }

  async list(): Promise<ChannelSetting[]> {
    return (await this.state.read())?.channels ?? [];
  }

  /** Replaces the setting of one channel or team with exactly what is given. */
  async set(setting: ChannelSettingKey & { sourceIds?: string[]; audience?: AudienceMode }): Promise<ChannelSetting> {
    const key = normalizedKey(setting);
    if (!key.platform || !key.id) throw new DocentError('invalid_request', 'a channel setting needs a platform and an id');
    const sourceIds = setting.sourceIds ? [...new Set(setting.sourceIds.map((id) => id.trim()).filter(Boolean))] : undefined;
    if (sourceIds?.length === 0) throw new DocentError('invalid_request', 'name at least one source, or leave sources out to allow every source');
    if (!sourceIds && !setting.audience) throw new DocentError('invalid_request', 'nothing to set: give sources, an audience, or both (use remove to go back to the defaults)');
    const stored: ChannelSetting = { ...key, ...(sourceIds ? { sourceIds } : {}), ...(setting.audience ? { audience: setting.audience } : {}), updatedAt: new Date().toISOString() };
    await this.update((settings) => [...settings.filter((existing) => !sameKey(existing, key)), stored]);
    return stored;
  }

  /** Whether there was a setting to remove. */
  async remove(key: ChannelSettingKey): Promise<boolean> {
    const normalized = normalizedKey(key);
    let removed = false;
    await this.update((settings) => {
      removed = settings.some((existing) => sameKey(existing, normalized));
      return settings.filter((existing) => !sameKey(existing, normalized));
    });
    return removed;
  }

  /** The setting for where a question was asked: the channel's own, else its team's. */
  async find(conversation: Pick<ConversationContext, 'platform' | 'channelId' | 'teamId'>): Promise<ChannelSetting | undefined> {
    const settings = await this.list();
    const platform = conversation.platform.toLowerCase();
    const lookup = (scope: ChannelScope, id: string | undefined) => (id ? settings.find((setting) => sameKey(setting, { platform, scope, id })) : undefined);
    return lookup('channel', conversation.channelId) ?? lookup('team', conversation.teamId);
  }

  private async update(change: (settings: ChannelSetting[]) => ChannelSetting[]): Promise<void> {
    await this.state.update((current) => ({
      version: 1,
      channels: change(current?.channels ?? []).sort((a, b) => a.platform.localeCompare(b.platform) || a.scope.localeCompare(b.scope) || a.id.localeCompare(b.id)),
    }));
  }
}
