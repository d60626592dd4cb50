import type { JobRunner } from '../jobs/job-runner.js';

/** What the admin side asks of the job layer. */
export type AdminJobs = Pick<JobRunner, 'enqueueSync' | 'schedule' | 'unschedule' | 'nextRun'>;

/**
 * A connection to the job queues made on first use and kept: a Redis that is down when
 * `docent serve` starts then fails only the admin requests that need it (503, retryable),
 * not the chat. A failed connection is tried again on the next request.
 */
export class LazyJobRunner implements AdminJobs {
  private connecting: Promise<JobRunner> | undefined;

  constructor(private readonly connect: () => Promise<JobRunner>) {}

  enqueueSync: AdminJobs['enqueueSync'] = async (connector, trigger) => (await this.runner()).enqueueSync(connector, trigger);
  schedule: AdminJobs['schedule'] = async (connector, schedule) => (await this.runner()).schedule(connector, schedule);
  unschedule: AdminJobs['unschedule'] = async (connector) => (await this.runner()).unschedule(connector);
  nextRun: AdminJobs['nextRun'] = async (connector) => (await this.runner()).nextRun(connector);

  /** Closes the connection if one was made. */
  async close(): Promise<void> {
    const connecting = this.connecting;
    this.connecting = undefined;
    const runner = await connecting?.catch(() => undefined);
    await runner?.close(0);
  }

  private runner(): Promise<JobRunner> {
    if (!this.connecting) {
      const attempt = this.connect();
      this.connecting = attempt;
      attempt.catch(() => {
        if (this.connecting === attempt) this.connecting = undefined;
      });
    }
    return this.connecting;
  }
}
