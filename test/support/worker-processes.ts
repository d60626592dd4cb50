import { spawn, type ChildProcess } from 'node:child_process';
import { projectRoot } from './run-cli.js';
import { docentCommand } from './cli-entry.js';

/** A `docent worker` child process, as an operator would run it. */
export interface WorkerProcess {
  pid: number;
  output(): string;
  /** Resolves once the output matches (or rejects when the process exits first or time runs out). */
  waitFor(pattern: RegExp, timeoutMilliseconds?: number): Promise<RegExpMatchArray>;
  /** Sends the signal and resolves with the exit code (or signal name). */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
  exited: Promise<number | string>;
}

/** Starts `docent worker` and resolves once it says it is ready. */
export async function startWorker(environment: Record<string, string>): Promise<WorkerProcess> {
  const child: ChildProcess = spawn(process.execPath, [...docentCommand(), 'worker'], {
    cwd: projectRoot,
    env: { ...process.env, ...environment, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const append = (data: Buffer): void => {
    output += data.toString();
    for (const listener of [...listeners]) listener();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const waitFor = (pattern: RegExp, timeoutMilliseconds = 120_000): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const match = output.match(pattern);
        if (!match) return;
        cleanUp();
        resolve(match);
      };
      const timer = setTimeout(() => {
        cleanUp();
        reject(new Error(`docent worker did not print ${pattern} within ${timeoutMilliseconds} ms:\n${output}`));
      }, timeoutMilliseconds);
      const cleanUp = (): void => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      void exited.then((code) => {
        if (!listeners.has(check)) return;
        cleanUp();
        reject(new Error(`docent worker exited (${code}) before printing ${pattern}:\n${output}`));
      });
      check();
    });
  const worker: WorkerProcess = {
    pid: child.pid!,
    output: () => output,
    waitFor,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  await waitFor(/ready: Redis/);
  return worker;
}
