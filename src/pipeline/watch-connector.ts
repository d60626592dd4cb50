import { DocentError, describeError, isDocentError } from '../core/errors.js';
import { createConfiguredConnector } from './create-connector.js';
import { runConnector, type ConnectorRunDependencies, type ConnectorRunResult } from './run-connector.js';

export interface WatchConnectorOptions {
  /** Stops watching; a run in progress is interrupted too. */
  signal: AbortSignal;
  /** Each run a change triggered, once it finished. */
  onRun?: (result: ConnectorRunResult) => void;
  /** A triggered run that failed (the watch goes on), or `connector_busy` when another process was running it. */
  onRunError?: (error: DocentError) => void;
  log?: (message: string) => void;
}

/**
 * Watch mode: runs the connector (trigger `watch`, through `runConnector`) soon after
 * its source reports a change, until `signal` aborts. Changes reported while a run is in
 * progress lead to exactly one more run after it, so a burst of edits costs two runs at
 * most. Resolves when the signal aborts; rejects when the connector cannot watch (no
 * watch mode, invalid settings, the watch itself failed).
 */
export async function watchConnector(name: string, dependencies: ConnectorRunDependencies, options: WatchConnectorOptions): Promise<void> {
  const record = await dependencies.store.require(name);
  const connector = createConfiguredConnector(record, dependencies);
  if (!connector.watch) {
    await connector.dispose?.();
    throw new DocentError('invalid_request', `connector ${name} (${record.kind}) has no watch mode; give it a schedule instead`, { retryable: false });
  }
  let running: Promise<void> | undefined;
  let again = false;
  const runOnce = async (): Promise<void> => {
    do {
      again = false;
      try {
        const runOptions: Parameters<typeof runConnector>[2] = { trigger: 'watch', signal: options.signal, waitForOtherRunMs: 60_000 };
        if (options.log) runOptions.log = options.log;
        options.onRun?.(await runConnector(name, dependencies, runOptions));
      } catch (error) {
        const typed = isDocentError(error) ? error : new DocentError('internal', describeError(error), { cause: error });
        options.onRunError?.(typed);
      }
    } while (again && !options.signal.aborted);
  };
  const changed = (): void => {
    if (options.signal.aborted) return;
    if (running) {
      again = true;
      return;
    }
    running = runOnce().finally(() => (running = undefined));
  };
  try {
    await connector.watch(changed, options.signal);
  } finally {
    await running;
    await connector.dispose?.();
  }
}
