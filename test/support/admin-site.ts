import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createAdminAuthenticator, type SingleSignOnRoles } from '../../src/admin/access/admin-authenticator.js';
import type { AdminRole } from '../../src/admin/access/admin-role.js';
import { AdminTokenStore } from '../../src/admin/access/admin-token-store.js';
import { registerAdminApi, type AdminRoutes } from '../../src/admin/api/admin-api.js';
import { collectStatus } from '../../src/admin/commands/status-command.js';
import { registerAdminConsole } from '../../src/admin/console/admin-console.js';
import { AuditLog } from '../../src/audit/audit-log.js';
import type { AuditRecord } from '../../src/audit/audit-record.js';
import { createWebServer } from '../../src/chat/web/web-server.js';
import { configSchema, type DocentConfig } from '../../src/config/schema.js';
import type { Answer } from '../../src/core/answer.js';
import type { AnswerEngine, Question } from '../../src/core/answer-engine.js';
import type { Chunk } from '../../src/core/chunk.js';
import { ChannelSettingsStore } from '../../src/directory/channel-settings-store.js';
import { SourceState } from '../../src/pipeline/source-state.js';
import { ChunkIndex } from '../../indexes/chunk-index.js';
import { answerContent } from './audit-records.js';
import { HashingEmbedder } from './hashing-embedder.js';
import { temporaryDirectory } from './temporary-directory.js';

/** The admin API is not about answering: an engine that says so if it is ever asked. */
class UnusedAnswerEngine implements AnswerEngine {
  readonly questions: Question[] = [];

  async ask(question: Question): Promise<Answer> {
    this.questions.push(question);
    return { question: question.text, text: 'not part of this test', notFound: true, sentences: [], citations: [], generator: 'extractive', elapsedMs: 0 };
  }
}

/** A data directory with an index, a source with a failed document, answers and feedback in the audit log, and one token per role. */
export interface AdminSite {
  app: FastifyInstance;
  config: DocentConfig;
  dataDirectory: string;
  audit: AuditLog;
  tokens: AdminTokenStore;
  /** A live token for each role. */
  tokenFor: Record<AdminRole, string>;
  /** The answers and feedback written before the server started, oldest first. */
  seeded: AuditRecord[];
  close(): Promise<void>;
}

export interface AdminSiteOptions {
  singleSignOn?: Omit<SingleSignOnRoles, 'login'> & { login?: SingleSignOnRoles['login'] };
  extraRoutes?: AdminRoutes[];
}

function chunk(documentId: string, sourceId: string, text: string): Chunk {
  return { id: `${documentId}#0`, documentId, sourceId, ordinal: 0, title: documentId, uri: `/${documentId}`, headingPath: [], location: {}, startOffset: 0, endOffset: text.length, text, tokenCount: 12, access: ['everyone'], contentHash: documentId };
}

export async function startAdminSite(options: AdminSiteOptions = {}): Promise<AdminSite> {
  const dataDirectory = await temporaryDirectory('docent-admin-');
  const config = configSchema.parse({ dataDir: dataDirectory });

  const embedder = new HashingEmbedder();
  const index = await ChunkIndex.open(path.join(dataDirectory, 'index'), embedder, { create: true });
  const chunks = [chunk('handbook/leave.md', 'folder:handbook', 'Employees get 15 days of annual leave.'), chunk('handbook/expenses.md', 'folder:handbook', 'Submit expense reports within 30 days.')];
  await index.replaceDocuments(await Promise.all(chunks.map(async (item) => ({ documentId: item.documentId, chunks: [item], vectors: await embedder.embedDocuments([item.text]) }))));
  index.close();

  const sources = new SourceState(dataDirectory);
  await sources.save({
    sourceId: 'folder:handbook',
    kind: 'folder',
    location: '/srv/handbook',
    lastRun: {
      sourceId: 'folder:handbook',
      startedAt: '2026-11-24T08:00:00.000Z',
      finishedAt: '2026-11-24T08:01:00.000Z',
      seen: 3,
      added: 2,
      updated: 0,
      unchanged: 0,
      deleted: 0,
      failed: 1,
      chunks: 2,
      failures: [{ documentId: 'handbook/scan.pdf', location: '/srv/handbook/scan.pdf', code: 'file_encrypted', message: 'the PDF is password-protected', keptPreviousVersion: false }],
      interrupted: false,
    },
  });

  const audit = await AuditLog.open({ directory: path.join(dataDirectory, 'audit') });
  const seeded: AuditRecord[] = [];
  seeded.push(await audit.append(answerContent({ question: 'How long do I have to submit my expense report?', answer: 'Within 30 days [1].' })));
  seeded.push(await audit.append(answerContent({ question: 'Where is the VPN guide?', answer: 'I could not find an answer.', notFound: true, cited: [], channelId: 'C-IT', asker: { id: 'U456', principals: ['user:u456'] } })));
  seeded.push(await audit.append({ type: 'feedback', answerId: seeded[0]!.id, asker: { id: 'U123', principals: ['user:u123'] }, rating: 'up', platform: 'slack', redactions: [] }));
  seeded.push(await audit.append({ type: 'feedback', answerId: seeded[1]!.id, asker: { id: 'U456', principals: ['user:u456'] }, rating: 'down', comment: 'The VPN guide is on the IT wiki <b>here</b>.', platform: 'slack', redactions: [] }));

  const tokens = AdminTokenStore.in(dataDirectory);
  const tokenFor = {} as Record<AdminRole, string>;
  for (const role of ['admin', 'auditor', 'viewer'] as const) tokenFor[role] = (await tokens.create(`${role}-token`, role, 'cli:test')).token;

  const app = await createWebServer({ engine: new UnusedAnswerEngine(), documents: { open: async () => undefined }, readiness: async () => ({ ready: true, checks: {} }) });
  const authenticatorOptions: Parameters<typeof createAdminAuthenticator>[0] = { tokens };
  if (options.singleSignOn) {
    authenticatorOptions.singleSignOn = { login: { userHeader: 'x-remote-user', trustedProxies: ['127.0.0.1', '::1'] }, ...options.singleSignOn };
  }
  const apiOptions: Parameters<typeof registerAdminApi>[1] = {
    authenticate: createAdminAuthenticator(authenticatorOptions),
    context: { config, audit, channels: ChannelSettingsStore.in(dataDirectory), sources, status: () => collectStatus(config) },
  };
  if (options.extraRoutes) apiOptions.extraRoutes = options.extraRoutes;
  await registerAdminApi(app, apiOptions);
  await registerAdminConsole(app);
  await app.ready();
  return {
    app,
    config,
    dataDirectory,
    audit,
    tokens,
    tokenFor,
    seeded,
    async close() {
      await app.close();
      await audit.close();
    },
  };
}
