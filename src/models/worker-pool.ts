import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DocentError } from '../core/errors.js';

interface PendingTask<Result> {
  id: number;
  payload: unknown;
  resolve: (result: Result) => void;
  reject: (error: Error) => void;
}

interface PoolMember {
  worker: Worker;
  busy: PendingTask<unknown> | undefined;
}

type WorkerMessage = { type: 'ready' } | { type: 'result'; id: number; result: unknown } | { type: 'error'; id?: number; message: string };

/**
 * A fixed set of worker threads running the same script, each handling one task at a
 * time. Used where a model runs single-threaded (USE-Lite on the tfjs WASM backend) so
 * that every core does useful work. Workers start lazily on the first task.
 */
export class WorkerPool<Result> {
  private readonly members: PoolMember[] = [];
  private readonly queue: PendingTask<Result>[] = [];
  private starting: Promise<void> | undefined;
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly scriptUrl: URL,
    private readonly size: number,
    private readonly workerData: unknown,
  ) {}

  run(payload: unknown): Promise<Result> {
    if (this.closed) return Promise.reject(new DocentError('internal', 'worker pool is closed'));
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, payload, resolve, reject });
      this.start().then(
        () => this.dispatch(),
        (error: Error) => this.failAll(error),
      );
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.failAll(new DocentError('internal', 'worker pool closed before the task ran'));
    await Promise.all(this.members.map((member) => member.worker.terminate()));
    this.members.length = 0;
  }

  private start(): Promise<void> {
    this.starting ??= Promise.all(Array.from({ length: this.size }, () => this.spawn())).then(() => undefined);
    return this.starting;
  }

  private spawn(): Promise<void> {
    const worker = createWorker(this.scriptUrl, this.workerData);
    const member: PoolMember = { worker, busy: undefined };
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') {
          ready = true;
          this.members.push(member);
          resolve();
          return;
        }
        const task = member.busy;
        member.busy = undefined;
        if (message.type === 'result' && task) task.resolve(message.result);
        else if (message.type === 'error') {
          const error = new DocentError('embedding_model_unavailable', message.message);
          if (task) task.reject(error);
          else if (!ready) reject(error);
        }
        this.dispatch();
      });
      worker.on('error', (error) => {
        if (!ready) reject(new DocentError('embedding_model_unavailable', `worker failed to start: ${error.message}`, { cause: error }));
        member.busy?.reject(error);
        member.busy = undefined;
      });
      worker.on('exit', (code) => {
        const index = this.members.indexOf(member);
        if (index >= 0) this.members.splice(index, 1);
        member.busy?.reject(new DocentError('internal', `worker exited with code ${code} while working`));
        member.busy = undefined;
        if (!this.closed && this.members.length === 0) this.failAll(new DocentError('internal', 'every worker thread has exited'));
      });
    });
  }

  private dispatch(): void {
    for (const member of this.members) {
      if (member.busy) continue;
      const task = this.queue.shift();
      if (!task) return;
      member.busy = task as PendingTask<unknown>;
      member.worker.postMessage({ id: task.id, payload: task.payload });
    }
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
