import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { ChannelPolicyResolver } from './channel-policy.js';
import { ChannelSettingsStore } from './channel-settings-store.js';

describe('ChannelSettingsStore', () => {
  it('sets, lists and removes settings in one JSON file that another process sees change', async () => {
    const dataDirectory = await temporaryDirectory();
    const store = ChannelSettingsStore.in(dataDirectory);
    expect(await store.list()).toEqual([]);
    await store.set({ platform: 'Slack', scope: 'channel', id: 'C0HR', sourceIds: ['folder:hr', 'folder:hr'], audience: 'public' });
    await store.set({ platform: 'slack', scope: 'team', id: 'T0ACME', sourceIds: ['folder:handbook'] });
    await store.set({ platform: 'teams', scope: 'channel', id: '19:abc@thread.tacv2', audience: 'common' });

    const reader = ChannelSettingsStore.in(dataDirectory);
    expect((await reader.list()).map(({ updatedAt: _, ...setting }) => setting)).toEqual([
      { platform: 'slack', scope: 'channel', id: 'C0HR', sourceIds: ['folder:hr'], audience: 'public' },
      { platform: 'slack', scope: 'team', id: 'T0ACME', sourceIds: ['folder:handbook'] },
      { platform: 'teams', scope: 'channel', id: '19:abc@thread.tacv2', audience: 'common' },
    ]);
    const onDisk = JSON.parse(await readFile(store.file, 'utf8')) as { version: number; channels: unknown[] };
    expect(onDisk.version).toBe(1);
    expect(onDisk.channels).toHaveLength(3);

    // Setting again replaces the whole setting.
    await store.set({ platform: 'slack', scope: 'channel', id: 'C0HR', sourceIds: ['folder:hr-2025'] });
    const replaced = await reader.find({ platform: 'slack', channelId: 'C0HR' });
    expect(replaced?.sourceIds).toEqual(['folder:hr-2025']);
    expect(replaced?.audience).toBeUndefined();

    expect(await store.remove({ platform: 'slack', scope: 'channel', id: 'C0HR' })).toBe(true);
    expect(await store.remove({ platform: 'slack', scope: 'channel', id: 'C0HR' })).toBe(false);
    expect(await reader.list()).toHaveLength(2);
  });

  it("finds the channel's own setting first, then its team's", async () => {
    const store = ChannelSettingsStore.in(await temporaryDirectory());
    await store.set({ platform: 'slack', scope: 'team', id: 'T1', sourceIds: ['folder:handbook'] });
    await store.set({ platform: 'slack', scope: 'channel', id: 'C1', audience: 'public' });
    const policies = new ChannelPolicyResolver(store, { defaultAudience: 'common' });
    expect(await policies.policyFor({ platform: 'slack', channelId: 'C1', teamId: 'T1', visibility: 'shared' })).toEqual({ audience: 'public' });
    expect(await policies.policyFor({ platform: 'slack', channelId: 'C2', teamId: 'T1', visibility: 'shared' })).toEqual({ audience: 'common', sourceIds: ['folder:handbook'] });
    expect(await policies.policyFor({ platform: 'teams', channelId: 'C1', visibility: 'shared' })).toEqual({ audience: 'common' });
    expect(await policies.policyFor(undefined)).toEqual({ audience: 'common' });
  });

  it('refuses an empty setting and names a damaged file', async () => {
    const store = ChannelSettingsStore.in(await temporaryDirectory());
    await expect(store.set({ platform: 'slack', scope: 'channel', id: 'C1' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(store.set({ platform: 'slack', scope: 'channel', id: 'C1', sourceIds: [' '] })).rejects.toMatchObject({ code: 'invalid_request' });
    await store.set({ platform: 'slack', scope: 'channel', id: 'C1', audience: 'public' });
    await writeFile(store.file, '{"version": 1, "channels": [{"platform": "slack"}]}');
    await expect(store.find({ platform: 'slack', channelId: 'C1' })).rejects.toMatchObject({ code: 'config_invalid', message: expect.stringContaining(store.file) });
  });
});
