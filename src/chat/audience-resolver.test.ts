import { describe, expect, it } from 'vitest';
import type { ChatIdentity, Directory } from '../core/directory.js';
import { AccessResolver } from '../directory/access-resolver.js';
import type { ChannelPolicyResolver } from '../directory/channel-policy.js';
import { audienceResolverFor } from './audience-resolver.js';

const directory: Directory = {
  kind: 'static',
  async resolve(identity: ChatIdentity) {
    const groups: Record<string, string[]> = { ann: ['group:hr'], bob: ['group:sales'] };
    return { found: identity.userId in groups, principals: [`user:${identity.userId}`, ...(groups[identity.userId] ?? [])] };
  },
  async close() {},
};

function resolverWith(audience: 'common' | 'public', sourceIds?: string[]) {
  const channels = { policyFor: async () => ({ audience, ...(sourceIds ? { sourceIds } : {}) }) } as unknown as ChannelPolicyResolver;
  return audienceResolverFor(new AccessResolver(directory, channels, { maximumCommonMembers: 50 }), 2);
}

const conversation = { platform: 'slack', channelId: 'C1', visibility: 'shared' as const };

describe('audienceResolverFor', () => {
  it('gives a channel answer the principal sets of every member', async () => {
    const resolution = await resolverWith('common')({ conversation, listMembers: async () => [{ platform: 'slack', userId: 'ann' }, { platform: 'slack', userId: 'bob' }] });
    expect(resolution.audience).toEqual({ members: expect.arrayContaining([expect.arrayContaining(['group:hr']), expect.arrayContaining(['group:sales'])]) });
  });

  it('falls back to public documents, and says so, when the channel has more members than allowed', async () => {
    const resolution = await resolverWith('common')({ conversation, listMembers: async () => undefined });
    expect(resolution).toEqual({ audience: 'public', accessNotice: expect.stringContaining('more than 2 members') });
  });

  it('uses public documents without listing anyone when the channel policy says so', async () => {
    let listed = false;
    const resolution = await resolverWith('public')({
      conversation,
      listMembers: async () => {
        listed = true;
        return [];
      },
    });
    expect(resolution.audience).toBe('public');
    expect(listed).toBe(false);
  });

  it('passes on the sources an admin restricted the channel to', async () => {
    const resolution = await resolverWith('public', ['folder:hr'])({ conversation, listMembers: async () => [] });
    expect(resolution).toEqual({ audience: 'public', sourceIds: ['folder:hr'] });
  });
});
