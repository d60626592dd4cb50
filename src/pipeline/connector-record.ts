import type { Checkpoint } from '../core/connector.js';
import { DocentError } from '../core/errors.js';
import type { ConnectorSchedule } from './connector-schedule.js';
import type { FailureRecord, IndexReport } from './index-documents.js';

/** Why a connector cannot run until an admin acts (credentials rejected, space deleted). Cleared by the next successful run. */
export interface AttentionNeeded {
  /** The error code that stopped it, e.g. `credentials_rejected`. */
  code: string;
  message: string;
  /** When it was noticed, ISO 8601. */
  at: string;
}

/** A connector as the admin configured it. */
export interface ConnectorSettings {
  /** Unique handle the admin uses (`hr-share`). */
  name: string;
  /** Registry kind: `file-share`, `web-site`, `confluence`, `git`. */
  kind: string;
  /** Stamped on every document and chunk: `<kind>:<name>`, or `folder:<path>` for folders indexed by `docent index`. */
  sourceId: string;
  /** Settings valid for the kind's schema; secrets appear only as names of environment variables. */
  config: Record<string, unknown>;
  /** When it runs by itself; manual only when unset. */
  schedule?: ConnectorSchedule;
  /** A paused connector is not run by schedules or watches (an explicit run still works). */
  paused: boolean;
  needsAttention?: AttentionNeeded;
  createdAt: string;
  updatedAt: string;
}

export type RunTrigger = 'manual' | 'schedule' | 'watch';

/** A paused connector runs only when an admin asks: scheduled and watch runs get `connector_paused` (every runner applies this rule). */
export function refusePausedRun(record: Pick<ConnectorSettings, 'name' | 'paused'>, trigger: RunTrigger): void {
  if (record.paused && trigger !== 'manual') {
    throw new DocentError('connector_paused', `connector ${record.name} is paused; resume it, or run it by hand`, { retryable: false });
  }
}

export type RunState = 'running' | 'succeeded' | 'failed' | 'interrupted';

/** The counts of a run, as `docent connectors show` prints them. */
export interface RunCounts {
  seen: number;
  added: number;
  updated: number;
  metadataUpdated: number;
  unchanged: number;
  deleted: number;
  failed: number;
  chunks: number;
}

/** One run of a connector, kept in its bounded history. */
export interface ConnectorRun {
  /** Random id; a job layer may pass its job id instead. */
  id: string;
  trigger: RunTrigger;
  startedAt: string;
  finishedAt?: string;
  state: RunState;
  /** Set once the run has indexed (also for a run that failed after indexing some documents). */
  counts?: RunCounts;
  /** Documents that failed, with reasons; at most `maxStoredFailures`, the rest counted in `failuresOmitted`. */
  failures: FailureRecord[];
  failuresOmitted?: number;
  /** Why the whole run failed (source unreachable, credentials rejected). */
  error?: { code: string; message: string; retryable: boolean };
  /** Which process ran it: lets a later run tell a crashed run from a live one. */
  runner: { pid: number; host: string };
}

/** Everything the store keeps about one connector. */
export interface ConnectorRecord extends ConnectorSettings {
  /** Where the last successful run left off; absent until one succeeded. */
  checkpoint?: Checkpoint;
  /** Newest first, at most `maxStoredRuns`. */
  runs: ConnectorRun[];
}

export const maxStoredRuns = 20;
export const maxStoredFailures = 200;

export function countsOf(report: IndexReport): RunCounts {
  return {
    seen: report.seen,
    added: report.added,
    updated: report.updated,
    metadataUpdated: report.metadataUpdated,
    unchanged: report.unchanged,
    deleted: report.deleted,
    failed: report.failed,
    chunks: report.chunks,
  };
}
