import type { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { SlackIdentities } from './slack-identity.js';
import { SlackMembers } from './slack-members.js';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** conversations.members in pages of `limit`, and users.info, over a fixed roster; records the calls. */
function fakeClient(memberIds: string[], profiles: Record<string, { email?: string; is_bot?: boolean; deleted?: boolean }>) {
  const calls: string[] = [];
  const client = {
    conversations: {
      members: async ({ limit, cursor }: { limit: number; cursor?: string }) => {
        calls.push(`conversations.members ${cursor ?? 0}`);
        const start = Number(cursor ?? 0);
        return { ok: true, members: memberIds.slice(start, start + limit), response_metadata: { next_cursor: start + limit < memberIds.length ? String(start + limit) : '' } };
      },
    },
    users: {
      info: async ({ user }: { user: string }) => {
        calls.push(`users.info ${user}`);
        if (!profiles[user]) throw new Error('user_not_found');
        const { email, ...flags } = profiles[user]!;
        return { ok: true, user: { id: user, ...flags, profile: email ? { email } : {} } };
      },
    },
  } as unknown as webApi.WebClient;
  return { client, calls };
}

describe('SlackMembers', () => {
  it('reads every page, leaves out bots and deactivated people, and keeps unreadable profiles by id', async () => {
    const ids = Array.from({ length: 450 }, (_, index) => `U${index}`);
    const profiles = Object.fromEntries(ids.map((id, index) => [id, index === 1 ? { is_bot: true } : index === 2 ? { deleted: true } : { email: `${id.toLowerCase()}@acme.example` }]));
    delete profiles.U3;
    const { client, calls } = fakeClient(ids, profiles);
    const members = await new SlackMembers(new SlackIdentities({ logger: quiet })).list(client, 'C1', 'T1', 1000);
    expect(calls.filter((call) => call.startsWith('conversations.members'))).toEqual(['conversations.members 0', 'conversations.members 200', 'conversations.members 400']);
    expect(members).toHaveLength(448);
    expect(members!.slice(0, 3)).toEqual([
      { platform: 'slack', userId: 'U0', email: 'u0@acme.example' },
      { platform: 'slack', userId: 'U3' },
      { platform: 'slack', userId: 'U4', email: 'u4@acme.example' },
    ]);
  });

  it('says nothing (undefined) for a channel larger than the maximum, and reuses a list until told to forget it', async () => {
    const { client, calls } = fakeClient(['U1', 'U2', 'U3'], { U1: {}, U2: {}, U3: {} });
    const members = new SlackMembers(new SlackIdentities({ logger: quiet }));
    expect(await members.list(client, 'C1', 'T1', 2)).toBeUndefined();
    await members.list(client, 'C1', 'T1', 10);
    await members.list(client, 'C1', 'T1', 10);
    members.forget('C1');
    await members.list(client, 'C1', 'T1', 10);
    expect(calls.filter((call) => call.startsWith('conversations.members'))).toHaveLength(3);
    expect(calls.filter((call) => call.startsWith('users.info'))).toHaveLength(3);
  });
});
