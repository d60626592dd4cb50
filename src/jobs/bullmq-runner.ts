import { hostname } from 'node:os';
import { DelayedError, Job, Queue, QueueEvents, UnrecoverableError, WaitingChildrenError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ConnectorDocument } from '../core/connector.js';
import { DocentError, describeError, type ErrorCode } from '../core/errors.js';
import { decodeBatch, encodeBatch, type EncodedBatch } from './batch-codec.js';
import type { ConnectorSchedule } from './connector-schedule.js';
import { delay, secondsSince, settlesWithin, unlessAborted } from './abortable-wait.js';
import { describeCounts, newRunId } from './in-process-runner.js';
import type { EnqueuedRun, JobLogger, JobRunner, JobRunnerSettings, RunState } from './job-runner.js';
import { connectRedis, createRedisConnection } from './redis-connection.js';
import { asDocentError, isRetryable, JobInterruptedError } from './retry-policy.js';
import type { BatchOutcome, EnumerationSummary, LostBatch, SyncRun, SyncRunReport, SyncStages, SyncTrigger } from './sync-stages.js';

/** The sync queue holds one job per connector run (and the jobs its schedules produce); the document queue holds its batches. */
export const syncQueueName = 'sync';
export const documentQueueName = 'documents';

/** A run's job data: the run, and the step it is at (kept in Redis, so a retry or another worker resumes there). */
interface SyncJobData {
  run: SyncRun;
  step: 'enumerate' | 'finalize';
  summary?: EnumerationSummary;
}

/** What a job scheduler puts on the sync queue: just which connector is due. */
interface ScheduledJobData {
  connector: string;
}

export interface BullmqRunnerOptions {
  redisUrl: string;
  /** Prefix of every key (`docent`), so that installations and tests can share one Redis. */
  prefix: string;
  settings: JobRunnerSettings;
  /** The sync steps; only a process that works on jobs needs them (an enqueuing CLI does not). */
  stages?: SyncStages;
  log?: JobLogger;
}

/** How many times a job may be found abandoned (its worker killed) before it is failed rather than re-queued. */
const maximumStalls = 3;
/** Completed runs are kept this long for `--wait` and `docent connectors show`. */
const keepFinishedSeconds = 7 * 86_400;

/**
 * Connector syncs on BullMQ. A run is a job on the sync queue, deduplicated per connector
 * while it is queued or active. It works in steps (BullMQ's "step job" pattern): the
 * enumeration step adds each batch of changed documents as a child job on the document
 * queue, where any worker process takes it, then parks the run in `waiting-children`;
 * when the last batch is done BullMQ hands the run back, and the final step deletes what
 * the source no longer has and saves the checkpoint. Children added one by one (rather
 * than one FlowProducer tree built up front) let enumeration stream a source of any size
 * with bounded memory; BullMQ's own dependency tracking does the counting, so a run whose
 * worker died is resumed by another one at the step it had reached.
 */
export class BullmqJobRunner implements JobRunner {
  readonly kind = 'bullmq' as const;
  private readonly syncQueue: Queue<SyncJobData | ScheduledJobData>;
  private readonly documentQueue: Queue<EncodedBatch>;
  private events: QueueEvents | undefined;
  private workers: Worker[] = [];
  private readonly shutdown = new AbortController();
  private readonly workerName = `${hostname()}:${process.pid}`;
  private readonly log: JobLogger;

  private constructor(
    private readonly connection: Redis,
    private readonly options: BullmqRunnerOptions,
  ) {
    this.log = options.log ?? (() => undefined);
    const queueOptions = { connection, prefix: options.prefix };
    this.syncQueue = new Queue(syncQueueName, queueOptions);
    this.documentQueue = new Queue(documentQueueName, queueOptions);
    this.syncQueue.on('error', (error) => this.log(`redis: ${describeError(error)}`));
    this.documentQueue.on('error', (error) => this.log(`redis: ${describeError(error)}`));
  }

  /** Connects to Redis (failing fast with `queue_unavailable` when it cannot be reached) and opens the queues. */
  static async connect(options: BullmqRunnerOptions): Promise<BullmqJobRunner> {
    const connection = createRedisConnection(options.redisUrl);
    try {
      await connectRedis(connection, options.redisUrl);
    } catch (error) {
      connection.disconnect();
      throw error;
    }
    return new BullmqJobRunner(connection, options);
  }

  async enqueueSync(connector: string, trigger: SyncTrigger): Promise<EnqueuedRun> {
    const run: SyncRun = { runId: newRunId(connector), connector, trigger, requestedAt: new Date().toISOString() };
    const job = await this.syncQueue.add('sync', { run, step: 'enumerate' }, {
      jobId: run.runId,
      // One run per connector while it is queued, active or waiting for its batches; a second request joins it.
      deduplication: { id: `connector-${connector}` },
      attempts: this.options.settings.attempts,
      backoff: { type: 'exponential', delay: this.options.settings.backoffMilliseconds },
      removeOnComplete: { age: keepFinishedSeconds, count: 1000 },
      removeOnFail: { age: keepFinishedSeconds, count: 1000 },
    });
    return { runId: job.id!, joined: job.id !== run.runId };
  }

  async waitForRun(runId: string, signal?: AbortSignal): Promise<SyncRunReport> {
    const events = await this.queueEvents();
    const job = await Job.fromId<SyncJobData, SyncRunReport>(this.syncQueue, runId);
    if (!job) throw new DocentError('invalid_request', `no run ${runId} in the queue (finished runs are kept ${keepFinishedSeconds / 86_400} days)`);
    // The queue's event stream can miss a run that ends while its reader is not yet listening;
    // the job's own state, read every second, settles the wait then.
    const stopPolling = new AbortController();
    const finished = Promise.race([job.waitUntilFinished(events) as Promise<SyncRunReport>, this.pollUntilFinished(runId, stopPolling.signal)])
      .catch((error: unknown) => {
        throw decodeFailure(describeError(error));
      })
      .finally(() => stopPolling.abort());
    return unlessAborted(finished, signal);
  }

  private async pollUntilFinished(runId: string, signal: AbortSignal): Promise<SyncRunReport> {
    for (;;) {
      await delay(1000, signal);
      const state = await this.syncQueue.getJobState(runId);
      if (state !== 'completed' && state !== 'failed') continue;
      const job = await Job.fromId<SyncJobData, SyncRunReport>(this.syncQueue, runId);
      if (state === 'completed' && job) return job.returnvalue;
      throw new Error(job?.failedReason || 'the run failed');
    }
  }

  async runState(runId: string): Promise<RunState> {
    const state = await this.syncQueue.getJobState(runId);
    switch (state) {
      case 'waiting':
      case 'prioritized':
        return 'waiting';
      case 'waiting-children':
        return 'waiting-for-batches';
      case 'active':
      case 'delayed':
      case 'completed':
      case 'failed':
        return state;
      default:
        return 'unknown';
    }
  }

  async schedule(connector: string, schedule: ConnectorSchedule): Promise<void> {
    const repeat = 'everySeconds' in schedule ? { every: schedule.everySeconds * 1000 } : { pattern: schedule.cron };
    await this.syncQueue.upsertJobScheduler(schedulerId(connector), repeat, {
      name: 'scheduled',
      data: { connector },
      opts: { removeOnComplete: true, removeOnFail: { count: 100 } },
    });
  }

  async unschedule(connector: string): Promise<void> {
    await this.syncQueue.removeJobScheduler(schedulerId(connector));
  }

  async nextRun(connector: string): Promise<Date | undefined> {
    const scheduler = await this.syncQueue.getJobScheduler(schedulerId(connector));
    return scheduler?.next ? new Date(scheduler.next) : undefined;
  }

  async startWorking(): Promise<void> {
    if (this.workers.length > 0) return;
    const settings = this.options.settings;
    const common = {
      connection: this.connection,
      prefix: this.options.prefix,
      name: this.workerName,
      lockDuration: settings.lockMilliseconds,
      stalledInterval: settings.lockMilliseconds,
      maxStalledCount: maximumStalls,
    };
    const syncWorker = new Worker<SyncJobData | ScheduledJobData, unknown>(syncQueueName, (job, token, signal) => this.processSyncQueue(job, token!, signal), {
      ...common,
      concurrency: settings.syncConcurrency,
    });
    const documentWorker = new Worker<EncodedBatch, BatchOutcome>(documentQueueName, (job, token, signal) => this.processBatch(job, token!, signal), {
      ...common,
      concurrency: settings.batchConcurrency,
    });
    for (const worker of [syncWorker, documentWorker]) {
      worker.on('error', (error) => this.log(`worker: ${describeError(error)}`));
      worker.on('stalled', (jobId) => this.log(`job ${jobId} was abandoned by a stopped worker; back in the queue`));
    }
    this.workers = [syncWorker, documentWorker];
    await Promise.all(this.workers.map((worker) => worker.waitUntilReady()));
  }

  async close(graceMilliseconds = 30_000): Promise<void> {
    const workers = this.workers;
    // close() stops taking jobs at once and resolves when the active ones have finished.
    const closing = Promise.all(workers.map((worker) => worker.close()));
    if (!(await settlesWithin(closing, graceMilliseconds))) {
      this.log(`shutdown: handing in-flight jobs back to the queue after ${graceMilliseconds / 1000} s`);
      this.shutdown.abort();
      for (const worker of workers) worker.cancelAllJobs('shutdown');
      // A job stuck in native code cannot be interrupted: leave it to stalled-job recovery.
      if (!(await settlesWithin(closing, 15_000))) await Promise.all(workers.map((worker) => worker.close(true)));
    }
    this.shutdown.abort();
    await Promise.all([this.events?.close(), this.syncQueue.close(), this.documentQueue.close()]);
    await this.connection.quit().catch(() => this.connection.disconnect());
  }

  /** Counts of jobs by state on both queues, for status and tests. */
  async queueCounts(): Promise<{ sync: Record<string, number>; documents: Record<string, number> }> {
    const states = ['waiting', 'active', 'delayed', 'failed', 'completed', 'waiting-children'] as const;
    return { sync: await this.syncQueue.getJobCounts(...states), documents: await this.documentQueue.getJobCounts(...states) };
  }

  private async queueEvents(): Promise<QueueEvents> {
    if (!this.events) {
      this.events = new QueueEvents(syncQueueName, { connection: this.connection.duplicate(), prefix: this.options.prefix });
      this.events.on('error', (error) => this.log(`redis: ${describeError(error)}`));
      await this.events.waitUntilReady();
    }
    return this.events;
  }

  private stages(): SyncStages {
    if (!this.options.stages) throw new DocentError('internal', 'this job runner only enqueues; it was given no sync stages to run jobs with');
    return this.options.stages;
  }

  private async processSyncQueue(job: Job<SyncJobData | ScheduledJobData>, token: string, jobSignal: AbortSignal | undefined): Promise<unknown> {
    if (job.name === 'scheduled') {
      const { connector } = job.data as ScheduledJobData;
      const enqueued = await this.enqueueSync(connector, 'schedule');
      this.log(`schedule ${connector}: ${enqueued.joined ? 'joined' : 'queued'} ${enqueued.runId}`);
      return enqueued;
    }
    return this.processSync(job as Job<SyncJobData>, token, this.signalFor(jobSignal));
  }

  private async processSync(job: Job<SyncJobData>, token: string, signal: AbortSignal): Promise<SyncRunReport> {
    const stages = this.stages();
    const { run } = job.data;
    const started = Date.now();
    try {
      if (job.data.step === 'enumerate') {
        const summary = await stages.enumerate(run, this.batchDispatcher(job, signal), await this.inFlightDocuments(job), signal);
        await job.updateData({ run, step: 'finalize', summary });
        this.log(`sync ${run.connector} ${run.runId}: ${summary.seen} seen, ${summary.dispatched} in ${summary.batches} batches, ${summary.unchanged} unchanged (${secondsSince(started)})`);
        // Parks the run until its last batch is done; false when they all are already.
        if (await job.moveToWaitingChildren(token)) throw new WaitingChildrenError();
      }
      const summary = job.data.summary!;
      const outcomes = Object.values(await job.getChildrenValues<BatchOutcome>());
      const report = await stages.finalize(run, summary, outcomes, await this.lostBatches(job), signal);
      this.log(`sync ${run.connector} ${run.runId} done: ${describeCounts(report)} (${secondsSince(started)})`);
      return report;
    } catch (error) {
      if (error instanceof WaitingChildrenError) throw error;
      if (signal.aborted || error instanceof JobInterruptedError) return this.handBack(job, token, `sync ${run.connector} ${run.runId}`);
      const retryable = isRetryable(error);
      const final = !retryable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      await stages.recordFailure(run, error, final).catch((recordError) => this.log(`sync ${run.connector}: could not record the failure: ${describeError(recordError)}`));
      this.log(`sync ${run.connector} ${run.runId} try ${job.attemptsMade + 1} failed${final ? ' for good' : ', will retry'}: ${describeError(error)}`);
      throw retryable ? new Error(encodeFailure(error)) : new UnrecoverableError(encodeFailure(error));
    }
  }

  private async processBatch(job: Job<EncodedBatch, BatchOutcome>, token: string, jobSignal: AbortSignal | undefined): Promise<BatchOutcome> {
    const signal = this.signalFor(jobSignal);
    const batch = decodeBatch(job.data);
    const label = `batch ${batch.ordinal} of ${batch.run.runId}`;
    const started = Date.now();
    try {
      const outcome = await this.stages().indexBatch(batch, signal);
      this.log(`${label}: ${outcome.indexed.length} indexed (${outcome.chunks} chunks), ${outcome.failures.length} failed, in ${secondsSince(started)}`);
      return outcome;
    } catch (error) {
      if (signal.aborted || error instanceof JobInterruptedError) return this.handBack(job, token, label);
      this.log(`${label} try ${job.attemptsMade + 1} failed: ${describeError(error)}`);
      throw isRetryable(error) ? new Error(encodeFailure(error)) : new UnrecoverableError(encodeFailure(error));
    }
  }

  /** Puts an interrupted job back in the queue at once, without spending one of its tries. */
  private async handBack(job: Job, token: string, label: string): Promise<never> {
    this.log(`${label}: interrupted by shutdown, handed back to the queue`);
    await job.moveToDelayed(Date.now(), token);
    throw new DelayedError();
  }

  private batchDispatcher(job: Job<SyncJobData>, signal: AbortSignal): (documents: ConnectorDocument[]) => Promise<void> {
    let ordinal: number | undefined;
    return async (documents) => {
      if (ordinal === undefined) {
        const counts = await job.getDependenciesCount();
        ordinal = Object.values(counts).reduce((sum, count) => sum + (count ?? 0), 0);
      }
      // Enumeration waits while batches pile up, so Redis memory stays bounded on large sources.
      while ((await this.documentQueue.getWaitingCount()) >= this.options.settings.maximumPendingBatches) await delay(200, signal);
      const batch = { run: job.data.run, sourceId: documents[0]!.sourceId, ordinal: ++ordinal, documents };
      await this.documentQueue.add('batch', encodeBatch(batch), {
        parent: { id: job.id!, queue: job.queueQualifiedName },
        attempts: this.options.settings.attempts,
        backoff: { type: 'exponential', delay: this.options.settings.backoffMilliseconds },
        // A batch that fails for good is reported by the run's final step; the run still finishes.
        ignoreDependencyOnFailure: true,
        removeOnComplete: true,
        removeOnFail: { age: keepFinishedSeconds },
      });
    };
  }

  /** Documents that batches of an earlier try of this run still hold: re-enumeration must not hand them out twice. */
  private async inFlightDocuments(job: Job<SyncJobData>): Promise<Set<string>> {
    const documents = new Set<string>();
    let cursor = 0;
    do {
      const page = await job.getDependencies({ unprocessed: { cursor, count: 200 } });
      for (const key of page.unprocessed ?? []) {
        const child = await Job.fromId<EncodedBatch>(this.documentQueue, jobIdOfKey(key));
        for (const document of child?.data.documents ?? []) documents.add(document.id);
      }
      cursor = page.nextUnprocessedCursor ?? 0;
    } while (cursor !== 0);
    return documents;
  }

  private async lostBatches(job: Job<SyncJobData>): Promise<LostBatch[]> {
    const lost: LostBatch[] = [];
    for (const [key, reason] of Object.entries(await job.getIgnoredChildrenFailures())) {
      const child = await Job.fromId<EncodedBatch>(this.documentQueue, jobIdOfKey(key));
      lost.push({ documentIds: (child?.data.documents ?? []).map((document) => document.id), reason: decodeFailure(reason).message });
    }
    return lost;
  }

  private signalFor(jobSignal: AbortSignal | undefined): AbortSignal {
    return jobSignal ? AbortSignal.any([jobSignal, this.shutdown.signal]) : this.shutdown.signal;
  }
}

export function schedulerId(connector: string): string {
  return `connector-${connector}`;
}

/** `prefix:queue:id` → `id`. */
function jobIdOfKey(key: string): string {
  return key.slice(key.lastIndexOf(':') + 1);
}

/** A failure as BullMQ stores it (a string): the code first, so that a waiting CLI gets a typed error back. */
function encodeFailure(error: unknown): string {
  const typed = asDocentError(error);
  return `[${typed.code}] ${typed.message}`;
}

function decodeFailure(reason: string): DocentError {
  const match = /^\[([a-z_]+)\] ([\s\S]*)$/.exec(reason);
  return match ? new DocentError(match[1] as ErrorCode, match[2]!) : new DocentError('internal', reason);
}
