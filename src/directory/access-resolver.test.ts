import { describe, expect, it } from 'vitest';
import type { ConversationContext } from '../core/answer-engine.js';
import type { ChatIdentity, Directory, ResolvedIdentity } from '../core/directory.js';
import { DocentError } from '../core/errors.js';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { AccessResolver } from './access-resolver.js';
import { ChannelPolicyResolver } from './channel-policy.js';
import { ChannelSettingsStore } from './channel-settings-store.js';

/** A directory that knows people by Slack id, fails for some, and records lookups. */
class FakeDirectory implements Directory {
  readonly lookups: string[] = [];
  constructor(
    readonly kind: string,
    private readonly people: Record<string, string[]>,
    private readonly failing = new Set<string>(),
  ) {}
  async resolve(identity: ChatIdentity): Promise<ResolvedIdentity> {
    this.lookups.push(identity.userId);
    if (this.failing.has(identity.userId)) throw new DocentError('directory_unavailable', 'the LDAP directory at ldap://dc1 could not be searched: connect ECONNREFUSED');
    const groups = this.people[identity.userId];
    return groups ? { found: true, principals: [`user:${identity.userId.toLowerCase()}`, ...groups] } : { found: false, principals: [] };
  }
  async close(): Promise<void> {}
}

const people = { U1: ['group:hr'], U2: ['group:engineering'], U3: ['group:engineering'], U4: ['group:hr'] };
const slack = (userId: string): ChatIdentity => ({ platform: 'slack', userId });
const channel: ConversationContext = { platform: 'slack', channelId: 'C1', teamId: 'T1', visibility: 'shared' };

async function resolverWith(directory: Directory, options: { defaultAudience?: 'common' | 'public'; maximumCommonMembers?: number } = {}) {
  const store = ChannelSettingsStore.in(await temporaryDirectory());
  const warnings: string[] = [];
  const resolver = new AccessResolver(directory, new ChannelPolicyResolver(store, { defaultAudience: options.defaultAudience ?? 'common' }), {
    maximumCommonMembers: options.maximumCommonMembers ?? 100,
    warn: (message) => warnings.push(message),
  });
  return { resolver, store, warnings };
}

describe('AccessResolver', () => {
  it("gives a private question the asker's principals and nothing else", async () => {
    const { resolver } = await resolverWith(new FakeDirectory('static', people));
    const question = await resolver.question({ text: 'q', asker: slack('U1'), conversation: { platform: 'slack', channelId: 'D1', visibility: 'private' } });
    expect(question).toEqual({ text: 'q', asker: { id: 'slack:U1', principals: ['user:u1', 'group:hr'] }, conversation: { platform: 'slack', channelId: 'D1', visibility: 'private' } });
  });

  it('fails closed when the directory cannot be reached, says so to the asker and logs the reason', async () => {
    const { resolver, warnings } = await resolverWith(new FakeDirectory('ldap', people, new Set(['U1'])));
    const question = await resolver.question({ text: 'q', asker: slack('U1'), conversation: { platform: 'slack', visibility: 'private' } });
    expect(question.asker.principals).toEqual([]);
    expect(question.accessNotice).toMatch(/groups could not be looked up .* only documents open to everyone/);
    expect(question.accessNotice).not.toContain('ECONNREFUSED');
    expect(warnings[0]).toContain('ECONNREFUSED');
  });

  it('tells a person the directory does not know, unless no directory is configured', async () => {
    const configured = await resolverWith(new FakeDirectory('static', people));
    expect((await configured.resolver.asker(slack('U9'))).notice).toMatch(/not in the directory/);
    const none = await resolverWith(new FakeDirectory('none', {}));
    expect((await none.resolver.asker(slack('U9'))).notice).toBeUndefined();
  });

  it("gives a shared answer every member's principals, one set per distinct combination", async () => {
    const directory = new FakeDirectory('static', { ...people, U5: ['group:hr'], U6: ['group:hr'] });
    const { resolver } = await resolverWith(directory);
    let listed = 0;
    const members = async () => {
      listed++;
      return ['U1', 'U2', 'U3', 'U4'].map(slack);
    };
    const question = await resolver.question({ text: 'q', asker: slack('U1'), conversation: channel, members });
    expect(listed).toBe(1);
    expect(question.audience).toEqual({ members: [['group:hr', 'user:u1'], ['group:engineering', 'user:u2'], ['group:engineering', 'user:u3'], ['group:hr', 'user:u4']] });
    expect(question.accessNotice).toBeUndefined();
  });

  it('narrows a shared answer to public documents when a member is unknown or unresolvable, saying why', async () => {
    const { resolver } = await resolverWith(new FakeDirectory('ldap', people, new Set(['U4'])));
    const withGuest = await resolver.question({ text: 'q', asker: slack('U1'), conversation: channel, members: async () => ['U1', 'U2', 'GUEST'].map(slack) });
    expect((withGuest.audience as { members: string[][] }).members).toContainEqual([]);
    expect(withGuest.accessNotice).toMatch(/1 member\(s\) of this conversation are not in the directory/);
    const withFailure = await resolver.question({ text: 'q', asker: slack('U1'), conversation: channel, members: async () => ['U1', 'U4'].map(slack) });
    expect((withFailure.audience as { members: string[][] }).members).toContainEqual([]);
    expect(withFailure.accessNotice).toMatch(/could not be looked up/);
  });

  it('uses public documents only when the channel says so, the members cannot be listed, or there are too many', async () => {
    const directory = new FakeDirectory('static', people);
    const { resolver, store } = await resolverWith(directory, { maximumCommonMembers: 3 });
    const cannotList = await resolver.question({ text: 'q', asker: slack('U1'), conversation: channel });
    expect(cannotList).toMatchObject({ audience: 'public', accessNotice: expect.stringMatching(/cannot see who is in this conversation/) });
    const failing = await resolver.question({ text: 'q', asker: slack('U1'), conversation: channel, members: () => Promise.reject(new Error('missing_scope')) });
    expect(failing.audience).toBe('public');
    const crowded = await resolver.question({ text: 'q', asker: slack('U1'), conversation: channel, members: async () => ['U1', 'U2', 'U3', 'U4'].map(slack) });
    expect(crowded).toMatchObject({ audience: 'public', accessNotice: expect.stringMatching(/more than 3 members/) });

    await store.set({ platform: 'slack', scope: 'channel', id: 'C1', audience: 'public' });
    directory.lookups.length = 0;
    const configured = await resolver.question({ text: 'q', asker: slack('U1'), conversation: channel, members: async () => ['U2'].map(slack) });
    expect(configured.audience).toBe('public');
    expect(configured.accessNotice).toBeUndefined();
    expect(directory.lookups).toEqual(['U1']);
  });

  it("narrows the asker's sources to the channel's, down to none when they have nothing in common", async () => {
    const { resolver, store } = await resolverWith(new FakeDirectory('static', people));
    await store.set({ platform: 'slack', scope: 'team', id: 'T1', sourceIds: ['folder:hr', 'folder:handbook'] });
    const dm = { platform: 'slack', channelId: 'D1', teamId: 'T1', visibility: 'private' as const };
    expect((await resolver.question({ text: 'q', asker: slack('U1'), conversation: dm })).sourceIds).toEqual(['folder:hr', 'folder:handbook']);
    expect((await resolver.question({ text: 'q', asker: slack('U1'), conversation: dm, sourceIds: ['folder:hr', 'folder:wiki'] })).sourceIds).toEqual(['folder:hr']);
    expect((await resolver.question({ text: 'q', asker: slack('U1'), conversation: dm, sourceIds: ['folder:wiki'] })).sourceIds).toEqual([]);
    expect((await resolver.question({ text: 'q', asker: slack('U1'), conversation: { platform: 'slack', channelId: 'D2', visibility: 'private' }, sourceIds: ['folder:wiki'] })).sourceIds).toEqual(['folder:wiki']);
  });

  it('applies the channel to a question whose asker a surface resolved itself, keeping its notice', async () => {
    const { resolver, store } = await resolverWith(new FakeDirectory('static', people));
    await store.set({ platform: 'slack', scope: 'channel', id: 'C1', sourceIds: ['folder:hr'] });
    const question = await resolver.forConversation(
      { text: 'q', asker: { id: 'U1', principals: ['user:u1'] }, conversation: channel, accessNotice: 'Your groups could not be looked up just now.' },
      async () => [slack('U2'), slack('GUEST')],
    );
    expect(question.sourceIds).toEqual(['folder:hr']);
    expect(question.audience).toEqual({ members: [['group:engineering', 'user:u2'], []] });
    expect(question.accessNotice).toMatch(/^Your groups could not be looked up just now\. 1 member\(s\) of this conversation are not in the directory/);
  });
});
