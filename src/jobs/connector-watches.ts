import path from 'node:path';
import { parseConnectorConfig } from '../../connectors/config-fields.js';
import type { ConnectorRegistry } from '../../connectors/registry.js';
import { DocentError, describeError } from '../core/errors.js';
import type { ConnectorRecord } from '../pipeline/connector-record.js';
import type { ConnectorStore } from '../pipeline/connector-store.js';
import { acquireFileLock, type HeldLock } from '../pipeline/file-lock.js';
import type { ConnectorFactory } from './connector-factory.js';
import type { JobLogger, JobRunner } from './job-runner.js';
import { watchRequests } from './watch-requests.js';

export interface ConnectorWatchesOptions {
  store: ConnectorStore;
  registry: ConnectorRegistry;
  createConnector: ConnectorFactory;
  /** Where the syncs a change calls for go: the process's own job runner. */
  runner: Pick<JobRunner, 'enqueueSync' | 'waitForRun' | 'runState'>;
  log: JobLogger;
  /** How often the store is re-read for connectors added, changed, paused or removed, and for watches another process let go of. */
  refreshMilliseconds?: number;
}

interface ActiveWatch {
  /** The settings it watches with: changed settings restart the watch. */
  settings: string;
  controller: AbortController;
  finished: Promise<void>;
}

const defaultRefreshMilliseconds = 10_000;

/**
 * Watch mode for every connector whose settings ask for it (`watch: true` on a file share)
 * and that is not paused, in a process that runs connector jobs (`docent worker`, or
 * `docent serve` without Redis). A change at the source becomes a sync job of that
 * connector (see `watchRequests`); starting a watch also queues one sync, to catch up with
 * changes made while nobody watched.
 *
 * One process watches a connector at a time, however many workers run: a watch is held
 * under a lock file in the shared data directory (`state/watches/<name>.lock`), the same
 * kind of lock that keeps one run of a connector at a time. The other processes try again
 * at each refresh, so when the watching process stops (or is killed) another one takes
 * the watch over within a refresh (on another machine: once the lock is 30 s stale).
 */
export class ConnectorWatches {
  private readonly active = new Map<string, ActiveWatch>();
  /** Connectors whose settings cannot be watched, with the reason already logged, so the log says it once. */
  private readonly reported = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: ConnectorWatchesOptions) {}

  /** Connectors this process watches now. */
  get watching(): string[] {
    return [...this.active.keys()].sort();
  }

  /** Starts every watch this process can take, then keeps them in line with the store. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.options.refreshMilliseconds ?? defaultRefreshMilliseconds);
    this.timer.unref();
  }

  /** Starts and stops watches to match the store now. Never throws: a store that cannot be read is logged and tried again. */
  refresh(): Promise<void> {
    this.refreshing ??= this.reconcile()
      .catch((error: unknown) => this.options.log(`watches: ${describeError(error)}`))
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** Stops every watch and lets go of their locks; a sync a change queued goes on in the job runner. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.refreshing;
    await Promise.all([...this.active.keys()].map((name) => this.stop(name)));
  }

  private async reconcile(): Promise<void> {
    if (this.closed) return;
    const wanted = new Map<string, string>();
    for (const record of await this.options.store.list()) {
      if (this.watchable(record)) wanted.set(record.name, JSON.stringify(record.config));
    }
    for (const [name, watch] of this.active) {
      if (wanted.get(name) !== watch.settings) await this.stop(name);
    }
    for (const [name, settings] of wanted) {
      if (!this.active.has(name) && !this.closed) await this.begin(name, settings);
    }
  }

  private watchable(record: ConnectorRecord): boolean {
    if (record.paused) return false;
    const definition = this.options.registry.get(record.kind);
    if (!definition?.watches) return false;
    try {
      return definition.watches(parseConnectorConfig(definition, record.config));
    } catch (error) {
      // A run reports invalid settings (and marks the connector); a watch just stays off.
      this.reportOnce(record.name, `watch ${record.name}: not watched, its settings are invalid: ${describeError(error)}`);
      return false;
    }
  }

  private async begin(name: string, settings: string): Promise<void> {
    const { store, log } = this.options;
    const controller = new AbortController();
    let lock: HeldLock;
    try {
      lock = await acquireFileLock(path.join(path.dirname(store.file), 'watches', `${name}.lock`), {
        waitMs: 0,
        busy: (holder) => new DocentError('connector_busy', `connector ${name} is watched by ${holder}`),
        // Taken over by another process (this one stalled past the stale limit): it watches now.
        onLost: () => controller.abort(),
      });
    } catch (error) {
      // Another process watches it; it is tried again at the next refresh, in case that one stops.
      if (!(error instanceof DocentError && error.code === 'connector_busy')) log(`watch ${name}: ${describeError(error)}`);
      return;
    }
    const record = await store.get(name);
    if (!record || this.closed) {
      await lock.release();
      return;
    }
    const finished = this.watch(record, controller.signal).finally(() => lock.release());
    this.active.set(name, { settings, controller, finished });
    // A watch that ended by itself (the folder vanished, out of inotify watches) is started again at a later refresh.
    void finished.then(() => {
      if (this.active.get(name)?.finished === finished) this.active.delete(name);
    });
  }

  private async watch(record: ConnectorRecord, signal: AbortSignal): Promise<void> {
    const { log, runner } = this.options;
    let connector;
    try {
      connector = await this.options.createConnector(record);
      if (!connector.watch) {
        this.reportOnce(record.name, `watch ${record.name}: ${record.kind} connectors have no watch mode`);
        return;
      }
      const changed = watchRequests(record.name, runner, signal, log);
      const watching = connector.watch(changed, signal);
      log(`watching ${record.name} (${record.kind}) for changes`);
      // Catch up with what changed while nobody watched.
      changed();
      await watching;
      this.reported.delete(record.name);
    } catch (error) {
      // Said once while it keeps failing the same way (a folder that is gone), not at every refresh.
      if (!signal.aborted) this.reportOnce(record.name, `watch ${record.name} stopped: ${describeError(error)}; trying again every refresh`);
    } finally {
      await connector?.dispose?.().catch(() => undefined);
    }
  }

  private async stop(name: string): Promise<void> {
    const watch = this.active.get(name);
    if (!watch) return;
    this.active.delete(name);
    watch.controller.abort();
    await watch.finished;
    this.options.log(`stopped watching ${name}`);
  }

  private reportOnce(name: string, message: string): void {
    if (this.reported.get(name) === message) return;
    this.reported.set(name, message);
    this.options.log(message);
  }
}
