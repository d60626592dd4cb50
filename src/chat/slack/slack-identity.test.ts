import type { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { DocentError } from '../../core/errors.js';
import { directoryUnavailableNotice, SlackIdentities } from './slack-identity.js';

/** The one Web API method identities use, recording its calls. */
function fakeClient(users: Record<string, string | undefined>, fail = false): { client: webApi.WebClient; calls: string[] } {
  const calls: string[] = [];
  const client = {
    users: {
      info: async ({ user }: { user: string }) => {
        calls.push(user);
        if (fail) throw Object.assign(new Error('An API error occurred: missing_scope'), { data: { ok: false, error: 'missing_scope' } });
        return { ok: true, user: { id: user, profile: users[user] ? { email: users[user] } : {} } };
      },
    },
  } as unknown as webApi.WebClient;
  return { client, calls };
}

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('SlackIdentities', () => {
  it('gives the Slack id and the profile e-mail as principals, plus the directory\'s groups, and caches the e-mail', async () => {
    const { client, calls } = fakeClient({ UANN: 'Ann@Acme.example' });
    const seen: unknown[] = [];
    const identities = new SlackIdentities({ logger: quiet, resolvePrincipals: async (identity) => (seen.push(identity), ['group:hr']) });
    const first = await identities.askerFor(client, 'UANN', 'T1');
    const second = await identities.askerFor(client, 'UANN', 'T1');
    expect(first).toEqual({ asker: { id: 'slack:UANN', principals: ['user:uann', 'user:ann@acme.example', 'group:hr'] }, identity: { platform: 'slack', userId: 'UANN', email: 'Ann@Acme.example' } });
    expect(second).toEqual(first);
    expect(calls).toEqual(['UANN']);
    expect(seen).toEqual([first.identity, first.identity]);
  });

  it('answers without the e-mail when users.info fails, and asks again next time', async () => {
    const { client, calls } = fakeClient({}, true);
    const identities = new SlackIdentities({ logger: quiet });
    expect((await identities.askerFor(client, 'UBOB', 'T1')).asker).toEqual({ id: 'slack:UBOB', principals: ['user:ubob'] });
    await identities.askerFor(client, 'UBOB', 'T1');
    expect(calls).toEqual(['UBOB', 'UBOB']);
  });

  it('fails closed when the directory is down: no groups, and a notice for the answer', async () => {
    const { client } = fakeClient({ UANN: 'ann@acme.example' });
    const identities = new SlackIdentities({ logger: quiet, resolvePrincipals: async () => Promise.reject(new DocentError('directory_unavailable', 'LDAP timed out')) });
    expect(await identities.askerFor(client, 'UANN', 'T1')).toMatchObject({ asker: { principals: ['user:uann', 'user:ann@acme.example'] }, accessNotice: directoryUnavailableNotice });
  });
});
