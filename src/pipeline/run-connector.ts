import { randomUUID } from 'node:crypto';
import type { ChunkIndex } from '../../indexes/chunk-index.js';
import type { ConnectorRegistry } from '../../connectors/registry.js';
import type { Connector } from '../core/connector.js';
import type { Embedder } from '../core/embedder.js';
import { DocentError } from '../core/errors.js';
import { asDocentError, needsAttention } from '../jobs/retry-policy.js';
import type { ChunkingOptions } from './chunk.js';
import { refusePausedRun, type ConnectorRecord, type ConnectorRun, type RunTrigger } from './connector-record.js';
import type { ConnectorStore } from './connector-store.js';
import { createConfiguredConnector } from './create-connector.js';
import { acquireFileLock } from './file-lock.js';
import type { IndexProgress, IndexReport } from './index-documents.js';
import type { SearchRefreshSettings } from './refresh-search.js';
import { syncConnector } from './sync-connector.js';

/** What running a connector needs from the process: passed in, so the CLI and job workers share one path. */
export interface ConnectorRunDependencies {
  store: ConnectorStore;
  registry: ConnectorRegistry;
  index: ChunkIndex;
  embedder: Embedder;
  chunking: ChunkingOptions;
  /** Documents parsed at once (`ingest.concurrency`). */
  concurrency: number;
  /** Documents larger than this are reported, not read (`ingest.maxFileBytes`). */
  maxDocumentBytes: number;
  /** Keeps search fast and calibrated after a run (`retrieval.vectorWeight`, `retrieval.candidates`). */
  search: SearchRefreshSettings;
  /** Where secrets are read from: the process environment, normally. */
  env: Readonly<Record<string, string | undefined>>;
  /** Paths no connector reads (the data directory). */
  excludedPaths?: string[];
}

export interface RunConnectorOptions {
  trigger: RunTrigger;
  /** The run's id in the history (a job id); random when unset. */
  runId?: string;
  /** Stops the run (shutdown, pause): it is recorded as interrupted, its checkpoint not saved. */
  signal?: AbortSignal;
  onProgress?: (progress: IndexProgress) => void;
  log?: (message: string) => void;
  /** How long to wait for another process running the same connector (default: not at all). */
  waitForOtherRunMs?: number;
}

export interface ConnectorRunResult {
  /** The run as recorded in the history. */
  run: ConnectorRun;
  report: IndexReport;
  /** The connector after the run (checkpoint, attention mark). */
  connector: ConnectorRecord;
}

/**
 * Runs one configured connector once, the same way for every caller (CLI, job worker,
 * watch): loads its settings and checkpoint from the store, creates it from the registry,
 * validates it, syncs it into the index and records the run (counts, failures) and, on
 * success, the new checkpoint. Only one run of a connector at a time across processes:
 * another one running makes this throw `connector_busy` (retryable).
 *
 * A paused connector runs only when triggered by hand: scheduled and watch triggers get
 * `connector_paused` (nothing recorded).
 *
 * A failure of the whole source is recorded and rethrown as a `DocentError`: retryable
 * ones (unreachable, timeouts) are the caller's to retry; ones an admin must fix
 * (`credentials_rejected`, `permission_denied`, `config_invalid`) also mark the connector
 * `needsAttention`, which the next successful run clears. Other failures (a bug, a
 * corrupt source) fail the run without the mark.
 */
export async function runConnector(name: string, dependencies: ConnectorRunDependencies, options: RunConnectorOptions): Promise<ConnectorRunResult> {
  const { store } = dependencies;
  await store.require(name);
  const lostLock = new AbortController();
  const lock = await acquireFileLock(store.runLockFile(name), {
    waitMs: options.waitForOtherRunMs ?? 0,
    busy: (holder) => new DocentError('connector_busy', `connector ${name} is being run by ${holder}; try again when it finishes`, { retryable: true }),
    onLost: () => lostLock.abort(),
  });
  const signal = options.signal ? AbortSignal.any([options.signal, lostLock.signal]) : lostLock.signal;
  // Everything after taking the lock is inside this try, so that whatever throws (reading the
  // record, recording the start) still lets go of it: a leaked lock would block every later run.
  let connector: Connector | undefined;
  try {
    // Read under the lock: a run that just finished elsewhere may have moved the checkpoint.
    const record = await store.require(name);
    refusePausedRun(record, options.trigger);
    const run = await store.startRun(name, options.trigger, options.runId ?? randomUUID());
    const log = options.log ?? (() => undefined);
    try {
      connector = createConfiguredConnector(record, { registry: dependencies.registry, dataDirectory: store.dataDirectory, env: dependencies.env, maxDocumentBytes: dependencies.maxDocumentBytes, excludedPaths: dependencies.excludedPaths ?? [] });
      await connector.validate(signal);
      const syncOptions: Parameters<typeof syncConnector>[1] = {
        index: dependencies.index,
        embedder: dependencies.embedder,
        chunking: dependencies.chunking,
        concurrency: dependencies.concurrency,
        checkpoint: record.checkpoint,
        signal,
        log,
        search: dependencies.search,
      };
      if (options.onProgress) syncOptions.onProgress = options.onProgress;
      const { report, checkpoint } = await syncConnector(connector, syncOptions);
      const state = report.interrupted ? 'interrupted' : 'succeeded';
      const updated = await store.finishRun(name, run.id, { state, report, checkpoint, ...(state === 'succeeded' ? { needsAttention: null } : {}) });
      return { run: updated.runs.find((entry) => entry.id === run.id)!, report, connector: updated };
    } catch (error) {
      const typed = asDocentError(error);
      // Only what an admin must fix (credentials, permissions, settings) waits for one; anything else is retried or fails this run alone.
      const attention = needsAttention(typed) ? { code: typed.code, message: typed.message, at: new Date().toISOString() } : undefined;
      log(`run failed: ${typed.message} [${typed.code}]`);
      await store
        .finishRun(name, run.id, { state: signal.aborted ? 'interrupted' : 'failed', error: { code: typed.code, message: typed.message, retryable: typed.retryable }, ...(attention ? { needsAttention: attention } : {}) })
        .catch(() => undefined);
      throw typed;
    }
  } finally {
    await connector?.dispose?.().catch(() => undefined);
    await lock.release();
  }
}
