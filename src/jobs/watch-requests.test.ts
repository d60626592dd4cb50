import { afterEach, describe, expect, it } from 'vitest';
import { RecordingStages } from '../../test/support/recording-stages.js';
import { InProcessJobRunner } from './in-process-runner.js';
import type { JobRunnerSettings } from './job-runner.js';
import { watchRequests } from './watch-requests.js';

const settings: JobRunnerSettings = { syncConcurrency: 2, batchConcurrency: 3, maximumPendingBatches: 4, attempts: 2, backoffMilliseconds: 50, lockMilliseconds: 5000 };

async function until(check: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline && !check(); ) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('watchRequests', () => {
  let controller = new AbortController();
  const runners: InProcessJobRunner[] = [];
  afterEach(async () => {
    controller.abort();
    controller = new AbortController();
    await Promise.all(runners.splice(0).map((runner) => runner.close(0)));
  });

  it('turns a burst of changes into one run, and one more for the changes seen while it ran', async () => {
    const stages = new RecordingStages({ share: 6 });
    const runner = new InProcessJobRunner(stages, settings);
    runners.push(runner);
    await runner.startWorking();
    const changed = watchRequests('share', runner, controller.signal, () => undefined);
    for (let change = 0; change < 5; change++) changed();
    await until(() => stages.callsOf('finalize').length >= 2);
    // Settled: nothing more is asked for.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stages.callsOf('enumerate').map((call) => call.run.trigger)).toEqual(['watch', 'watch']);
  });

  it('joins a run that already started, and asks for one more after it, since that run may have missed the change', async () => {
    const stages = new RecordingStages({ share: 200 });
    const runner = new InProcessJobRunner(stages, settings);
    runners.push(runner);
    await runner.startWorking();
    const { runId } = await runner.enqueueSync('share', 'manual');
    await until(() => stages.callsOf('batch').length > 0);
    watchRequests('share', runner, controller.signal, () => undefined)();
    await runner.waitForRun(runId);
    await until(() => stages.callsOf('finalize').length >= 2);
    expect(stages.callsOf('enumerate').map((call) => call.run.trigger)).toEqual(['manual', 'watch']);
  });
});
