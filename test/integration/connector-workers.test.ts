import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { Connector } from '../../src/core/connector.js';
import { DocentError } from '../../src/core/errors.js';
import { BullmqJobRunner } from '../../src/jobs/bullmq-runner.js';
import { jobRunnerSettings } from '../../src/jobs/job-runner.js';
import { openSyncHost } from '../../src/jobs/sync-host.js';
import { ConnectorStore } from '../../src/pipeline/connector-store.js';
import { writeTinyOnnxModel } from '../fixtures/tiny-onnx-model.js';
import { OwnRedisServer, redisServerInstalled, redisUnavailableReason, testRedis } from '../support/redis-server.js';
import { temporaryDirectory } from '../support/temporary-directory.js';
import { startWorker, type WorkerProcess } from '../support/worker-processes.js';

const redis = await testRedis();
if (!redis) console.warn(`connector worker tests skipped: ${redisUnavailableReason}`);
afterAll(() => redis?.cleanUp());

const topics = ['expense reports', 'annual leave', 'laptop security', 'travel booking', 'parental leave', 'password rotation', 'office access', 'overtime pay'];

/** A share of small Markdown and text documents, the same every time, plus one corrupt Word file. */
function writeCorpus(folder: string, count: number): string[] {
  mkdirSync(folder, { recursive: true });
  const names: string[] = [];
  for (let number = 1; number <= count; number++) {
    const topic = topics[number % topics.length]!;
    const name = number % 2 === 0 ? `policy-${number}.md` : `note-${number}.txt`;
    const body = number % 2 === 0 ? `# Policy ${number}: ${topic}\n\nEmployees follow rule ${number} about ${topic}. Ask the office for help with ${topic}.\n` : `Note ${number} on ${topic}. Submit within ${number} days.\n`;
    writeFileSync(path.join(folder, name), body);
    names.push(name);
  }
  // A Word file cut short: a ZIP header and nothing a ZIP reader can use.
  writeFileSync(path.join(folder, 'broken.docx'), Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), Buffer.alloc(200, 0x5a)]));
  return names;
}

/** Chunk rows per document, and whether any chunk id or (document, ordinal) pair appears twice. */
async function indexedChunks(dataDirectory: string): Promise<{ documents: Map<string, number>; duplicates: number }> {
  const connection = await lancedb.connect(path.join(dataDirectory, 'index'));
  const table = await connection.openTable('chunks');
  const rows = (await table.query().select(['id', 'document_id', 'ordinal']).toArray()) as Array<{ id: string; document_id: string; ordinal: number }>;
  table.close();
  connection.close();
  const documents = new Map<string, number>();
  const ids = new Set<string>();
  let duplicates = 0;
  for (const row of rows) {
    documents.set(row.document_id, (documents.get(row.document_id) ?? 0) + 1);
    if (ids.has(row.id)) duplicates++;
    ids.add(row.id);
  }
  return { documents, duplicates };
}

describe.skipIf(!redis)('connector syncs on BullMQ with worker processes', () => {
  let modelPath: string;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    modelPath = (await writeTinyOnnxModel(path.join(await temporaryDirectory('docent-model-'), 'tiny'), { extraWords: topics.join(' ').split(' ') })).modelPath;
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop('SIGKILL')));
  });

  /** A data directory with one file-share connector over a fresh corpus, and the settings workers and producer share. */
  async function setUp(options: { documents: number; redisUrl?: string; batchDocuments?: number; batchConcurrency?: number }) {
    const root = await temporaryDirectory('docent-workers-');
    const dataDirectory = path.join(root, 'data');
    const corpus = path.join(root, 'share');
    const names = writeCorpus(corpus, options.documents);
    const store = ConnectorStore.in(dataDirectory);
    await store.add({ name: 'share', kind: 'file-share', sourceId: 'file-share:share', config: { path: corpus } });
    const environment: Record<string, string> = {
      DOCENT_DATA_DIR: dataDirectory,
      REDIS_URL: options.redisUrl ?? redis!.url,
      DOCENT_JOBS_QUEUE_PREFIX: redis!.newPrefix(),
      DOCENT_JOBS_LOCK_SECONDS: '2',
      DOCENT_JOBS_BACKOFF_SECONDS: '0.2',
      DOCENT_JOBS_SHUTDOWN_GRACE_SECONDS: '5',
      DOCENT_JOBS_BATCH_DOCUMENTS: String(options.batchDocuments ?? 4),
      DOCENT_JOBS_BATCH_CONCURRENCY: String(options.batchConcurrency ?? 1),
      DOCENT_EMBEDDING_PROVIDER: 'transformers',
      DOCENT_EMBEDDING_MODEL_PATH: modelPath,
      DOCENT_EMBEDDING_THREADS: '1',
      DOCENT_RETRIEVAL_VECTOR_WEIGHT: '0.2',
    };
    const configFile = path.join(root, 'docent.yaml');
    writeFileSync(configFile, '');
    environment.DOCENT_CONFIG = configFile;
    const config = loadConfig({ environment: { ...environment } });
    const producer = await BullmqJobRunner.connect({ redisUrl: config.jobs.redisUrl!, prefix: config.jobs.queuePrefix, settings: jobRunnerSettings(config.jobs) });
    onTestFinished(() => producer.close(0));
    return { dataDirectory, corpus, names, store, environment, config, producer };
  }

  async function worker(environment: Record<string, string>): Promise<WorkerProcess> {
    const started = await startWorker(environment);
    workers.push(started);
    return started;
  }

  function expectExactlyOnce(chunks: { documents: Map<string, number>; duplicates: number }, names: string[]): void {
    expect(chunks.duplicates).toBe(0);
    expect([...chunks.documents.keys()].sort()).toEqual(names.map((name) => `file-share:share:${name}`).sort());
  }

  it('two worker processes share one queue and index the share exactly once; the corrupt file fails alone', async () => {
    const { dataDirectory, names, producer, environment, store } = await setUp({ documents: 40 });
    await Promise.all([worker(environment), worker(environment)]);
    const { runId } = await producer.enqueueSync('share', 'manual');
    const report = await producer.waitForRun(runId);
    expect(report).toMatchObject({ status: 'succeeded', seen: 41, added: 40, failed: 1, deleted: 0 });
    expect(report.failures).toEqual([expect.objectContaining({ documentId: 'file-share:share:broken.docx', code: expect.stringMatching(/file_corrupt|format_unsupported/) })]);
    // Both processes took batches, and between them every document once.
    expect(Object.keys(report.workers)).toHaveLength(2);
    expect(Object.values(report.workers).reduce((sum, count) => sum + count, 0)).toBe(40);
    expectExactlyOnce(await indexedChunks(dataDirectory), names);
    const record = await store.require('share');
    expect(record.runs[0]).toMatchObject({ id: runId, state: 'succeeded', counts: expect.objectContaining({ added: 40, failed: 1 }) });

    // A second run finds nothing changed; a removed file disappears.
    const { unlinkSync } = await import('node:fs');
    unlinkSync(path.join((record.config as { path: string }).path, names[0]!));
    const again = await producer.waitForRun((await producer.enqueueSync('share', 'manual')).runId);
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 39, deleted: 1 });
    expectExactlyOnce(await indexedChunks(dataDirectory), names.slice(1));

    // A share that looks empty (unmounted) fails the run and deletes nothing.
    const { readdirSync, rmSync } = await import('node:fs');
    const share = (record.config as { path: string }).path;
    for (const entry of readdirSync(share)) rmSync(path.join(share, entry), { recursive: true });
    const refused = (await producer.waitForRun((await producer.enqueueSync('share', 'manual')).runId).catch((error: unknown) => error)) as Error & { code?: string };
    expect(refused.code).toBe('source_unreachable');
    expect(refused.message).toMatch(/is empty but 39 documents were indexed from it; nothing was deleted/);
    expectExactlyOnce(await indexedChunks(dataDirectory), names.slice(1));
  }, 180_000);

  it('a worker killed with SIGKILL mid-run loses nothing and duplicates nothing once another takes over', async () => {
    const { dataDirectory, names, producer, environment } = await setUp({ documents: 60, batchDocuments: 1 });
    const first = await worker(environment);
    const { runId } = await producer.enqueueSync('share', 'manual');
    await first.waitFor(/batch 3 of /);
    await first.stop('SIGKILL');
    expect(await producer.runState(runId)).not.toBe('completed');
    await worker(environment);
    const report = await producer.waitForRun(runId);
    expect(report.failures.map((failure) => failure.documentId)).toEqual(['file-share:share:broken.docx']);
    expect(report).toMatchObject({ status: 'succeeded', deleted: 0, failed: 1 });
    expect(report.added + report.unchanged).toBe(60);
    expectExactlyOnce(await indexedChunks(dataDirectory), names);
  }, 180_000);

  it.skipIf(!redisServerInstalled())('recovers and finishes when Redis is restarted mid-run', async () => {
    const server = await OwnRedisServer.start({ persistent: true });
    // Not afterAll: vitest ignores a hook registered inside a test, and every run left this redis-server behind.
    onTestFinished(() => server.stop());
    const { dataDirectory, names, producer, environment } = await setUp({ documents: 60, batchDocuments: 1, redisUrl: server.url });
    const running = await worker(environment);
    const { runId } = await producer.enqueueSync('share', 'manual');
    await running.waitFor(/batch 3 of /);
    await server.kill();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await server.restart();
    const report = await producer.waitForRun(runId);
    expect(report).toMatchObject({ status: 'succeeded', failed: 1 });
    expectExactlyOnce(await indexedChunks(dataDirectory), names);
  }, 180_000);

  it('runs a connector on its schedule, restored from the connector store when the worker starts', async () => {
    const { store, environment, producer } = await setUp({ documents: 3 });
    await store.configure('share', { schedule: { everySeconds: 1 } });
    await worker(environment);
    for (let waited = 0; waited < 30_000; waited += 250) {
      if ((await store.require('share')).runs.some((run) => run.trigger === 'schedule' && run.state === 'succeeded')) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // The oldest scheduled run indexed the share; on a loaded machine the 1 s schedule may have started more since, finding nothing new.
    expect((await store.require('share')).runs.filter((run) => run.trigger === 'schedule').at(-1)).toMatchObject({ state: 'succeeded', counts: expect.objectContaining({ added: 3 }) });
    expect(await producer.nextRun('share')).toBeInstanceOf(Date);
  }, 120_000);

  /** A connector whose every validation fails with `failure`, counting the tries. */
  function failingConnector(failure: () => DocentError): { connector: Connector; validations: () => number } {
    let validations = 0;
    const connector: Connector = {
      sourceId: 'file-share:share',
      async validate() {
        validations++;
        throw failure();
      },
      // eslint-disable-next-line require-yield
      async *load() {
        return null;
      },
      async *listIds() {},
    };
    return { connector, validations: () => validations };
  }

  it.each([
    ['credentials_rejected', 'the share refused the service account (401)'],
    ['permission_denied', 'the service account may not read the share (403)'],
  ] as const)('marks a connector failing with %s as needing attention, without retrying', async (code, message) => {
    const { config, store } = await setUp({ documents: 1 });
    const refusing = failingConnector(() => new DocentError(code, message, { retryable: false }));
    const host = await openSyncHost(config, { createConnector: async () => refusing.connector });
    const runner = await BullmqJobRunner.connect({ redisUrl: config.jobs.redisUrl!, prefix: config.jobs.queuePrefix, settings: jobRunnerSettings(config.jobs), stages: host.stages });
    try {
      await runner.startWorking();
      const { runId } = await runner.enqueueSync('share', 'manual');
      await expect(runner.waitForRun(runId)).rejects.toMatchObject({ code });
      expect(refusing.validations()).toBe(1);
      const record = await store.require('share');
      expect(record.needsAttention).toMatchObject({ code, message });
      expect(record.runs[0]).toMatchObject({ id: runId, state: 'failed', error: expect.objectContaining({ code }) });
    } finally {
      await runner.close(0);
      await host.dispose();
    }
  }, 60_000);

  it('retries a source that times out, and fails the run after the last try without marking the connector', async () => {
    const { config, store } = await setUp({ documents: 1 });
    const slow = failingConnector(() => new DocentError('source_unreachable', 'the share did not answer within 30 s'));
    const host = await openSyncHost(config, { createConnector: async () => slow.connector });
    const runner = await BullmqJobRunner.connect({ redisUrl: config.jobs.redisUrl!, prefix: config.jobs.queuePrefix, settings: { ...jobRunnerSettings(config.jobs), attempts: 3 }, stages: host.stages });
    try {
      await runner.startWorking();
      const { runId } = await runner.enqueueSync('share', 'schedule');
      await expect(runner.waitForRun(runId)).rejects.toMatchObject({ code: 'source_unreachable' });
      expect(slow.validations()).toBe(3);
      const record = await store.require('share');
      expect(record.needsAttention).toBeUndefined();
      expect(record.runs[0]).toMatchObject({ id: runId, state: 'failed', error: { code: 'source_unreachable', retryable: true } });
    } finally {
      await runner.close(0);
      await host.dispose();
    }
  }, 60_000);
});
