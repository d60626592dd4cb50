import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DocentError, type ErrorCode } from '../core/errors.js';

interface PendingTask<Result> {
  id: number;
  payload: unknown;
  timeoutMs: number | undefined;
  onTimeout: (() => DocentError) | undefined;
  resolve: (result: Result) => void;
  reject: (error: Error) => void;
}

interface PoolMember {
  worker: Worker;
  busy: PendingTask<unknown> | undefined;
  timer: NodeJS.Timeout | undefined;
  /** Set when the pool terminates the worker itself, so its exit is not taken for a crash. */
  retired: boolean;
}

/** What a worker script posts back: `ready` once loaded, then one `result` or `error` per task. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id?: number; code?: ErrorCode; message: string };

export interface WorkerPoolOptions {
  size: number;
  /** Passed to each worker as `workerData.settings`. */
  settings?: unknown;
  /** Code for errors a worker reports without one (and for workers that fail to start). */
  errorCode: ErrorCode;
}

export interface TaskOptions {
  /** The task's time limit once a worker has taken it; past it the worker is replaced. */
  timeoutMs?: number;
  /** The error to fail the task with when it runs out of time. */
  onTimeout?: () => DocentError;
}

/**
 * A fixed set of worker threads running the same script, each handling one task at a
 * time. Used where work is single-threaded and heavy (USE-Lite on the tfjs WASM backend)
 * so that every core does useful work, and where work may never return (a parser stuck
 * in a malformed file): a task past its time limit has its worker terminated and
 * replaced, which no timer on the main thread could do to synchronous code. Workers start
 * lazily on the first task.
 */
export class WorkerPool<Result> {
  private readonly members: PoolMember[] = [];
  private readonly queue: PendingTask<Result>[] = [];
  private starting: Promise<void> | undefined;
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly scriptUrl: URL,
    private readonly options: WorkerPoolOptions,
  ) {}

  run(payload: unknown, taskOptions: TaskOptions = {}): Promise<Result> {
    if (this.closed) return Promise.reject(new DocentError('internal', 'worker pool is closed'));
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, payload, timeoutMs: taskOptions.timeoutMs, onTimeout: taskOptions.onTimeout, resolve, reject });
      this.start().then(
        () => this.dispatch(),
        (error: Error) => this.failAll(error),
      );
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.failAll(new DocentError('internal', 'worker pool closed before the task ran'));
    const members = this.members.splice(0);
    for (const member of members) {
      clearTimeout(member.timer);
      member.retired = true;
    }
    await Promise.all(members.map((member) => member.worker.terminate()));
  }

  /**
   * Loads the workers on first use. The pool serves with those that loaded; if none did, the
   * tasks waiting fail with the reason and the next task tries again (a model that failed to
   * load once under memory pressure must not disable a long-running worker for good).
   */
  private start(): Promise<void> {
    this.starting ??= Promise.allSettled(Array.from({ length: this.options.size }, () => this.spawn())).then((results) => {
      const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failure && this.members.length === 0) {
        this.starting = undefined;
        throw failure.reason;
      }
    });
    return this.starting;
  }

  private spawn(): Promise<void> {
    const worker = createWorker(this.scriptUrl, this.options.settings);
    const member: PoolMember = { worker, busy: undefined, timer: undefined, retired: false };
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') {
          ready = true;
          // Closed while it loaded (a short command that finished first): a live worker would keep the process from exiting.
          if (this.closed) {
            member.retired = true;
            void worker.terminate();
            resolve();
            return;
          }
          this.members.push(member);
          resolve();
          this.dispatch();
          return;
        }
        const task = this.release(member);
        if (message.type === 'result') task?.resolve(message.result);
        else {
          const error = new DocentError(message.code ?? this.options.errorCode, message.message);
          if (task) task.reject(error);
          else if (!ready) reject(error);
        }
        this.dispatch();
      });
      worker.on('error', (error) => {
        if (!ready) reject(new DocentError(this.options.errorCode, `worker failed to start: ${error.message}`, { cause: error }));
        this.release(member)?.reject(error);
      });
      worker.on('exit', (code) => {
        if (!ready) reject(new DocentError(this.options.errorCode, `worker exited with code ${code} before it was ready`));
        const index = this.members.indexOf(member);
        if (index >= 0) this.members.splice(index, 1);
        this.release(member)?.reject(new DocentError('internal', `worker exited with code ${code} while working`));
        // A crashed worker is replaced so the pool keeps its size.
        if (!this.closed && !member.retired && ready) this.replace();
      });
    });
  }

  /** Frees a member after its task ended one way or another, and hands back the task. */
  private release(member: PoolMember): PendingTask<unknown> | undefined {
    clearTimeout(member.timer);
    member.timer = undefined;
    const task = member.busy;
    member.busy = undefined;
    return task;
  }

  private replace(): void {
    this.spawn().catch((error: Error) => this.failAll(error));
  }

  private dispatch(): void {
    for (const member of this.members) {
      if (member.busy) continue;
      const task = this.queue.shift();
      if (!task) return;
      member.busy = task as PendingTask<unknown>;
      if (task.timeoutMs !== undefined) {
        member.timer = setTimeout(() => this.expire(member, task as PendingTask<unknown>), task.timeoutMs);
      }
      member.worker.postMessage({ id: task.id, payload: task.payload });
    }
  }

  /** A task ran out of time: its worker may be stuck in synchronous code, so it is replaced. */
  private expire(member: PoolMember, task: PendingTask<unknown>): void {
    if (member.busy !== task) return;
    member.busy = undefined;
    member.timer = undefined;
    const index = this.members.indexOf(member);
    if (index >= 0) this.members.splice(index, 1);
    member.retired = true;
    task.reject(task.onTimeout?.() ?? new DocentError('internal', `a task ran longer than ${task.timeoutMs} ms`));
    void member.worker.terminate();
    if (!this.closed) this.replace();
  }

  private failAll(error: Error): void {
    for (const task of this.queue.splice(0)) task.reject(error);
  }
}

/**
 * Starts a worker on a compiled `.js` script, or, under vitest and tsx where the script
 * is TypeScript, through tsx's loader (Node 20 workers ignore `--import` hooks for their
 * entry file). The worker reads its own settings from `workerData.settings`.
 */
function createWorker(scriptUrl: URL, settings: unknown): Worker {
  if (!scriptUrl.pathname.endsWith('.ts')) return new Worker(scriptUrl, { workerData: { settings } });
  const tsxApi = pathToFileURL(resolveEsmEntry('tsx', './esm/api')).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ tsImport }) => tsImport(${JSON.stringify(scriptUrl.href)}, ${JSON.stringify(scriptUrl.href)}))`;
  return new Worker(bootstrap, { eval: true, workerData: { settings } });
}

function resolveEsmEntry(packageName: string, subpath: string): string {
  const manifestPath = createRequire(import.meta.url).resolve(`${packageName}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return path.join(path.dirname(manifestPath), manifest.exports[subpath]!.import.default);
}

/** The path of a worker script beside `moduleUrl`: `.ts` under vitest and tsx, `.js` once built. */
export function siblingScript(moduleUrl: string, baseName: string): URL {
  return new URL(`./${baseName}.${moduleUrl.endsWith('.ts') ? 'ts' : 'js'}`, moduleUrl);
}
