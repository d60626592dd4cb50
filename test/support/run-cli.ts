import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFailed } from 'vitest';
import { docentCommand } from './cli-entry.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Starts the `docent` command as a separate process, as a user would. */
function spawnCli(args: string[], environment: Record<string, string>, preload: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [...preload.flatMap((file) => ['--import', file]), ...docentCommand(), ...args], {
    cwd: root,
    env: { ...process.env, ...environment, FORCE_COLOR: '0' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** How long one command may run before it is killed: a hang then fails its test naming the command, instead of the whole test timing out. */
const commandTimeoutMs = 300_000;

/** Runs a `docent` command to completion. */
export function runCli(args: string[], environment: Record<string, string> = {}, preload: string[] = []): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, environment, preload);
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`docent ${args.join(' ')} did not finish within ${commandTimeoutMs} ms and was killed\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, commandTimeoutMs);
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

export const projectRoot = root;

export interface RunningCli {
  /** The first match of `readyPattern` in standard output. */
  match: RegExpMatchArray;
  output(): string;
  stop(): Promise<number>;
}

/** Starts a long-running `docent` command and resolves once its output matches `readyPattern`. */
export function startCli(args: string[], environment: Record<string, string>, readyPattern: RegExp, preload: string[] = [], timeoutMs = 120_000): Promise<RunningCli> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, environment, preload);
    child.stdin.end();
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`docent ${args.join(' ')} did not print ${readyPattern} within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const exited = new Promise<number>((resolveExit) => child.on('close', (code) => resolveExit(code ?? -1)));
    const onData = (data: Buffer): void => {
      output += data.toString();
      const match = output.match(readyPattern);
      if (match) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stdout.on('data', (more: Buffer) => (output += more.toString()));
        resolve({
          match,
          output: () => output,
          stop: async () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (data: Buffer) => (output += data.toString()));
    child.on('error', reject);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`docent ${args.join(' ')} exited with ${code} before it was ready:\n${output}`));
    });
  });
}

/**
 * A `docent` runner for one end-to-end test that notes each command with its exit code, time
 * and error output, and prints them, with `moreOutput()` (a worker's or server's log), if the
 * test fails: a command that hangs is the one still marked running.
 */
export function loggedCli(environment: Record<string, string>, moreOutput?: () => string): (...args: string[]) => Promise<CliResult> {
  const steps: string[] = [];
  onTestFailed(() => console.error(`docent commands run:\n${steps.join('\n')}${moreOutput ? `\n${moreOutput()}` : ''}`));
  return async (...args) => {
    const started = Date.now();
    const step = steps.push(`docent ${args.join(' ')} (running)`) - 1;
    const result = await runCli(args, environment);
    steps[step] = `docent ${args.join(' ')}: exit ${result.code} after ${Date.now() - started} ms${result.stderr ? `\n${result.stderr.trimEnd()}` : ''}`;
    return result;
  };
}
