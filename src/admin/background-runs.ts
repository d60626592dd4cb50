import { describeError } from '../core/errors.js';
import type { ConnectorRun } from '../pipeline/connector-record.js';
import type { ConnectorRunResult, RunConnectorOptions } from '../pipeline/run-connector.js';

/** Runs one connector with the serving process's index and models (`runConnector` with its dependencies bound). */
export type ConnectorRunner = (name: string, options: RunConnectorOptions) => Promise<ConnectorRunResult>;

/**
 * Connector runs an admin starts from the API: each runs in this process in the
 * background, and `start` answers as soon as the run holds the connector and is recorded
 * (or fails to start: busy, unknown). On shutdown `close` interrupts them (recorded as
 * interrupted, their checkpoints not moved) and waits for them to stop.
 */
export class BackgroundRuns {
  private readonly stopping = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly runner: ConnectorRunner,
    private readonly log: (message: string) => void = (message) => console.error(message),
  ) {}

  /** Resolves with the run once it started; its end is in the connector's run history. */
  start(name: string): Promise<ConnectorRun> {
    if (this.stopping.signal.aborted) return Promise.reject(new Error('the server is shutting down'));
    return new Promise((resolve, reject) => {
      let started = false;
      const finished = this.runner(name, {
        trigger: 'manual',
        signal: this.stopping.signal,
        log: (message) => this.log(`connector ${name}: ${message}`),
        onStart: (run) => {
          started = true;
          resolve(run);
        },
      }).then(
        () => undefined,
        (error: unknown) => {
          if (!started) reject(error);
          // Already recorded in the run history by runConnector; the log is for the operator.
          else this.log(`connector ${name}: run failed: ${describeError(error)}`);
        },
      );
      this.inFlight.add(finished);
      void finished.finally(() => this.inFlight.delete(finished));
    });
  }

  /** How many runs this process is running now. */
  get running(): number {
    return this.inFlight.size;
  }

  async close(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled([...this.inFlight]);
  }
}
