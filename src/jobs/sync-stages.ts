import type { Checkpoint, ConnectorDocument } from '../core/connector.js';

/** Why a connector sync started. */
export type SyncTrigger = 'manual' | 'schedule' | 'watch';

/** One run of one connector, as every stage of it sees it. */
export interface SyncRun {
  /** The job id of the run: unique, stable across retries and worker restarts. */
  runId: string;
  /** The configured connector's name (`hr-share`). */
  connector: string;
  trigger: SyncTrigger;
  /** When the run was asked for (ISO 8601). */
  requestedAt: string;
}

/** A document that could not be indexed, as a run report lists it. */
export interface RunFailure {
  documentId: string;
  /** Where a person finds it: a path or URL. */
  location: string;
  /** A stable `DocentError` code (`file_corrupt`, `file_too_large`, ...). */
  code: string;
  message: string;
}

/** Documents handed from the enumerating sync to whichever worker takes the batch. */
export interface DocumentBatch {
  run: SyncRun;
  /** The source id every document of the run carries. */
  sourceId: string;
  /** 1-based position of the batch in its run, for logs. */
  ordinal: number;
  documents: ConnectorDocument[];
}

/** What indexing one batch did. */
export interface BatchOutcome {
  /** Documents of the batch now indexed at their new version (also those an earlier try of the batch had written). */
  indexed: string[];
  /** Documents new to the index. */
  added: number;
  /** Documents re-parsed and re-embedded because their bytes changed. */
  updated: number;
  /** Chunks written. */
  chunks: number;
  /** Documents that failed alone (corrupt, empty); the rest of the batch was written. */
  failures: RunFailure[];
  /** `host:pid` of the worker process that indexed the batch. */
  worker: string;
}

/** What the enumeration step learnt, kept (as JSON) until the run's batches are done. */
export interface EnumerationSummary {
  /** Documents the connector yielded, failures included. */
  seen: number;
  /** Documents skipped because the index already holds their version. */
  unchanged: number;
  /** Documents whose bytes were unchanged but readers, location or version changed: updated in place, not re-embedded. */
  metadataUpdated: number;
  /** Documents handed out in batches. */
  dispatched: number;
  /** Batches handed out. */
  batches: number;
  /** Documents the connector could not read. */
  failures: RunFailure[];
  /** The checkpoint the connector returned: saved only once every batch is written. */
  nextCheckpoint: Checkpoint | null;
  /** Ids of documents that failed at the source but still exist there (their old version stays indexed). */
  keptDocumentIds: string[];
}

/** A batch that failed as a whole after its last try (its documents stay as they were indexed). */
export interface LostBatch {
  documentIds: string[];
  reason: string;
}

/** How a run ended, as run history and `docent connectors run --wait` show it. */
export interface SyncRunReport {
  runId: string;
  connector: string;
  trigger: SyncTrigger;
  startedAt: string;
  finishedAt: string;
  /** `succeeded`: everything done (per-document failures aside); `partial`: some batches were lost, the checkpoint was kept. */
  status: 'succeeded' | 'partial';
  seen: number;
  added: number;
  updated: number;
  metadataUpdated: number;
  unchanged: number;
  deleted: number;
  failed: number;
  /** Chunks written by this run. */
  chunks: number;
  failures: RunFailure[];
  /** Documents indexed per worker process (`host:pid`). */
  workers: Record<string, number>;
}

/** Hands a batch of changed documents to the queue; resolves once the queue has room for it. */
export type DispatchBatch = (documents: ConnectorDocument[]) => Promise<void>;

/**
 * The work of a connector sync, cut into the three steps a queue can spread over worker
 * processes. A job runner (BullMQ or in-process) decides where and when each step runs;
 * the steps decide what is done. Every step may be repeated after a crash, so each is
 * idempotent: enumeration writes nothing, a batch replaces its documents by id, and the
 * final step deletes and saves the checkpoint only once all batches are in.
 */
export interface SyncStages {
  /**
   * Checks the connector, walks what changed since its checkpoint, skips documents whose
   * version is already indexed and dispatches the rest. `inFlight` names documents that
   * batches of an earlier try of this run still hold, which are not dispatched again.
   * Throws a `DocentError` when the source fails as a whole.
   */
  enumerate(run: SyncRun, dispatch: DispatchBatch, inFlight: ReadonlySet<string>, signal: AbortSignal): Promise<EnumerationSummary>;
  /** Parses, chunks, embeds and writes one batch; a bad document fails alone. */
  indexBatch(batch: DocumentBatch, signal: AbortSignal): Promise<BatchOutcome>;
  /**
   * After every batch: deletes documents the source no longer lists, saves the checkpoint
   * (unless a batch was lost), refreshes search indexes and records the run.
   */
  finalize(run: SyncRun, summary: EnumerationSummary, batches: BatchOutcome[], lost: LostBatch[], signal: AbortSignal): Promise<SyncRunReport>;
  /**
   * Records a run that failed as a whole. `final` is false while retries remain; a
   * connector whose credentials or permissions were refused is marked as needing attention.
   */
  recordFailure(run: SyncRun, error: unknown, final: boolean): Promise<void>;
}
