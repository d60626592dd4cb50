import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DocentError } from '../core/errors.js';
import { RecordingStages } from '../../test/support/recording-stages.js';
import { redisUnavailableReason, testRedis } from '../../test/support/redis-server.js';
import { BullmqJobRunner } from './bullmq-runner.js';
import { InProcessJobRunner } from './in-process-runner.js';
import type { JobRunner, JobRunnerSettings } from './job-runner.js';

const settings: JobRunnerSettings = {
  syncConcurrency: 2,
  batchConcurrency: 3,
  maximumPendingBatches: 4,
  attempts: 3,
  backoffMilliseconds: 50,
  lockMilliseconds: 5000,
};

const redis = await testRedis();
if (!redis) console.warn(`BullMQ runner tests skipped: ${redisUnavailableReason}`);
afterAll(() => redis?.cleanUp());

interface RunnerFactory {
  name: string;
  available: boolean;
  create(stages: RecordingStages, overrides?: Partial<JobRunnerSettings>): Promise<JobRunner>;
}

const factories: RunnerFactory[] = [
  { name: 'in-process', available: true, create: async (stages, overrides) => new InProcessJobRunner(stages, { ...settings, ...overrides }) },
  {
    name: 'bullmq',
    available: redis !== undefined,
    create: (stages, overrides) => BullmqJobRunner.connect({ redisUrl: redis!.url, prefix: redis!.newPrefix(), settings: { ...settings, ...overrides }, stages }),
  },
];

for (const factory of factories) {
  describe.skipIf(!factory.available)(`${factory.name} job runner`, () => {
    const open: JobRunner[] = [];
    const runnerFor = async (stages: RecordingStages, overrides?: Partial<JobRunnerSettings>): Promise<JobRunner> => {
      const runner = await factory.create(stages, overrides);
      open.push(runner);
      return runner;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((runner) => runner.close(0)));
    });

    it('indexes every document once in bounded parallel batches, and finalizes after the last batch', async () => {
      const stages = new RecordingStages({ handbook: 13 });
      const runner = await runnerFor(stages);
      await runner.startWorking();
      const { runId, joined } = await runner.enqueueSync('handbook', 'manual');
      expect(joined).toBe(false);
      const report = await runner.waitForRun(runId);
      expect(report).toMatchObject({ runId, connector: 'handbook', trigger: 'manual', status: 'succeeded', seen: 13, added: 13 });
      const batched = stages.callsOf('batch').flatMap((call) => call.documents);
      expect(batched).toHaveLength(13);
      expect(new Set(batched).size).toBe(13);
      const [finalize] = stages.callsOf('finalize');
      expect(finalize!.indexed).toEqual([...batched].sort());
      expect(stages.calls.at(-1)!.step).toBe('finalize');
      expect(stages.maximumConcurrentBatches).toBeGreaterThan(1);
      expect(stages.maximumConcurrentBatches).toBeLessThanOrEqual(settings.batchConcurrency);
      expect(await runner.runState(runId)).toBe('completed');
    });

    it('joins a run already queued for the same connector instead of starting a second', async () => {
      const stages = new RecordingStages({ wiki: 4, share: 2 });
      const runner = await runnerFor(stages);
      const first = await runner.enqueueSync('wiki', 'manual');
      const second = await runner.enqueueSync('wiki', 'schedule');
      const other = await runner.enqueueSync('share', 'manual');
      expect(second).toEqual({ runId: first.runId, joined: true });
      expect(other.joined).toBe(false);
      await runner.startWorking();
      await Promise.all([runner.waitForRun(first.runId), runner.waitForRun(other.runId)]);
      expect(stages.callsOf('enumerate', 'wiki')).toHaveLength(1);
      // Once the run is over, a new request starts a new run.
      const third = await runner.enqueueSync('wiki', 'manual');
      expect(third.joined).toBe(false);
      await runner.waitForRun(third.runId);
      expect(stages.callsOf('enumerate', 'wiki')).toHaveLength(2);
    });

    it('retries a transient failure with backoff and succeeds', async () => {
      const stages = new RecordingStages({ flaky: 3 });
      stages.enumerationFailures.set('flaky', { error: new DocentError('source_unreachable', 'connection reset'), times: 2 });
      const runner = await runnerFor(stages);
      await runner.startWorking();
      const { runId } = await runner.enqueueSync('flaky', 'manual');
      const report = await runner.waitForRun(runId);
      expect(report.added).toBe(3);
      expect(stages.callsOf('enumerate')).toHaveLength(3);
      expect(stages.callsOf('failure').map((call) => [call.code, call.final])).toEqual([
        ['source_unreachable', false],
        ['source_unreachable', false],
      ]);
    });

    it('does not retry rejected credentials, records the failure as final and reports its code', async () => {
      const stages = new RecordingStages({ locked: 3 });
      stages.enumerationFailures.set('locked', { error: new DocentError('credentials_rejected', 'the token was refused (401)'), times: 5 });
      const runner = await runnerFor(stages);
      await runner.startWorking();
      const { runId } = await runner.enqueueSync('locked', 'manual');
      await expect(runner.waitForRun(runId)).rejects.toMatchObject({ code: 'credentials_rejected', message: expect.stringMatching(/401/) });
      expect(stages.callsOf('enumerate')).toHaveLength(1);
      expect(stages.callsOf('failure').map((call) => [call.code, call.final])).toEqual([['credentials_rejected', true]]);
      expect(stages.callsOf('batch')).toHaveLength(0);
      expect(await runner.runState(runId)).toBe('failed');
    });

    it('retries a failing batch, and reports a batch that keeps failing as lost without stopping the run', async () => {
      const stages = new RecordingStages({ share: 6 });
      stages.batchFailures.set('share:doc-001', { error: new DocentError('index_unavailable', 'disk busy'), times: 1 });
      stages.batchFailures.set('share:doc-005', { error: new DocentError('index_unavailable', 'disk broken'), times: 99 });
      const runner = await runnerFor(stages);
      await runner.startWorking();
      const { runId } = await runner.enqueueSync('share', 'manual');
      const report = await runner.waitForRun(runId);
      expect(report.status).toBe('partial');
      const [finalize] = stages.callsOf('finalize');
      expect(finalize!.indexed).toEqual(['share:doc-001', 'share:doc-002', 'share:doc-003', 'share:doc-004']);
      expect(finalize!.lost).toEqual([{ documentIds: ['share:doc-005', 'share:doc-006'], reason: expect.stringMatching(/disk broken/) }]);
      expect(stages.callsOf('batch').filter((call) => call.documents.includes('share:doc-005'))).toHaveLength(settings.attempts);
    });

    it('runs a connector on its schedule, reports the next run, and stops when unscheduled', async () => {
      const stages = new RecordingStages({ timed: 2 });
      const runner = await runnerFor(stages);
      await runner.schedule('timed', { everySeconds: 1 });
      const next = await runner.nextRun('timed');
      expect(next).toBeInstanceOf(Date);
      expect(next!.getTime()).toBeGreaterThan(Date.now() - 1000);
      expect(next!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      await runner.startWorking();
      for (let waited = 0; stages.callsOf('finalize', 'timed').length < 2 && waited < 20_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
      const finalized = stages.callsOf('finalize', 'timed');
      expect(finalized.length).toBeGreaterThanOrEqual(2);
      expect(finalized.every((call) => call.run.trigger === 'schedule')).toBe(true);
      await runner.unschedule('timed');
      expect(await runner.nextRun('timed')).toBeUndefined();
      const count = stages.callsOf('enumerate', 'timed').length;
      await new Promise((resolve) => setTimeout(resolve, 2500));
      // At most a run that was already due when the schedule was removed.
      expect(stages.callsOf('enumerate', 'timed').length).toBeLessThanOrEqual(count + 1);
    });

    it('on shutdown, interrupts work that outlives the grace period without finalizing the run', async () => {
      const stages = new RecordingStages({ slow: 4 });
      stages.blockingDocuments.add('slow:doc-003');
      const runner = await runnerFor(stages);
      await runner.startWorking();
      const { runId } = await runner.enqueueSync('slow', 'manual');
      const outcome = runner.waitForRun(runId).then(
        () => 'finished',
        (error: Error) => error.name,
      );
      for (let waited = 0; !stages.callsOf('batch').some((call) => call.documents.includes('slow:doc-003')) && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      open.splice(open.indexOf(runner), 1);
      await runner.close(200);
      expect(stages.callsOf('finalize')).toHaveLength(0);
      if (factory.name === 'in-process') expect(await outcome).toBe('JobInterruptedError');
    });
  });
}
