import { randomBytes } from 'node:crypto';
import type { ConnectorDocument } from '../core/connector.js';
import { DocentError, describeError } from '../core/errors.js';
import { nextOccurrence, type ConnectorSchedule } from './connector-schedule.js';
import type { EnqueuedRun, JobLogger, JobRunner, JobRunnerSettings, RunState } from './job-runner.js';
import { delay, secondsSince, unlessAborted } from './abortable-wait.js';
import { backoffDelay, isRetryable, JobInterruptedError } from './retry-policy.js';
import type { BatchOutcome, DocumentBatch, EnumerationSummary, LostBatch, SyncRun, SyncRunReport, SyncStages, SyncTrigger } from './sync-stages.js';

interface RunEntry {
  run: SyncRun;
  state: RunState;
  settled: Promise<SyncRunReport>;
  resolve(report: SyncRunReport): void;
  reject(error: unknown): void;
}

interface ScheduleEntry {
  schedule: ConnectorSchedule;
  next: Date;
  timer?: NodeJS.Timeout;
}

/** setTimeout's largest delay; longer waits are re-armed. */
const maximumTimerDelay = 2 ** 31 - 1;

/** A run id: readable (connector and time) and unique; BullMQ's rules (no `:`, not an integer) hold too. */
export function newRunId(connector: string, now = new Date()): string {
  return `run-${connector}-${now.getTime().toString(36)}${randomBytes(3).toString('hex')}`;
}

/**
 * The job runner of a single process without Redis (the embedded default): the same
 * steps as on BullMQ, with the same rules (one run per connector at a time, bounded
 * concurrency of syncs and of document batches, exponential retries of transient
 * failures, none for credential errors, schedules), kept in memory. A run interrupted by
 * shutdown is dropped: it saved no checkpoint and deleted nothing, so the next run redoes it.
 */
export class InProcessJobRunner implements JobRunner {
  readonly kind = 'in-process' as const;
  private readonly runs = new Map<string, RunEntry>();
  private readonly waiting: RunEntry[] = [];
  private readonly activeByConnector = new Map<string, RunEntry>();
  private readonly schedules = new Map<string, ScheduleEntry>();
  private readonly shutdown = new AbortController();
  private working = false;
  private activeSyncs = 0;
  private readonly batchSlots: Slots;

  constructor(
    private readonly stages: SyncStages,
    private readonly settings: JobRunnerSettings,
    private readonly log: JobLogger = () => undefined,
  ) {
    this.batchSlots = new Slots(settings.batchConcurrency);
  }

  async enqueueSync(connector: string, trigger: SyncTrigger): Promise<EnqueuedRun> {
    const existing = this.activeByConnector.get(connector) ?? this.waiting.find((entry) => entry.run.connector === connector);
    if (existing) return { runId: existing.run.runId, joined: true };
    const run: SyncRun = { runId: newRunId(connector), connector, trigger, requestedAt: new Date().toISOString() };
    let resolve!: (report: SyncRunReport) => void;
    let reject!: (error: unknown) => void;
    const settled = new Promise<SyncRunReport>((yes, no) => {
      resolve = yes;
      reject = no;
    });
    // Nobody may wait for a scheduled run; its failure is recorded, not thrown into the void.
    settled.catch(() => undefined);
    const entry: RunEntry = { run, state: 'waiting', settled, resolve, reject };
    this.runs.set(run.runId, entry);
    this.waiting.push(entry);
    this.pump();
    return { runId: run.runId, joined: false };
  }

  async waitForRun(runId: string, signal?: AbortSignal): Promise<SyncRunReport> {
    const entry = this.runs.get(runId);
    if (!entry) throw new DocentError('invalid_request', `no run ${runId} in this process`);
    return unlessAborted(entry.settled, signal);
  }

  async runState(runId: string): Promise<RunState> {
    return this.runs.get(runId)?.state ?? 'unknown';
  }

  async schedule(connector: string, schedule: ConnectorSchedule): Promise<void> {
    await this.unschedule(connector);
    const entry: ScheduleEntry = { schedule, next: nextOccurrence(schedule, new Date()) };
    this.schedules.set(connector, entry);
    if (this.working) this.arm(connector, entry);
  }

  async unschedule(connector: string): Promise<void> {
    const entry = this.schedules.get(connector);
    if (entry?.timer) clearTimeout(entry.timer);
    this.schedules.delete(connector);
  }

  async nextRun(connector: string): Promise<Date | undefined> {
    return this.schedules.get(connector)?.next;
  }

  async startWorking(): Promise<void> {
    if (this.working || this.shutdown.signal.aborted) return;
    this.working = true;
    for (const [connector, entry] of this.schedules) this.arm(connector, entry);
    this.pump();
  }

  async close(graceMilliseconds = 30_000): Promise<void> {
    this.working = false;
    for (const entry of this.schedules.values()) if (entry.timer) clearTimeout(entry.timer);
    for (const entry of this.waiting.splice(0)) this.settle(entry, new JobInterruptedError());
    const active = [...this.activeByConnector.values()].map((entry) => entry.settled.catch(() => undefined));
    if (active.length > 0) {
      const finished = await Promise.race([Promise.all(active).then(() => true), delay(graceMilliseconds).then(() => false)]);
      if (!finished) this.log(`shutdown: interrupting ${this.activeByConnector.size} run(s) after ${graceMilliseconds / 1000} s; they saved no checkpoint and deleted nothing`);
    }
    this.shutdown.abort();
    await Promise.all(active);
  }

  private arm(connector: string, entry: ScheduleEntry): void {
    const wait = Math.min(Math.max(0, entry.next.getTime() - Date.now()), maximumTimerDelay);
    entry.timer = setTimeout(() => {
      if (Date.now() < entry.next.getTime()) return this.arm(connector, entry);
      entry.next = nextOccurrence(entry.schedule, new Date());
      void this.enqueueSync(connector, 'schedule').then(({ runId, joined }) => this.log(`schedule ${connector}: ${joined ? 'joined' : 'queued'} ${runId}`));
      this.arm(connector, entry);
    }, wait);
    // A schedule alone does not keep a process alive: `docent serve` has its server for that.
    entry.timer.unref();
  }

  private pump(): void {
    while (this.working && this.activeSyncs < this.settings.syncConcurrency) {
      // A connector's next run waits while its previous one is still active.
      const index = this.waiting.findIndex((entry) => !this.activeByConnector.has(entry.run.connector));
      if (index < 0) return;
      const [entry] = this.waiting.splice(index, 1);
      this.activeSyncs++;
      this.activeByConnector.set(entry!.run.connector, entry!);
      void this.execute(entry!).finally(() => {
        this.activeSyncs--;
        this.activeByConnector.delete(entry!.run.connector);
        this.pump();
      });
    }
  }

  /** Runs one sync through its steps, retrying the step that failed (as BullMQ retries a job from its saved step). */
  private async execute(entry: RunEntry): Promise<void> {
    const { run } = entry;
    const signal = this.shutdown.signal;
    const started = Date.now();
    let summary: EnumerationSummary | undefined;
    const outcomes: BatchOutcome[] = [];
    const lost: LostBatch[] = [];
    const batches = new Set<Promise<void>>();
    let ordinal = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        entry.state = 'active';
        if (!summary) {
          const dispatch = async (documents: ConnectorDocument[]): Promise<void> => {
            // Enumeration waits while batches pile up, so memory stays bounded on large sources.
            while (this.batchSlots.waiting >= this.settings.maximumPendingBatches) await this.batchSlots.released(signal);
            const batch: DocumentBatch = { run, sourceId: documents[0]!.sourceId, ordinal: ++ordinal, documents };
            const task = this.indexBatch(batch, outcomes, lost, signal).finally(() => batches.delete(task));
            batches.add(task);
          };
          // A retried enumeration starts after the earlier try's batches have finished, so none is in flight.
          summary = await this.stages.enumerate(run, dispatch, new Set(), signal);
        }
        entry.state = 'waiting-for-batches';
        while (batches.size > 0) await Promise.all([...batches]);
        if (signal.aborted) throw new JobInterruptedError();
        entry.state = 'active';
        const report = await this.stages.finalize(run, summary, outcomes, lost, signal);
        this.log(`sync ${run.connector} ${run.runId} done in ${secondsSince(started)}: ${describeCounts(report)}`);
        this.settle(entry, undefined, report);
        return;
      } catch (error) {
        while (batches.size > 0) await Promise.all([...batches]);
        if (signal.aborted || error instanceof JobInterruptedError) {
          this.log(`sync ${run.connector} ${run.runId} interrupted by shutdown`);
          this.settle(entry, new JobInterruptedError());
          return;
        }
        const final = !isRetryable(error) || attempt >= this.settings.attempts;
        await this.stages.recordFailure(run, error, final).catch((recordError) => this.log(`sync ${run.connector}: could not record the failure: ${describeError(recordError)}`));
        if (final) {
          this.log(`sync ${run.connector} ${run.runId} failed after ${attempt} tries: ${describeError(error)}`);
          this.settle(entry, error);
          return;
        }
        const wait = backoffDelay(this.settings.backoffMilliseconds, attempt);
        this.log(`sync ${run.connector} ${run.runId} try ${attempt} failed (${describeError(error)}); retrying in ${wait / 1000} s`);
        entry.state = 'delayed';
        try {
          await delay(wait, signal);
        } catch {
          this.settle(entry, new JobInterruptedError());
          return;
        }
      }
    }
  }

  private async indexBatch(batch: DocumentBatch, outcomes: BatchOutcome[], lost: LostBatch[], signal: AbortSignal): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const release = await this.batchSlots.acquire(signal).catch(() => undefined);
      if (!release) return;
      const started = Date.now();
      try {
        const outcome = await this.stages.indexBatch(batch, signal);
        outcomes.push(outcome);
        this.log(`batch ${batch.ordinal} of ${batch.run.runId}: ${batch.documents.length} documents in ${secondsSince(started)}`);
        return;
      } catch (error) {
        if (signal.aborted) return;
        if (!isRetryable(error) || attempt >= this.settings.attempts) {
          lost.push({ documentIds: batch.documents.map((document) => document.id), reason: describeError(error) });
          this.log(`batch ${batch.ordinal} of ${batch.run.runId} failed after ${attempt} tries: ${describeError(error)}`);
          return;
        }
      } finally {
        release();
      }
      try {
        await delay(backoffDelay(this.settings.backoffMilliseconds, attempt), signal);
      } catch {
        return;
      }
    }
  }

  private settle(entry: RunEntry, error: unknown, report?: SyncRunReport): void {
    if (report) {
      entry.state = 'completed';
      entry.resolve(report);
    } else {
      entry.state = 'failed';
      entry.reject(error);
    }
  }
}

/** A counting semaphore that also tells how many wait for a slot. */
class Slots {
  private free: number;
  private readonly queue: Array<() => void> = [];
  private readonly onRelease = new Set<() => void>();

  constructor(size: number) {
    this.free = size;
  }

  get waiting(): number {
    return this.queue.length;
  }

  async acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) throw new JobInterruptedError();
    if (this.free > 0) this.free--;
    else {
      await new Promise<void>((resolve, reject) => {
        const grant = (): void => {
          signal.removeEventListener('abort', cancel);
          resolve();
        };
        const cancel = (): void => {
          this.queue.splice(this.queue.indexOf(grant), 1);
          reject(new JobInterruptedError());
        };
        this.queue.push(grant);
        signal.addEventListener('abort', cancel, { once: true });
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next) next();
      else this.free++;
      for (const listener of [...this.onRelease]) listener();
    };
  }

  /** Resolves at the next release. */
  released(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new JobInterruptedError());
      const done = (): void => {
        this.onRelease.delete(done);
        signal.removeEventListener('abort', cancel);
        resolve();
      };
      const cancel = (): void => {
        this.onRelease.delete(done);
        reject(new JobInterruptedError());
      };
      this.onRelease.add(done);
      signal.addEventListener('abort', cancel, { once: true });
    });
  }
}

/** The counts of a run in one line, as the worker log and the CLI print them. */
export function describeCounts(report: SyncRunReport): string {
  return `${report.seen} seen, ${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged, ${report.deleted} deleted, ${report.failed} failed${report.status === 'partial' ? ' (partial: some batches were lost; the checkpoint was kept)' : ''}`;
}
