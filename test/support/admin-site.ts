import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createAdminAuthenticator, type SingleSignOnRoles } from '../../src/admin/access/admin-authenticator.js';
import type { AdminRole } from '../../src/admin/access/admin-role.js';
import { AdminTokenStore } from '../../src/admin/access/admin-token-store.js';
import { registerAdminApi, type AdminRoutes } from '../../src/admin/api/admin-api.js';
import { collectStatus } from '../../src/admin/status-report.js';
import { registerAdminConsole } from '../../src/admin/console/admin-console.js';
import { AuditLog } from '../../src/audit/audit-log.js';
import type { AuditRecord } from '../../src/audit/audit-record.js';
import { createWebServer } from '../../src/chat/web/web-server.js';
import { configSchema, type DocentConfig } from '../../src/config/schema.js';
import type { Answer } from '../../src/core/answer.js';
import type { AnswerEngine, Question } from '../../src/core/answer-engine.js';
import { ChannelSettingsStore } from '../../src/directory/channel-settings-store.js';
import { ConnectorStore } from '../../src/pipeline/connector-store.js';
import { runConnector, type ConnectorRunDependencies } from '../../src/pipeline/run-connector.js';
import { ConnectorService, runnerSchedules } from '../../src/admin/connector-service.js';
import type { AdminJobs, LazyJobRunner } from '../../src/admin/lazy-job-runner.js';
import { InProcessJobRunner } from '../../src/jobs/in-process-runner.js';
import { jobRunnerSettings } from '../../src/jobs/job-runner.js';
import { openSyncHost } from '../../src/jobs/sync-host.js';
import { createConnectorRegistry } from '../../connectors/registry.js';
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

/** A data directory with a file-share connector run into an index (one document failed), answers and feedback in the audit log, and one token per role. */
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
  /** The folder the `handbook` file-share connector reads. */
  folder: string;
  store: ConnectorStore;
  /** The job runner connector runs asked for through the API go to. */
  runner: InProcessJobRunner;
  close(): Promise<void>;
}

export interface AdminSiteOptions {
  singleSignOn?: Omit<SingleSignOnRoles, 'login'> & { login?: SingleSignOnRoles['login'] };
  extraRoutes?: AdminRoutes[];
  /** The job layer runs go to, from the site's settings (queues on a test Redis); the in-process runner when unset. */
  jobs?: (config: DocentConfig) => LazyJobRunner;
}

/** The handbook folder a file-share connector indexes: two documents, and a "PDF" that is not one (a failure with a reason). */
async function handbookFolder(root: string): Promise<string> {
  const folder = path.join(root, 'handbook');
  await mkdir(folder);
  await writeFile(path.join(folder, 'leave.md'), '# Leave\n\nEmployees get 15 days of annual leave.\n');
  await writeFile(path.join(folder, 'expenses.md'), '# Expenses\n\nSubmit expense reports within 30 days.\n');
  await writeFile(path.join(folder, 'scan.pdf'), '%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R');
  return folder;
}

export async function startAdminSite(options: AdminSiteOptions = {}): Promise<AdminSite> {
  const root = await temporaryDirectory('docent-admin-');
  const dataDirectory = path.join(root, 'data');
  const config = configSchema.parse({ dataDir: dataDirectory });
  const folder = await handbookFolder(root);

  // A real connector run into a real index, as `docent connectors run` would leave them.
  const embedder = new HashingEmbedder();
  const index = await ChunkIndex.open(path.join(dataDirectory, 'index'), embedder, { create: true });
  const store = ConnectorStore.in(dataDirectory);
  const registry = createConnectorRegistry();
  const runDependencies: ConnectorRunDependencies = {
    store,
    registry,
    index,
    embedder,
    chunking: config.chunking,
    concurrency: 2,
    maxDocumentBytes: config.ingest.maxFileBytes,
    search: { candidates: 20, fixedVectorWeight: 0.3 },
    env: {},
    excludedPaths: [dataDirectory],
  };
  await store.add({ name: 'handbook', kind: 'file-share', sourceId: 'file-share:handbook', config: { path: folder, permissions: 'everyone' } });
  await runConnector('handbook', runDependencies, { trigger: 'manual' });

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
  // Runs asked for through the API go to the job layer, here the in-process runner `docent serve` uses without Redis.
  const host = await openSyncHost(config, { index, embedder });
  const runner = new InProcessJobRunner(host.stages, jobRunnerSettings(config.jobs));
  await runner.startWorking();
  const queues = options.jobs?.(config);
  const jobs: AdminJobs = queues ?? runner;
  const connectors = new ConnectorService({ store, registry, audit, index: async () => ({ index, release: () => undefined }), ...runnerSchedules(jobs) });
  const apiOptions: Parameters<typeof registerAdminApi>[1] = {
    authenticate: createAdminAuthenticator(authenticatorOptions),
    context: { config, audit, channels: ChannelSettingsStore.in(dataDirectory), connectors, enqueueRun: (name) => jobs.enqueueSync(name, 'manual'), status: () => collectStatus(config) },
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
    folder,
    store,
    runner,
    async close() {
      await queues?.close();
      await runner.close(0);
      await host.dispose();
      await app.close();
      await audit.close();
      index.close();
    },
  };
}
