import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import type { ConnectorRecord } from '../pipeline/connector-record.js';
import { redisUnavailableReason, testRedis } from '../../test/support/redis-server.js';
import { BullmqJobRunner } from './bullmq-runner.js';
import { applySchedule, enqueueConnectorRun, nextRunSource } from './connector-jobs.js';
import { jobRunnerSettings } from './job-runner.js';

const redis = await testRedis();
if (!redis) console.warn(`connector job commands skipped: ${redisUnavailableReason}`);
afterAll(() => redis?.cleanUp());

const record = (schedule: ConnectorRecord['schedule'], paused = false): ConnectorRecord => ({
  name: 'wiki', kind: 'file-share', sourceId: 'file-share:wiki', config: {}, paused, createdAt: '', updatedAt: '', runs: [], ...(schedule ? { schedule } : {}),
});

describe.skipIf(!redis)('connector commands with Redis configured', () => {
  const config = () => loadConfig({ file: '/dev/null', environment: { REDIS_URL: redis!.url, DOCENT_JOBS_QUEUE_PREFIX: redis!.newPrefix() } });

  it('queues a run for the workers, joining one already queued', async () => {
    const settings = config();
    const first = await enqueueConnectorRun(settings, 'wiki', { wait: false });
    const second = await enqueueConnectorRun(settings, 'wiki', { wait: false });
    expect(first.joined).toBe(false);
    expect(second).toMatchObject({ runId: first.runId, joined: true });
    const runner = await BullmqJobRunner.connect({ redisUrl: settings.jobs.redisUrl!, prefix: settings.jobs.queuePrefix, settings: jobRunnerSettings(settings.jobs) });
    expect(await runner.runState(first.runId)).toBe('waiting');
    await runner.close(0);
  });

  it('keeps the job scheduler in line with the stored schedule, and reports the next run', async () => {
    const settings = config();
    await applySchedule(settings, 'wiki', record({ cron: '0 3 * * *' }));
    const source = await nextRunSource(settings);
    try {
      const next = await source.nextRun({ name: 'wiki', paused: false }, new Date());
      expect(next).toBeInstanceOf(Date);
      expect(next!.getHours()).toBe(3);
      await applySchedule(settings, 'wiki', record({ cron: '0 3 * * *' }, true));
      expect(await source.nextRun({ name: 'wiki', paused: false }, new Date())).toBeUndefined();
      await applySchedule(settings, 'wiki', record({ everySeconds: 600 }));
      expect(await source.nextRun({ name: 'wiki', paused: false }, new Date())).toBeInstanceOf(Date);
      await applySchedule(settings, 'wiki', undefined);
      expect(await source.nextRun({ name: 'wiki', paused: false }, new Date())).toBeUndefined();
    } finally {
      await source.close();
    }
  });
});
