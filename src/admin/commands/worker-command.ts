import { hostname } from 'node:os';
import type { Command } from 'commander';
import { DocentError, describeError } from '../../core/errors.js';
import { redactRedisUrl } from '../../jobs/redis-connection.js';
import type { ConnectorWatches } from '../../jobs/connector-watches.js';
import { createJobRunner, openSyncHost, restoreSchedules, startWatches } from '../../jobs/sync-host.js';
import { loadCommandConfig, type GlobalOptions } from './command-config.js';

/** One line per event, time-stamped, on standard output (journald and container logs add nothing else). */
function workerLog(line: string): void {
  console.log(`${new Date().toISOString()} ${line}`);
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('take connector sync jobs from the Redis queues (REDIS_URL) and watch connectors set to watch mode, until SIGTERM/SIGINT; run as many as you like, on any machine sharing the data directory')
    .action(async (_options: unknown, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      if (!config.jobs.redisUrl) {
        throw new DocentError('config_invalid', 'docent worker takes jobs from Redis: set REDIS_URL (or jobs.redisUrl). Without Redis, `docent serve` runs connectors and their schedules in its own process.');
      }
      const host = await openSyncHost(config, { log: workerLog });
      let runner;
      try {
        runner = await createJobRunner(config, host.stages, workerLog);
      } catch (error) {
        await host.dispose();
        throw error;
      }
      let watches: ConnectorWatches | undefined;
      let stopping = false;
      const stopped = new Promise<void>((resolve) => {
        const stop = (signal: string): void => {
          if (stopping) return;
          stopping = true;
          workerLog(`${signal}: taking no more jobs; in-flight work has ${config.jobs.shutdownGraceSeconds} s to finish`);
          void Promise.resolve(watches?.close())
            .then(() => runner!.close(config.jobs.shutdownGraceSeconds * 1000))
            .catch((error: unknown) => workerLog(`shutdown: ${describeError(error)}`))
            .then(() => host.dispose())
            .finally(resolve);
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
      const schedules = await restoreSchedules(host.store, runner);
      await runner.startWorking();
      // Watches start after the worker takes jobs: the catch-up sync each one queues may land here.
      watches = await startWatches(host, runner, workerLog);
      workerLog(
        `docent worker ${hostname()}:${process.pid} ready: Redis ${redactRedisUrl(config.jobs.redisUrl)}, queues ${config.jobs.queuePrefix}:sync and ${config.jobs.queuePrefix}:documents, ${config.jobs.syncConcurrency} syncs and ${config.jobs.batchConcurrency} batches at once, ${schedules} schedule(s), ${watches.watching.length} watched here`,
      );
      await stopped;
      workerLog('stopped');
      // Everything is closed; a library handle left open must not keep a stopped worker alive.
      setTimeout(() => process.exit(0), 5000).unref();
    });
}
