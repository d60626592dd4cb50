import type { DocentConfig } from '../config/schema.js';
import type { Embedder } from '../core/embedder.js';
import { describeError } from '../core/errors.js';
import type { ChunkIndex } from '../../indexes/chunk-index.js';
import { InProcessJobRunner } from './in-process-runner.js';
import { jobRunnerSettings, type JobLogger } from './job-runner.js';
import { openSyncHost, restoreSchedules, startWatches } from './sync-host.js';

/** How often the connector store is re-read for schedules an admin added, changed, paused or removed meanwhile. */
const scheduleRefreshMilliseconds = 30_000;

export interface InProcessJobs {
  runner: InProcessJobRunner;
  close(): Promise<void>;
}

/**
 * Connector schedules and watches inside `docent serve` when there is no Redis (the
 * embedded default): the in-process runner, with the server's own index and embedder,
 * keeps every active connector's schedule, watches every watched one, and runs them in
 * this process.
 */
export async function startInProcessJobs(config: DocentConfig, index: ChunkIndex, embedder: Embedder, log: JobLogger): Promise<InProcessJobs> {
  // Every step runs here, so a run holds the connector's run lock throughout, as `docent connectors run` does.
  const host = await openSyncHost(config, { index, embedder, log, runLock: true });
  const runner = new InProcessJobRunner(host.stages, jobRunnerSettings(config.jobs), log);
  const refresh = async (): Promise<number> => restoreSchedules(host.store, runner);
  const count = await refresh();
  await runner.startWorking();
  const watches = await startWatches(host, runner, log);
  log(`connector schedules and watches run in this process (no REDIS_URL): ${count} scheduled, ${watches.watching.length} watched`);
  const timer = setInterval(() => void refresh().catch((error: unknown) => log(`connector schedules: ${describeError(error)}`)), scheduleRefreshMilliseconds);
  timer.unref();
  return {
    runner,
    async close() {
      clearInterval(timer);
      await watches.close();
      await runner.close(config.jobs.shutdownGraceSeconds * 1000);
      await host.dispose();
    },
  };
}
