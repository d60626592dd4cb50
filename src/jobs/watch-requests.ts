import { describeError } from '../core/errors.js';
import type { JobLogger, JobRunner } from './job-runner.js';

/**
 * Turns a watched source's change reports into sync jobs of its connector (trigger
 * `watch`), through the job runner like any other run. A report while no run of ours is
 * pending enqueues one (joining a run already queued for the connector); reports while it
 * is pending, or a join of a run that had already started, lead to exactly one more run
 * after it, because that run may already have listed the source before the change. A
 * burst of edits therefore costs two runs at most.
 * Returns the function to call on each change.
 */
export function watchRequests(connector: string, runner: Pick<JobRunner, 'enqueueSync' | 'waitForRun' | 'runState'>, signal: AbortSignal, log: JobLogger): () => void {
  let pending = false;
  let again = false;
  const requestRuns = async (): Promise<void> => {
    do {
      again = false;
      try {
        const { runId, joined } = await runner.enqueueSync(connector, 'watch');
        log(`watch ${connector}: change seen, ${joined ? 'joined' : 'queued'} ${runId}`);
        // A run that has already started may have listed the source before this change: one more after it.
        if (joined && (await runner.runState(runId)) !== 'waiting') again = true;
        await runner.waitForRun(runId, signal);
      } catch (error) {
        // The run's failure is recorded with the run; the watch goes on and the next change tries again.
        if (!signal.aborted) log(`watch ${connector}: run failed: ${describeError(error)}`);
      }
    } while (again && !signal.aborted);
  };
  return () => {
    if (signal.aborted) return;
    if (pending) {
      again = true;
      return;
    }
    pending = true;
    void requestRuns().finally(() => (pending = false));
  };
}
