import path from 'node:path';
import { ChunkIndex } from '../../indexes/chunk-index.js';
import type { DocentConfig } from '../config/schema.js';
import type { Embedder } from '../core/embedder.js';
import { createEmbedder } from '../models/create-embedder.js';
import { ConnectorStore } from '../pipeline/connector-store.js';
import { ParserPool } from '../pipeline/parse/parser-pool.js';
import { indexDirectoryOf } from '../runtime/runtime.js';
import { BullmqJobRunner } from './bullmq-runner.js';
import { createConnectorRegistry, type ConnectorRegistry } from '../../connectors/registry.js';
import { registryConnectorFactory, type ConnectorFactory } from './connector-factory.js';
import { ConnectorSyncStages } from './connector-sync-stages.js';
import { ConnectorWatches } from './connector-watches.js';
import { InProcessJobRunner } from './in-process-runner.js';
import { jobRunnerSettings, type JobLogger, type JobRunner } from './job-runner.js';
import type { SyncStages } from './sync-stages.js';

/** What a process that runs sync jobs holds: the stages and what they need, released together. */
export interface SyncHost {
  stages: SyncStages;
  store: ConnectorStore;
  /** The connector kinds and how the stages make connectors: what watches need too. */
  registry: ConnectorRegistry;
  createConnector: ConnectorFactory;
  dispose(): Promise<void>;
}

export interface SyncHostOptions {
  /** Reuse a process's own index and embedder (`docent serve`); opened here when absent. */
  index?: ChunkIndex;
  embedder?: Embedder;
  createConnector?: ConnectorFactory;
  /** Connector kinds; every built-in kind when unset. */
  registry?: ConnectorRegistry;
  /** Runs hold the connector's run lock throughout (in-process runner only: see `ConnectorSyncStagesOptions.runLock`). */
  runLock?: boolean;
  log?: JobLogger;
}

/** Builds the sync steps over the configured index, embedder, parser pool and connector store. */
export async function openSyncHost(config: DocentConfig, options: SyncHostOptions = {}): Promise<SyncHost> {
  const dataDirectory = path.resolve(config.dataDir);
  const embedder = options.embedder ?? (await createEmbedder(config.embedding));
  let index = options.index;
  if (!index) {
    try {
      // Every read sees the latest commit: other worker processes write the same table, and a
      // stale view would re-index their documents or count them wrongly.
      index = await ChunkIndex.open(indexDirectoryOf(config), embedder, { create: true, readConsistencySeconds: 0 });
    } catch (error) {
      if (!options.embedder) await embedder.dispose();
      throw error;
    }
  }
  const parserPool = new ParserPool();
  const store = ConnectorStore.in(dataDirectory);
  const registry = options.registry ?? createConnectorRegistry();
  const createConnector =
    options.createConnector ?? registryConnectorFactory({ registry, dataDirectory, env: process.env, maxDocumentBytes: config.ingest.maxFileBytes, excludedPaths: [dataDirectory] });
  const stagesOptions: ConstructorParameters<typeof ConnectorSyncStages>[0] = {
    store,
    createConnector,
    index,
    embedder,
    chunking: config.chunking,
    parse: (input) => parserPool.parse(input),
    parseConcurrency: config.ingest.concurrency,
    batchDocuments: config.jobs.batchDocuments,
    batchBytes: config.jobs.batchBytes,
    search: config.retrieval.vectorWeight !== undefined ? { fixedVectorWeight: config.retrieval.vectorWeight, candidates: config.retrieval.candidates } : { candidates: config.retrieval.candidates },
  };
  if (options.log) stagesOptions.log = options.log;
  if (options.runLock) stagesOptions.runLock = true;
  const ownIndex = !options.index;
  const ownEmbedder = !options.embedder;
  return {
    stages: new ConnectorSyncStages(stagesOptions),
    store,
    registry,
    createConnector,
    async dispose() {
      await parserPool.close();
      if (ownIndex) index.close();
      if (ownEmbedder) await embedder.dispose();
    },
  };
}

/**
 * The job runner the configuration asks for: BullMQ when `jobs.redisUrl` (REDIS_URL) is
 * set, in-process otherwise. Without stages it can only enqueue and wait (a CLI).
 */
export async function createJobRunner(config: DocentConfig, stages: SyncStages | undefined, log?: JobLogger): Promise<JobRunner> {
  const settings = jobRunnerSettings(config.jobs);
  if (config.jobs.redisUrl) {
    const options: Parameters<typeof BullmqJobRunner.connect>[0] = { redisUrl: config.jobs.redisUrl, prefix: config.jobs.queuePrefix, settings };
    if (stages) options.stages = stages;
    if (log) options.log = log;
    return BullmqJobRunner.connect(options);
  }
  if (!stages) throw new Error('the in-process job runner needs the sync stages');
  return new InProcessJobRunner(stages, settings, log);
}

/** Gives every active connector's schedule to the runner: the store is the record, Redis (which may have lost it) the copy. */
export async function restoreSchedules(store: ConnectorStore, runner: JobRunner): Promise<number> {
  let count = 0;
  for (const record of await store.list()) {
    if (record.schedule && !record.paused) {
      await runner.schedule(record.name, record.schedule);
      count++;
    } else await runner.unschedule(record.name);
  }
  return count;
}

/** Watches every watched, active connector this process can take, sending its changes to the runner as sync jobs. */
export async function startWatches(host: SyncHost, runner: JobRunner, log: JobLogger): Promise<ConnectorWatches> {
  const watches = new ConnectorWatches({ store: host.store, registry: host.registry, createConnector: host.createConnector, runner, log });
  await watches.start();
  return watches;
}
