import type { DocentConfig } from '../config/schema.js';
import { estimatedNextRuns, type NextRunSource } from '../pipeline/connector-schedule.js';
import type { ConnectorRecord } from '../pipeline/connector-record.js';
import { createJobRunner } from './sync-host.js';
import type { EnqueuedRun } from './job-runner.js';
import type { SyncRunReport } from './sync-stages.js';

/**
 * What the `docent connectors` commands need from the job layer when Redis is configured
 * (`jobs.redisUrl`); without it they run connectors in their own process as before.
 */

/** Queues a run of the connector for the workers and, with `wait`, returns its report once done. */
export async function enqueueConnectorRun(config: DocentConfig, name: string, options: { wait: boolean; signal?: AbortSignal }): Promise<EnqueuedRun & { report?: SyncRunReport }> {
  const runner = await createJobRunner(config, undefined);
  try {
    const enqueued = await runner.enqueueSync(name, 'manual');
    if (!options.wait) return enqueued;
    return { ...enqueued, report: await runner.waitForRun(enqueued.runId, options.signal) };
  } finally {
    await runner.close(0);
  }
}

/** Waits for a queued run to finish: its report, or its error (a `DocentError` with the run's code) when it failed for good. */
export async function waitForConnectorRun(config: DocentConfig, runId: string, signal?: AbortSignal): Promise<SyncRunReport> {
  const runner = await createJobRunner(config, undefined);
  try {
    return await runner.waitForRun(runId, signal);
  } finally {
    await runner.close(0);
  }
}

/**
 * Brings the connector's job scheduler in line with its stored settings after an add,
 * pause, resume, schedule change or removal (`record` undefined). Without Redis nothing
 * is needed: `docent serve` re-reads the settings within 30 s.
 */
export async function applySchedule(config: DocentConfig, name: string, record: ConnectorRecord | undefined): Promise<void> {
  if (!config.jobs.redisUrl) return;
  const runner = await createJobRunner(config, undefined);
  try {
    if (record?.schedule && !record.paused) await runner.schedule(name, record.schedule);
    else await runner.unschedule(name);
  } finally {
    await runner.close(0);
  }
}

/** Next runs as `docent connectors list/show` print them: BullMQ's own when Redis is configured, else estimated from the schedule. */
export async function nextRunSource(config: DocentConfig): Promise<NextRunSource & { close(): Promise<void> }> {
  if (!config.jobs.redisUrl) return { ...estimatedNextRuns, close: async () => undefined };
  const runner = await createJobRunner(config, undefined);
  return {
    nextRun: async (connector) => (connector.paused ? undefined : runner.nextRun(connector.name)),
    close: () => runner.close(0),
  };
}
