import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocentAnswerEngine, type AnswerEngineOptions } from '../../src/answer/answer-engine.js';
import { directorySchema } from '../../src/config/schema.js';
import type { Answer } from '../../src/core/answer.js';
import type { ConversationContext } from '../../src/core/answer-engine.js';
import type { Chunk } from '../../src/core/chunk.js';
import type { ChatIdentity, Directory } from '../../src/core/directory.js';
import { writeFileAtomically } from '../../src/core/write-file-atomically.js';
import { AccessResolver, type IncomingQuestion } from '../../src/directory/access-resolver.js';
import { ChannelPolicyResolver } from '../../src/directory/channel-policy.js';
import { ChannelSettingsStore } from '../../src/directory/channel-settings-store.js';
import { createDirectory } from '../../src/directory/create-directory.js';
import { OpenAiCompatibleChatModel } from '../../src/models/openai-compatible-chat-model.js';
import { Retriever } from '../../src/retrieval/hybrid-search.js';
import { ChunkIndex } from '../../indexes/chunk-index.js';
import { baseDn, groups, people, sampleDirectory, serviceAccount } from '../fixtures/ldap-directory.js';
import type { HashingEmbedder } from '../support/hashing-embedder.js';
import { hashingIndexOf } from '../support/hashing-index.js';
import { startLdapStandIn, type LdapStandIn } from '../support/ldap-stand-in.js';
import { startOpenAiStandIn, type OpenAiStandIn } from '../support/openai-stand-in.js';
import { temporaryDirectory } from '../support/temporary-directory.js';

/** Three answers to one question, each readable by different people. */
const documents: Array<{ id: string; source: string; access: string[]; text: string }> = [
  { id: 'review-hr', source: 'folder:hr', access: ['group:hr'], text: 'The salary review for HR staff takes place in March, with the confidential salary bands.' },
  { id: 'review-engineering', source: 'folder:engineering', access: ['group:engineering'], text: 'The salary review for engineers takes place in September, after the release cycle.' },
  { id: 'review-company', source: 'folder:handbook', access: ['everyone'], text: 'Salary is paid on the 25th of each month; the handbook explains how pay slips are calculated.' },
];
const question = 'When does the salary review take place?';

function chunkOf(document: (typeof documents)[number]): Chunk {
  const { id, source, access, text } = document;
  return { id: `${id}#0`, documentId: id, sourceId: source, ordinal: 0, title: id, uri: `/${source}/${id}.md`, headingPath: [], location: {}, startOffset: 0, endOffset: text.length, text, tokenCount: 20, access, contentHash: id };
}

const staticDirectory = `
users:
  - { id: ann, email: ann@example.com, slack: U0ANN, groups: [payroll] }
  - { id: bob, email: bob@example.com, slack: U0BOB, groups: [engineering] }
  - { id: carol, email: carol@example.com, slack: U0CAROL, groups: [hr] }
groups:
  payroll: { memberOf: [hr] }
`;

const options: AnswerEngineOptions = { topK: 4, maxSentences: 2, minimumCoverage: 0.5, minimumSimilarity: 0.1, generation: { maxAnswerTokens: 64, temperature: 0 } };
const slack = (userId: string, email?: string): ChatIdentity => ({ platform: 'slack', userId, ...(email ? { email } : {}) });
const direct: ConversationContext = { platform: 'slack', channelId: 'D0DM', visibility: 'private' };
const channel = (channelId: string, visibility: 'shared' | 'private' = 'shared'): ConversationContext => ({ platform: 'slack', channelId, teamId: 'T0ACME', visibility });

/** Every document the answer could have drawn on: retrieved passages and citations (closest sources included). */
function documentsIn(answer: Answer): string[] {
  return [...new Set([...(answer.retrieved ?? []).map((passage) => passage.documentId), ...answer.citations.map((citation) => citation.documentId)])].sort();
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('permissions from chat identity to answer', () => {
  let folder: string;
  let index: ChunkIndex;
  let engine: DocentAnswerEngine;
  let retriever: Retriever;
  let embedder: HashingEmbedder;
  let store: ChannelSettingsStore;
  let ldap: LdapStandIn;
  let openAi: OpenAiStandIn;
  const resolvers: AccessResolver[] = [];

  const resolverFor = (directory: Directory): AccessResolver => {
    const resolver = new AccessResolver(directory, new ChannelPolicyResolver(store, { defaultAudience: 'common' }), { maximumCommonMembers: 100, warn: () => {} });
    resolvers.push(resolver);
    return resolver;
  };
  const ask = async (resolver: AccessResolver, incoming: Omit<IncomingQuestion, 'text'>, answerEngine = engine): Promise<Answer> => answerEngine.ask(await resolver.question({ text: question, ...incoming }));

  beforeAll(async () => {
    folder = await temporaryDirectory('docent-permissions-');
    ({ embedder, index, retriever } = await hashingIndexOf(folder, documents.map(chunkOf)));
    engine = new DocentAnswerEngine(retriever, embedder, options);
    store = ChannelSettingsStore.in(folder);
    ldap = await startLdapStandIn(sampleDirectory());
    openAi = await startOpenAiStandIn({ reply: 'The salary review takes place as the first source says [1].' });
  });

  afterAll(async () => {
    await Promise.all(resolvers.map((resolver) => resolver.close()));
    await Promise.all([ldap.close(), openAi.close()]);
    index.close();
  });

  async function staticResolver(now?: () => number): Promise<{ resolver: AccessResolver; file: string }> {
    const file = path.join(await temporaryDirectory(), 'people.yaml');
    await writeFile(file, staticDirectory);
    const directory = await createDirectory(directorySchema.parse({ kind: 'static', file, cacheSeconds: 60 }), now ? { now } : {});
    return { resolver: resolverFor(directory), file };
  }

  it('answers two people in different groups from different documents', async () => {
    const { resolver } = await staticResolver();
    const ann = await ask(resolver, { asker: slack('U0ANN'), conversation: direct });
    const bob = await ask(resolver, { asker: slack('U0BOB'), conversation: direct });
    expect(ann.citations[0]!.documentId).toBe('review-hr');
    expect(ann.text).toContain('March');
    expect(documentsIn(ann)).not.toContain('review-engineering');
    expect(bob.citations[0]!.documentId).toBe('review-engineering');
    expect(bob.text).toContain('September');
    expect(documentsIn(bob)).not.toContain('review-hr');
  });

  it("never shows the language model a document the asker may not read", async () => {
    const { resolver } = await staticResolver();
    const model = new OpenAiCompatibleChatModel({ endpoint: openAi.url, model: 'served', contextSize: 2048, timeoutSeconds: 5 });
    const writing = new DocentAnswerEngine(retriever, embedder, options, model);
    const answer = await ask(resolver, { asker: slack('U0BOB'), conversation: direct }, writing);
    expect(answer.citations.map((citation) => citation.documentId)).toEqual(['review-engineering']);
    const prompts = openAi.requests.flatMap((request) => request.body.messages ?? []).map((message) => message.content).join('\n');
    expect(prompts).toContain('September');
    expect(prompts).not.toContain('March');
  });

  it('answers in a channel only from what every member may read, while a member asking privately gets their own access', async () => {
    const { resolver } = await staticResolver();
    const mixed = async () => [slack('U0ANN'), slack('U0BOB')];
    const inChannel = await ask(resolver, { asker: slack('U0ANN'), conversation: channel('C0MIXED'), members: mixed });
    expect(documentsIn(inChannel)).toEqual(['review-company']);
    expect(inChannel.text).not.toContain('March');

    const ephemeral = await ask(resolver, { asker: slack('U0ANN'), conversation: channel('C0MIXED', 'private') });
    expect(ephemeral.citations[0]!.documentId).toBe('review-hr');

    // Common access is not public access: a channel of HR people may see HR documents.
    const hrOnly = await ask(resolver, { asker: slack('U0ANN'), conversation: channel('C0HR'), members: async () => [slack('U0ANN'), slack('U0CAROL')] });
    expect(hrOnly.citations[0]!.documentId).toBe('review-hr');
    expect(documentsIn(hrOnly)).not.toContain('review-engineering');

    // ...unless an administrator set the channel to public documents only.
    await store.set({ platform: 'slack', scope: 'channel', id: 'C0HR', audience: 'public' });
    try {
      const publicOnly = await ask(resolver, { asker: slack('U0ANN'), conversation: channel('C0HR'), members: async () => [slack('U0ANN'), slack('U0CAROL')] });
      expect(documentsIn(publicOnly)).toEqual(['review-company']);
    } finally {
      await store.remove({ platform: 'slack', scope: 'channel', id: 'C0HR' });
    }

    // A guest the directory does not know limits the channel to public documents, and the answer says why.
    const withGuest = await ask(resolver, { asker: slack('U0ANN'), conversation: channel('C0GUEST'), members: async () => [slack('U0ANN'), slack('U0CAROL'), slack('U0GUEST', 'guest@partner.example')] });
    expect(documentsIn(withGuest)).toEqual(['review-company']);
    expect(withGuest.notice).toMatch(/not in the directory/);
  });

  it("keeps a channel restricted to some sources to those sources, private replies included", async () => {
    const { resolver } = await staticResolver();
    await store.set({ platform: 'slack', scope: 'team', id: 'T0ACME', sourceIds: ['folder:handbook'] });
    try {
      const answer = await ask(resolver, { asker: slack('U0BOB'), conversation: channel('C0ENG', 'private') });
      expect(documentsIn(answer)).toEqual(['review-company']);
      const elsewhere = await ask(resolver, { asker: slack('U0BOB'), conversation: direct });
      expect(elsewhere.citations[0]!.documentId).toBe('review-engineering');
    } finally {
      await store.remove({ platform: 'slack', scope: 'team', id: 'T0ACME' });
    }
  });

  it('applies a membership removed from the static file within the cache lifetime', async () => {
    let now = Date.parse('2025-03-01T09:00:00Z');
    const { resolver, file } = await staticResolver(() => now);
    expect((await ask(resolver, { asker: slack('U0ANN'), conversation: direct })).citations[0]!.documentId).toBe('review-hr');

    await writeFileAtomically(file, staticDirectory.replace('groups: [payroll]', 'groups: []'));
    now += 30_000;
    // Within the 60 s lifetime the cached groups still apply...
    expect((await ask(resolver, { asker: slack('U0ANN'), conversation: direct })).citations[0]!.documentId).toBe('review-hr');
    now += 30_000;
    // ...and once it has passed, the removal has taken effect.
    const after = await ask(resolver, { asker: slack('U0ANN'), conversation: direct });
    expect(documentsIn(after)).toEqual(['review-company']);
  });

  describe('with LDAP', () => {
    const environment = { DOCENT_DIRECTORY_BIND_PASSWORD: serviceAccount.password };
    const ldapSettings = (url: string) => directorySchema.parse({ kind: 'ldap', url, baseDn, bindDn: serviceAccount.dn, cacheSeconds: 60, timeoutSeconds: 2 });

    it('resolves nested Active Directory groups and applies a removed membership within the cache lifetime', async () => {
      let now = Date.parse('2025-03-01T09:00:00Z');
      const resolver = resolverFor(await createDirectory(ldapSettings(ldap.url), { environment, now: () => now }));
      const ann = slack('U0ANN', 'ann@example.com');
      // Ann is in Payroll, which is in HR: the HR document is hers.
      expect((await ask(resolver, { asker: ann, conversation: direct })).citations[0]!.documentId).toBe('review-hr');

      ldap.removeMember(groups.payroll, people.ann);
      try {
        const searches = ldap.searches;
        now += 59_000;
        expect((await ask(resolver, { asker: ann, conversation: direct })).citations[0]!.documentId).toBe('review-hr');
        expect(ldap.searches).toBe(searches);
        now += 1_000;
        expect(documentsIn(await ask(resolver, { asker: ann, conversation: direct }))).toEqual(['review-company']);
        expect(ldap.searches).toBeGreaterThan(searches);
      } finally {
        ldap.addMember(groups.payroll, people.ann);
      }
    });

    it('fails closed when the directory cannot be reached: documents open to everyone only, and the answer says so', async () => {
      const resolver = resolverFor(await createDirectory(ldapSettings(`ldap://127.0.0.1:${await closedPort()}`), { environment }));
      const answer = await ask(resolver, { asker: slack('U0ANN', 'ann@example.com'), conversation: direct });
      expect(documentsIn(answer)).toEqual(['review-company']);
      expect(answer.notice).toMatch(/^Your groups could not be looked up in the directory just now, so this answer uses only documents open to everyone/);
    });
  });
});
