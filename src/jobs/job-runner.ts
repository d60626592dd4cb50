import type { JobsConfig } from '../config/schema.js';
import type { ConnectorSchedule } from './connector-schedule.js';
import type { SyncRunReport, SyncTrigger } from './sync-stages.js';

/** A run as enqueued: its id, and whether a run of the same connector was already waiting or running. */
export interface EnqueuedRun {
  runId: string;
  /** True when the request joined a run already queued or active for the connector (no second run was made). */
  joined: boolean;
}

/** Where a run stands, for `docent connectors show` and `--wait`. */
export type RunState = 'waiting' | 'active' | 'waiting-for-batches' | 'delayed' | 'completed' | 'failed' | 'unknown';

/**
 * Runs connector syncs: on BullMQ queues shared by any number of worker processes when
 * Redis is configured, or inside this process when it is not. Both take the same
 * `SyncStages`, run one sync job per connector at a time, spread document batches over
 * a bounded number of concurrent workers, retry transient failures with exponential
 * backoff and stop retrying on credential and permission errors.
 */
export interface JobRunner {
  /** `bullmq` or `in-process`, for logs and status. */
  readonly kind: 'bullmq' | 'in-process';
  /** Queues a sync of the connector; a run already queued or active for it is joined instead. */
  enqueueSync(connector: string, trigger: SyncTrigger): Promise<EnqueuedRun>;
  /** Resolves with the run's report once it finishes; rejects with its error when it fails for good. */
  waitForRun(runId: string, signal?: AbortSignal): Promise<SyncRunReport>;
  /** Where a run stands now. */
  runState(runId: string): Promise<RunState>;
  /** Sets (or replaces) the connector's schedule. */
  schedule(connector: string, schedule: ConnectorSchedule): Promise<void>;
  /** Removes the connector's schedule (paused or removed connector); no error when there is none. */
  unschedule(connector: string): Promise<void>;
  /** When the connector's schedule fires next; undefined without a schedule. */
  nextRun(connector: string): Promise<Date | undefined>;
  /**
   * Starts taking jobs in this process (a `docent worker`, or `docent serve` with the
   * in-process runner): syncs, document batches and scheduled runs.
   */
  startWorking(): Promise<void>;
  /**
   * Stops taking jobs, lets in-flight work finish for `graceMilliseconds`, then interrupts
   * it: an interrupted job goes back to its queue (BullMQ) or is dropped (in-process), in
   * either case without a checkpoint or a deletion. Closes connections.
   */
  close(graceMilliseconds?: number): Promise<void>;
}

/** One line per job for a worker's log. */
export type JobLogger = (line: string) => void;

/** Settings both runners share (from `jobs.*` in the configuration). */
export interface JobRunnerSettings {
  /** Syncs (enumeration, final step) run at once by this process. */
  syncConcurrency: number;
  /** Document batches indexed at once by this process. */
  batchConcurrency: number;
  /** Batches waiting at most before enumeration pauses. */
  maximumPendingBatches: number;
  /** Tries of a sync or a batch that fails transiently. */
  attempts: number;
  /** First retry delay in milliseconds, doubled each further try. */
  backoffMilliseconds: number;
  /** How long a job stays claimed by a worker that stopped answering (BullMQ lock). */
  lockMilliseconds: number;
}

/** The runner settings from `jobs.*` in the configuration. */
export function jobRunnerSettings(jobs: JobsConfig): JobRunnerSettings {
  return {
    syncConcurrency: jobs.syncConcurrency,
    batchConcurrency: jobs.batchConcurrency,
    maximumPendingBatches: jobs.maximumPendingBatches,
    attempts: jobs.attempts,
    backoffMilliseconds: jobs.backoffSeconds * 1000,
    lockMilliseconds: jobs.lockSeconds * 1000,
  };
}
