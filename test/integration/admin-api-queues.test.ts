import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LazyJobRunner } from '../../src/admin/lazy-job-runner.js';
import { searchRecords } from '../../src/audit/search-records.js';
import type { WebErrorBody } from '../../src/chat/web/web-server.js';
import type { DocentConfig } from '../../src/config/schema.js';
import { BullmqJobRunner } from '../../src/jobs/bullmq-runner.js';
import { jobRunnerSettings } from '../../src/jobs/job-runner.js';
import { createJobRunner } from '../../src/jobs/sync-host.js';
import { startAdminSite, type AdminSite } from '../support/admin-site.js';
import { freePort, redisUnavailableReason, testRedis } from '../support/redis-server.js';

/** `docent serve` with Redis configured: the admin API queues runs for the workers and keeps their schedulers in line. */
const redis = await testRedis();
if (!redis) console.warn(`admin API with Redis queues skipped: ${redisUnavailableReason}`);
afterAll(() => redis?.cleanUp());

const withQueues = (url: string, prefix: string) => (config: DocentConfig) => new LazyJobRunner(() => createJobRunner({ ...config, jobs: { ...config.jobs, redisUrl: url, queuePrefix: prefix } }, undefined));

describe.skipIf(!redis)('admin API with Redis queues', () => {
  let site: AdminSite;
  let prefix: string;
  let queues: BullmqJobRunner;

  beforeAll(async () => {
    prefix = redis!.newPrefix();
    site = await startAdminSite({ jobs: withQueues(redis!.url, prefix) });
    queues = await BullmqJobRunner.connect({ redisUrl: redis!.url, prefix, settings: jobRunnerSettings(site.config.jobs) });
  });
  afterAll(async () => {
    await queues?.close(0);
    await site?.close();
  });

  const call = (options: InjectOptions) => site.app.inject({ ...options, headers: { authorization: `Bearer ${site.tokenFor.admin}` } });

  it('queues a run for the workers, and a second ask joins it', async () => {
    const first = await call({ method: 'POST', url: '/api/admin/connectors/handbook/run' });
    expect(first.statusCode).toBe(202);
    expect(first.json()).toMatchObject({ name: 'handbook', joined: false });
    const second = await call({ method: 'POST', url: '/api/admin/connectors/handbook/run' });
    expect(second.json()).toMatchObject({ runId: first.json().runId, joined: true });
    // No worker runs in this test: the run waits in the queue.
    expect(await queues.runState(first.json().runId)).toBe('waiting');
  });

  it("keeps the queues' schedulers in line with the connector's schedule", async () => {
    await call({ method: 'PATCH', url: '/api/admin/connectors/handbook', payload: { schedule: { cron: '0 3 * * *' } } });
    const scheduled = await queues.nextRun('handbook');
    expect(scheduled).toBeDefined();
    expect((await call({ method: 'GET', url: '/api/admin/connectors/handbook' })).json().nextRun).toBe(scheduled!.toISOString());
    await call({ method: 'POST', url: '/api/admin/connectors/handbook/pause' });
    expect(await queues.nextRun('handbook')).toBeUndefined();
    await call({ method: 'POST', url: '/api/admin/connectors/handbook/resume' });
    expect(await queues.nextRun('handbook')).toBeDefined();
    await call({ method: 'PATCH', url: '/api/admin/connectors/handbook', payload: { schedule: null } });
    expect(await queues.nextRun('handbook')).toBeUndefined();
  });
});

describe('admin API when Redis cannot be reached', () => {
  let site: AdminSite;

  beforeAll(async () => {
    site = await startAdminSite({ jobs: withQueues(`redis://127.0.0.1:${await freePort()}`, 'unreachable') });
  });
  afterAll(async () => site?.close());

  it('answers 503 for a run, records that it failed, and keeps serving the rest', async () => {
    const call = (options: InjectOptions) => site.app.inject({ ...options, headers: { authorization: `Bearer ${site.tokenFor.admin}` } });
    const run = await call({ method: 'POST', url: '/api/admin/connectors/handbook/run' });
    expect(run.statusCode).toBe(503);
    expect(run.json<WebErrorBody>().error).toMatchObject({ code: 'queue_unavailable', message: expect.stringContaining('cannot reach Redis') });
    const records = (await searchRecords(site.audit.paths.directory, { type: 'admin' })).records.map((stored) => stored.record);
    expect(records.map((record) => record.type === 'admin' && record.action)).toEqual(['connector.run', 'connector.run.failed']);
    expect((await call({ method: 'GET', url: '/api/admin/status' })).statusCode).toBe(200);
  });
});
