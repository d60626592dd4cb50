import { rm } from 'node:fs/promises';
import path from 'node:path';
import { parseConnectorConfig } from '../../connectors/config-fields.js';
import type { ConnectorRegistry } from '../../connectors/registry.js';
import type { ChunkIndex } from '../../indexes/chunk-index.js';
import type { AdminActor } from '../audit/admin-action.js';
import type { AuditLog } from '../audit/audit-log.js';
import { connectorActions, recordConnectorAction } from '../audit/connector-actions.js';
import { connectorSourceId } from '../core/connector.js';
import type { JobRunner } from '../jobs/job-runner.js';
import { DocentError, describeError, isDocentError } from '../core/errors.js';
import type { AttentionNeeded, ConnectorRecord, ConnectorRun } from '../pipeline/connector-record.js';
import { estimatedNextRuns, type ConnectorSchedule, type NextRunSource } from '../pipeline/connector-schedule.js';
import { validateConnectorName, type ConnectorStore } from '../pipeline/connector-store.js';
import { acquireFileLock } from '../pipeline/file-lock.js';
import { locationOf } from './status-report.js';

/** An index to delete a removed connector's documents from, and how to let go of it afterwards. */
export interface BorrowedIndex {
  index: ChunkIndex;
  /** Closes an index opened for the occasion; does nothing for the one a server keeps open. */
  release(): void;
}

/**
 * Keeps the job layer's schedule of a connector in line with its settings after a change
 * (`record` undefined: it was removed). `docent serve` gives its job runner; a command
 * gives the Redis schedulers when there are some.
 */
export type ScheduleSync = (name: string, record: ConnectorRecord | undefined) => Promise<void>;

export interface ConnectorServiceOptions {
  store: ConnectorStore;
  registry: ConnectorRegistry;
  /** Every change is recorded here before it is made. */
  audit: AuditLog;
  /** The index, or undefined when nothing was indexed yet. */
  index: () => Promise<BorrowedIndex | undefined>;
  /** When scheduled connectors run next; estimated from their schedules unless a job layer knows better. */
  nextRuns?: NextRunSource;
  /** Called after every change that can move a schedule; nothing when absent. */
  syncSchedule?: ScheduleSync;
}

/** A new connector: settings valid for its kind's schema, secrets only as names of environment variables. */
export interface NewConnectorRequest {
  name: string;
  kind: string;
  settings: Record<string, unknown>;
  schedule?: ConnectorSchedule | undefined;
  paused?: boolean;
}

/** A change to a connector: `settings` replace those keys (the rest stay); `schedule: null` removes the schedule. */
export interface ConnectorChange {
  settings?: Record<string, unknown>;
  schedule?: ConnectorSchedule | null;
}

/** One connector as lists show it. */
export interface ConnectorSummary {
  name: string;
  kind: string;
  sourceId: string;
  location: string;
  /** `needs attention`, `paused`, `never run`, `running`, `failing` or `ok`. */
  state: string;
  paused: boolean;
  needsAttention?: AttentionNeeded;
  schedule?: ConnectorSchedule;
  /** The latest finished run (or the running one when none finished). */
  lastRun?: ConnectorRun;
  nextRun?: string;
}

/** One connector in full, with its newest runs. */
export type ConnectorDetail = ConnectorRecord & { state: string; nextRun?: string };

export interface RemovedConnector {
  name: string;
  sourceId: string;
  documentsDeleted: number;
}

/** One word for where a connector stands. */
export function connectorState(connector: ConnectorRecord): string {
  if (connector.needsAttention) return 'needs attention';
  if (connector.paused) return 'paused';
  const latest = connector.runs[0];
  if (!latest) return 'never run';
  if (latest.state === 'running') return 'running';
  if (latest.state === 'failed') return 'failing';
  return 'ok';
}

/**
 * What an admin does to connectors, shared by `docent connectors` and the admin API:
 * every change is validated against the connector's kind, recorded in the audit log
 * (who, what, the settings before and after) and then made. Runs themselves go through
 * `runConnector`; this records that an admin asked for one.
 */
export class ConnectorService {
  private readonly nextRuns: NextRunSource;

  constructor(private readonly options: ConnectorServiceOptions) {
    this.nextRuns = options.nextRuns ?? estimatedNextRuns;
  }

  get registry(): ConnectorRegistry {
    return this.options.registry;
  }

  async list(): Promise<ConnectorSummary[]> {
    const records = await this.options.store.list();
    return Promise.all(
      records.map(async (connector) => {
        const summary: ConnectorSummary = { name: connector.name, kind: connector.kind, sourceId: connector.sourceId, location: locationOf(connector.config), state: connectorState(connector), paused: connector.paused };
        if (connector.needsAttention) summary.needsAttention = connector.needsAttention;
        if (connector.schedule) summary.schedule = connector.schedule;
        const lastRun = connector.runs.find((run) => run.state !== 'running') ?? connector.runs[0];
        if (lastRun) summary.lastRun = lastRun;
        const nextRun = await this.nextRunOf(connector);
        if (nextRun) summary.nextRun = nextRun;
        return summary;
      }),
    );
  }

  /** The connector with its newest `runs` runs (all kept runs when unset). */
  async show(name: string, runs?: number): Promise<ConnectorDetail> {
    const connector = await this.options.store.require(name);
    const detail: ConnectorDetail = { ...connector, runs: runs === undefined ? connector.runs : connector.runs.slice(0, Math.max(1, runs)), state: connectorState(connector) };
    const nextRun = await this.nextRunOf(connector);
    if (nextRun) detail.nextRun = nextRun;
    return detail;
  }

  async add(actor: AdminActor, request: NewConnectorRequest): Promise<ConnectorRecord> {
    const { store, registry } = this.options;
    validateConnectorName(request.name);
    const definition = registry.require(request.kind);
    parseConnectorConfig(definition, request.settings);
    if (await store.get(request.name)) throw new DocentError('invalid_request', `a connector named "${request.name}" exists already`);
    const sourceId = connectorSourceId(definition.kind, request.name);
    await this.record(actor, connectorActions.add, { name: request.name, kind: definition.kind, sourceId }, { config: request.settings, schedule: request.schedule });
    const added = await store.add({ name: request.name, kind: definition.kind, sourceId, config: request.settings, schedule: request.schedule, paused: request.paused ?? false });
    await this.options.syncSchedule?.(added.name, added);
    return added;
  }

  async configure(actor: AdminActor, name: string, change: ConnectorChange): Promise<ConnectorRecord> {
    const { store, registry } = this.options;
    const before = await store.require(name);
    const settings = { ...before.config, ...change.settings };
    parseConnectorConfig(registry.require(before.kind), settings);
    await this.record(actor, connectorActions.configure, before, { config: settings, previousConfig: before.config, schedule: change.schedule ?? undefined, previousSchedule: before.schedule });
    const changed = await store.configure(name, { config: settings, ...(change.schedule !== undefined ? { schedule: change.schedule } : {}) });
    await this.options.syncSchedule?.(name, changed);
    return changed;
  }

  /** Pausing stops schedules and watches; its documents stay searchable and an explicit run still works. */
  async setPaused(actor: AdminActor, name: string, paused: boolean): Promise<ConnectorRecord> {
    const { store } = this.options;
    const connector = await store.require(name);
    await this.record(actor, paused ? connectorActions.pause : connectorActions.resume, connector);
    const changed = await store.configure(name, { paused });
    await this.options.syncSchedule?.(name, changed);
    return changed;
  }

  /** Removes a connector: its documents leave the index; its settings, checkpoint and runs are forgotten. Not while it runs. */
  async remove(actor: AdminActor, name: string): Promise<RemovedConnector> {
    const { store } = this.options;
    const connector = await store.require(name);
    // Not while it runs: the run would write its documents back.
    const running = await acquireFileLock(store.runLockFile(name), {
      waitMs: 0,
      busy: (holder) => new DocentError('connector_busy', `connector ${name} is being run by ${holder}; remove it when the run has finished`, { retryable: true }),
    });
    try {
      const borrowed = await this.options.index();
      try {
        const documents = borrowed ? [...(await borrowed.index.documents(connector.sourceId)).keys()] : [];
        await this.record(actor, connectorActions.remove, connector, { config: connector.config, documentsDeleted: documents.length });
        if (borrowed && documents.length > 0) {
          await borrowed.index.deleteDocuments(documents);
          await borrowed.index.refreshIndexes();
        }
        // A connector added again under this name starts clean: no stale clone or cache, and (with the record) no checkpoint.
        await removeCacheDirectory(store.cacheDirectoryOf(name), name);
        await store.remove(name);
        await this.options.syncSchedule?.(name, undefined);
        return { name, sourceId: connector.sourceId, documentsDeleted: documents.length };
      } finally {
        borrowed?.release();
      }
    } finally {
      await running.release();
    }
  }

  /**
   * Records that an admin asked for a run, then runs `start`: the whole run (a command),
   * or queueing it for the job layer (the admin API). When that fails (another run holds
   * the connector, the source is unreachable, the queue is down), a second record says so.
   */
  async run<T>(actor: AdminActor, name: string, start: () => Promise<T>): Promise<T> {
    const connector = await this.options.store.require(name);
    const record = await this.record(actor, connectorActions.run, connector);
    try {
      return await start();
    } catch (error) {
      const reason = isDocentError(error) ? { code: error.code, message: error.message } : { code: 'internal', message: describeError(error) };
      await this.record(actor, connectorActions.runFailed, connector, { recordId: record.id, error: reason }).catch(() => undefined);
      throw error;
    }
  }

  private async nextRunOf(connector: ConnectorRecord): Promise<string | undefined> {
    const next = await this.nextRuns.nextRun({ name: connector.name, schedule: connector.schedule, paused: connector.paused, lastRunStartedAt: connector.runs[0]?.startedAt }, new Date());
    return next?.toISOString();
  }

  private record(actor: AdminActor, action: Parameters<typeof recordConnectorAction>[1], connector: Pick<ConnectorRecord, 'name' | 'kind' | 'sourceId'>, extra: Record<string, unknown> = {}) {
    return recordConnectorAction(this.options.audit, action, actor, { name: connector.name, kind: connector.kind, sourceId: connector.sourceId, ...extra });
  }
}

/**
 * A job runner's own schedules for the service: brought in line after every change, and
 * asked when a connector runs next (what the runner will actually do, not an estimate).
 */
export function runnerSchedules(runner: Pick<JobRunner, 'schedule' | 'unschedule' | 'nextRun'>): Required<Pick<ConnectorServiceOptions, 'syncSchedule' | 'nextRuns'>> {
  return {
    syncSchedule: async (name, record) => {
      if (record?.schedule && !record.paused) await runner.schedule(name, record.schedule);
      else await runner.unschedule(name);
    },
    nextRuns: { nextRun: async (connector) => (connector.paused || !connector.schedule ? undefined : runner.nextRun(connector.name)) },
  };
}

/** Fails clearly, with the connector still configured, when its cache cannot go: a retried removal then finishes the job. */
async function removeCacheDirectory(directory: string, name: string): Promise<void> {
  try {
    await rm(directory, { recursive: true, force: true });
  } catch (error) {
    throw new DocentError('permission_denied', `could not delete the cache folder ${directory} of connector ${name}: ${describeError(error)}; its documents were deleted, the connector is still configured; fix the folder's permissions and remove it again`, { cause: error, retryable: false });
  }
}
