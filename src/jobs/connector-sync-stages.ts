import { hostname } from 'node:os';
import type { ChunkIndex, DocumentMetadata } from '../../indexes/chunk-index.js';
import { retryCommitConflicts } from '../../indexes/commit-conflicts.js';
import type { Connector, ConnectorDocument, SyncContext } from '../core/connector.js';
import type { Embedder } from '../core/embedder.js';
import { DocentError, describeError } from '../core/errors.js';
import { acquireFileLock, type HeldLock } from '../pipeline/file-lock.js';
import type { ChunkingOptions } from '../pipeline/chunk.js';
import { refusePausedRun } from '../pipeline/connector-record.js';
import type { ConnectorStore } from '../pipeline/connector-store.js';
import { contentHash, indexDocuments, type DocumentParser, type IndexReport } from '../pipeline/index-documents.js';
import { refreshSearch, type SearchRefreshSettings } from '../pipeline/refresh-search.js';
import type { SourceItem } from '../pipeline/source-item.js';
import { yieldedDocumentProblem } from '../pipeline/sync-connector.js';
import type { ConnectorFactory } from './connector-factory.js';
import { asDocentError, JobInterruptedError, needsAttention } from './retry-policy.js';
import type { BatchOutcome, DispatchBatch, DocumentBatch, EnumerationSummary, LostBatch, RunFailure, SyncRun, SyncRunReport, SyncStages } from './sync-stages.js';
import { runFailures } from './run-failures.js';
import { checkListingNotEmpty } from '../pipeline/empty-listing.js';

export interface ConnectorSyncStagesOptions {
  store: ConnectorStore;
  createConnector: ConnectorFactory;
  index: ChunkIndex;
  embedder: Embedder;
  chunking: ChunkingOptions;
  /** Parses documents (one long-lived parser pool per process: a pool per batch would cost its start-up each time). */
  parse: DocumentParser;
  /** Documents of one batch parsed at once. */
  parseConcurrency: number;
  /** Documents per batch, and content bytes per batch at most. */
  batchDocuments: number;
  batchBytes: number;
  search: SearchRefreshSettings;
  log?: (line: string) => void;
  /**
   * Hold the connector's run lock (the one `runConnector` and removals take) from
   * enumeration to the end of the run. Only for a runner whose steps all run in this
   * process (in-process, inside `docent serve`): then a `docent connectors run` in another
   * process and a scheduled or watch run here never run the same connector at once.
   * BullMQ runs hand steps between processes and keep one run per connector themselves.
   */
  runLock?: boolean;
}

/** Metadata-only updates written together. */
const metadataBatchSize = 256;

/**
 * The steps of a connector sync over the connector store, the connector registry and the
 * index. Enumeration skips documents whose version the index holds, applies permission
 * and location changes of unchanged bytes in place, and hands the rest out in batches of
 * `batchDocuments` (or `batchBytes`); each batch is indexed by whichever worker takes it,
 * replacing documents by id; the final step deletes what the source no longer lists and
 * saves the checkpoint.
 */
export class ConnectorSyncStages implements SyncStages {
  private readonly worker = `${hostname()}:${process.pid}`;
  /** Run locks held, by run id (with `runLock`). */
  private readonly locks = new Map<string, HeldLock>();

  constructor(private readonly options: ConnectorSyncStagesOptions) {}

  async enumerate(run: SyncRun, dispatch: DispatchBatch, inFlight: ReadonlySet<string>, signal: AbortSignal): Promise<EnumerationSummary> {
    const { store, index } = this.options;
    await this.lockRun(run);
    let connector: Connector | undefined;
    try {
      // Read under the lock: a run that just finished elsewhere may have moved the checkpoint.
      const record = await store.require(run.connector);
      refusePausedRun(record, run.trigger);
      await store.startRun(run.connector, run.trigger, run.runId);
      connector = await this.options.createConnector(record);
      await connector.validate(signal);
      const existing = await index.documents(record.sourceId);
      const context = this.context(run, signal, (documentId) => existing.get(documentId)?.version);
      const summary: EnumerationSummary = { seen: 0, unchanged: 0, metadataUpdated: 0, dispatched: 0, batches: 0, failures: [], nextCheckpoint: null, keptDocumentIds: [] };
      let batch: ConnectorDocument[] = [];
      let batchBytes = 0;
      let metadata: DocumentMetadata[] = [];
      const sendBatch = async (): Promise<void> => {
        if (batch.length === 0) return;
        const documents = batch;
        batch = [];
        batchBytes = 0;
        await dispatch(documents);
        summary.batches++;
      };
      const sendMetadata = async (): Promise<void> => {
        if (metadata.length === 0) return;
        const updates = metadata;
        metadata = [];
        await index.updateDocumentMetadata(updates);
      };
      const loading = connector.load((record.checkpoint ?? undefined) as never, context);
      for (;;) {
        const step = await loading.next();
        if (signal.aborted) throw new JobInterruptedError();
        if (step.done) {
          summary.nextCheckpoint = step.value ?? null;
          break;
        }
        summary.seen++;
        const item = step.value;
        if ('failure' in item) {
          summary.failures.push(failureOf(item.failure.documentId, item.failure.location, item.failure.error));
          // A vanished file is gone; any other failure leaves the document at the source, and its old version in the index.
          if (item.failure.error.code !== 'file_vanished') summary.keptDocumentIds.push(item.failure.documentId);
          continue;
        }
        const document = item.document;
        const problem = yieldedDocumentProblem(document, record.sourceId);
        if (problem) {
          summary.failures.push({ documentId: document.id, location: document.uri, code: 'internal', message: problem });
          continue;
        }
        const indexed = existing.get(document.id);
        if (indexed?.version === document.version) {
          summary.unchanged++;
          continue;
        }
        if (inFlight.has(document.id)) {
          // A batch of an earlier try of this run holds it already.
          summary.dispatched++;
          continue;
        }
        if (indexed && indexed.contentHash === contentHash(document.content)) {
          const update: DocumentMetadata = { documentId: document.id, version: document.version, access: document.access, uri: document.uri };
          if (document.modifiedAt) update.modifiedAt = document.modifiedAt;
          metadata.push(update);
          summary.metadataUpdated++;
          if (metadata.length >= metadataBatchSize) await sendMetadata();
          continue;
        }
        if (batch.length > 0 && (batch.length >= this.options.batchDocuments || batchBytes + document.content.byteLength > this.options.batchBytes)) await sendBatch();
        batch.push(document);
        batchBytes += document.content.byteLength;
        summary.dispatched++;
      }
      await sendBatch();
      await sendMetadata();
      return summary;
    } catch (error) {
      // A retry enumerates again from the start, taking the lock again.
      await this.unlockRun(run);
      throw error;
    } finally {
      await connector?.dispose?.().catch(() => undefined);
    }
  }

  async indexBatch(batch: DocumentBatch, signal: AbortSignal): Promise<BatchOutcome> {
    const { index } = this.options;
    // Read now, not at enumeration: an earlier try of this batch may have written some of it already.
    const existing = await index.documentsByIds(batch.documents.map((document) => document.id));
    async function* items(): AsyncGenerator<SourceItem> {
      for (const document of batch.documents) yield { document };
    }
    const report = await indexDocuments(items(), {
      index,
      embedder: this.options.embedder,
      chunking: this.options.chunking,
      sourceId: batch.sourceId,
      concurrency: this.options.parseConcurrency,
      deleteMissing: false,
      existing,
      parse: this.options.parse,
      signal,
    });
    if (report.interrupted || signal.aborted) throw new JobInterruptedError();
    const failed = new Set(report.failures.map((failure) => failure.documentId));
    // Documents an earlier try of this batch wrote before its worker died show as unchanged now; they were written by this run all the same.
    const writtenEarlier = batch.documents.filter((document) => {
      const indexed = existing.get(document.id);
      return indexed !== undefined && indexed.version === document.version && indexed.indexedAt >= batch.run.requestedAt;
    }).length;
    return {
      indexed: batch.documents.map((document) => document.id).filter((documentId) => !failed.has(documentId)),
      added: report.added + writtenEarlier,
      updated: report.updated,
      chunks: report.chunks,
      failures: report.failures.map((failure) => ({ documentId: failure.documentId, location: failure.location, code: failure.code, message: failure.message })),
      worker: this.worker,
    };
  }

  async finalize(run: SyncRun, summary: EnumerationSummary, batches: BatchOutcome[], lost: LostBatch[], signal: AbortSignal): Promise<SyncRunReport> {
    try {
      await this.lockRun(run);
      return await this.finish(run, summary, batches, lost, signal);
    } finally {
      await this.unlockRun(run);
    }
  }

  private async finish(run: SyncRun, summary: EnumerationSummary, batches: BatchOutcome[], lost: LostBatch[], signal: AbortSignal): Promise<SyncRunReport> {
    const { store, index } = this.options;
    const record = await store.require(run.connector);
    const connector = await this.options.createConnector(record);
    const failures = runFailures(summary.failures, batches, lost);
    const failedIds = new Set(failures.map((failure) => failure.documentId));
    let deleted: string[];
    let unchanged = 0;
    try {
      const existing = await index.documents(record.sourceId);
      const context = this.context(run, signal, (documentId) => existing.get(documentId)?.version);
      // Listed completely before anything is deleted: a listing that fails half-way deletes nothing.
      const listed = new Set<string>(summary.keptDocumentIds);
      for await (const documentId of connector.listIds(context)) listed.add(documentId);
      if (signal.aborted) throw new JobInterruptedError();
      checkListingNotEmpty({ sourceId: record.sourceId, listed: listed.size, indexed: existing.size, allowEmpty: connector.allowEmpty === true });
      deleted = [...existing.values()]
        .filter((document) => !listed.has(document.documentId) && !(document.parentId !== undefined && listed.has(document.parentId)))
        .map((document) => document.documentId);
      await index.deleteDocuments(deleted);
      const gone = new Set(deleted);
      // A connector need not yield what it knows is unchanged: every listed document this run did not write counts as unchanged.
      unchanged = [...existing.values()].filter((document) => !gone.has(document.documentId) && document.indexedAt < run.requestedAt && !failedIds.has(document.documentId)).length;
    } finally {
      await connector.dispose?.().catch(() => undefined);
    }
    const workers: Record<string, number> = {};
    for (const batch of batches) workers[batch.worker] = (workers[batch.worker] ?? 0) + batch.indexed.length;
    const report: SyncRunReport = {
      runId: run.runId,
      connector: run.connector,
      trigger: run.trigger,
      startedAt: run.requestedAt,
      finishedAt: new Date().toISOString(),
      status: lost.length > 0 ? 'partial' : 'succeeded',
      seen: summary.seen - summary.unchanged + unchanged,
      added: sum(batches, 'added'),
      updated: sum(batches, 'updated'),
      metadataUpdated: summary.metadataUpdated,
      unchanged,
      deleted: deleted.length,
      failed: failures.length,
      chunks: sum(batches, 'chunks'),
      failures,
      workers,
    };
    // Compaction is the one write that conflicts with other processes' writes; it only restores speed, so it never fails a run.
    await retryCommitConflicts(() => refreshSearch(index, this.options.embedder, report, this.options.search)).catch((error) =>
      this.options.log?.(`sync ${run.connector}: search indexes not refreshed this time (${describeError(error)}); the next run does it`),
    );
    await store.finishRun(run.connector, run.runId, {
      state: 'succeeded',
      report: indexReportOf(record.sourceId, report),
      // A lost batch means documents the checkpoint would skip next time were not indexed: keep the old bookmark.
      checkpoint: lost.length > 0 ? undefined : (summary.nextCheckpoint ?? undefined),
      needsAttention: null,
    });
    return report;
  }

  async recordFailure(run: SyncRun, error: unknown, final: boolean): Promise<void> {
    await this.unlockRun(run);
    const typed = asDocentError(error);
    this.options.log?.(`sync ${run.connector} ${run.runId}: ${typed.code}: ${typed.message}${final ? '' : ' (will retry)'}`);
    // A run that never started (another process runs the connector, or it is paused) leaves no record, as with runConnector.
    if (!final || typed.code === 'connector_busy' || typed.code === 'connector_paused') return;
    // As runConnector does: only what an admin must fix (credentials, permissions, settings) marks the connector; a transient failure that ran out of tries does not.
    const attention = needsAttention(error) ? { code: typed.code, message: typed.message, at: new Date().toISOString() } : undefined;
    await this.options.store.finishRun(run.connector, run.runId, {
      state: 'failed',
      error: { code: typed.code, message: typed.message, retryable: typed.retryable },
      ...(attention ? { needsAttention: attention } : {}),
    });
  }

  private async lockRun(run: SyncRun): Promise<void> {
    if (!this.options.runLock || this.locks.has(run.runId)) return;
    const lock = await acquireFileLock(this.options.store.runLockFile(run.connector), {
      waitMs: 0,
      busy: (holder) => new DocentError('connector_busy', `connector ${run.connector} is being run by ${holder}; this run waits and tries again`, { retryable: true }),
    });
    this.locks.set(run.runId, lock);
  }

  private async unlockRun(run: SyncRun): Promise<void> {
    const lock = this.locks.get(run.runId);
    this.locks.delete(run.runId);
    await lock?.release();
  }

  private context(run: SyncRun, signal: AbortSignal, indexedVersion: SyncContext['indexedVersion']): SyncContext {
    return { signal, indexedVersion, log: (message) => this.options.log?.(`${run.connector}: ${message}`) };
  }
}

function failureOf(documentId: string, location: string, error: unknown): RunFailure {
  const typed = asDocentError(error);
  return { documentId, location, code: typed.code, message: typed.message };
}

function sum(batches: BatchOutcome[], field: 'added' | 'updated' | 'chunks'): number {
  return batches.reduce((total, batch) => total + batch[field], 0);
}

/** The run in the store's report shape (the one `docent connectors show` and `run` print). */
export function indexReportOf(sourceId: string, report: SyncRunReport): IndexReport {
  return {
    sourceId,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    seen: report.seen,
    added: report.added,
    updated: report.updated,
    metadataUpdated: report.metadataUpdated,
    unchanged: report.unchanged,
    deleted: report.deleted,
    failed: report.failed,
    chunks: report.chunks,
    failures: report.failures.map((failure) => ({ ...failure, keptPreviousVersion: false })),
    interrupted: false,
  };
}
