import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { DocentError } from '../../src/core/errors.js';
import { gitErrorDetail, gitFailure } from './git-failure.js';
import { withoutSecrets, type GitEnvironment } from './git-environment.js';

/**
 * Runs the `git` command line. Why the CLI and not a JavaScript implementation such as
 * isomorphic-git: isomorphic-git has no ssh or file:// transport, no rename detection in
 * its tree walk, and inflates packs in JavaScript (slow on large repositories), while git
 * is installed wherever repositories live and speaks every transport, credential helper
 * and proxy setting an admin already uses. Processes are spawned from an argument vector,
 * never through a shell, so no path or branch name is ever interpreted.
 */
export interface GitRepositoryHandle {
  /** Arguments before the subcommand that select the repository (`--git-dir` or `-C`) and per-repository settings. */
  leadingArguments: string[];
  environment: GitEnvironment;
  /** The repository as shown in messages (never a secret). */
  label: string;
  /** Longest any one git command may run. */
  timeoutMs: number;
}

export interface GitRunOptions {
  signal: AbortSignal;
  /** Written to the command's standard input, then closed. */
  input?: string;
  /** Words for messages: `fetching`, `listing`. */
  operation: string;
}

export interface GitResult {
  stdout: Buffer;
  exitCode: number;
  /** git's last message line, cleaned of secrets. */
  detail: string;
  /** All git said on standard error, cleaned of secrets. */
  standardError: string;
}

/** Runs one git command to completion; a non-zero exit is returned, not thrown (some commands use it as an answer). */
export async function runGit(repository: GitRepositoryHandle, args: string[], options: GitRunOptions): Promise<GitResult> {
  const child = startGit(repository, args, options.signal, options.input === undefined ? 'ignore' : 'pipe');
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  if (options.input !== undefined && child.stdin) child.stdin.end(options.input);
  const exitCode = await completion(child, repository, options);
  const standardError = withoutSecrets(Buffer.concat(stderr).toString('utf8'), repository.environment.secrets);
  return { stdout: Buffer.concat(stdout), exitCode, detail: gitErrorDetail(standardError), standardError };
}

/** Runs a git command that must succeed and returns its standard output. */
export async function gitOutput(repository: GitRepositoryHandle, args: string[], options: GitRunOptions): Promise<Buffer> {
  const result = await runGit(repository, args, options);
  if (result.exitCode !== 0) throw gitFailure(repository.label, options.operation, result.detail, result.standardError);
  return result.stdout;
}

export type GitChild = ChildProcessByStdio<Writable | null, Readable, Readable>;

/**
 * Starts a long-running git command whose output is read as a stream (`cat-file
 * --batch`, `log`). The caller reads `stdout` and awaits {@link completion}.
 */
export function startGit(repository: GitRepositoryHandle, args: string[], signal: AbortSignal, stdin: 'pipe' | 'ignore'): GitChild {
  const child = spawn('git', [...repository.leadingArguments, ...args], {
    env: repository.environment.variables,
    stdio: [stdin, 'pipe', 'pipe'],
    signal,
    windowsHide: true,
  }) as GitChild;
  // A child killed mid-write reports EPIPE on its stdin; the exit status tells the story.
  child.stdin?.on('error', () => undefined);
  return child;
}

/**
 * Waits for a git process to exit and gives its exit code. Throws when git cannot be
 * started, when the run was aborted (the abort reason), or when it ran past the timeout
 * (`source_unreachable`, retryable: a stalled server).
 */
export function completion(
  child: GitChild,
  repository: GitRepositoryHandle,
  options: { signal: AbortSignal; operation: string; /** False for a process that lives as long as a run (`cat-file --batch`). */ timed?: boolean },
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let timedOut = false;
    const timer =
      options.timed === false
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, repository.timeoutMs);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (options.signal.aborted) reject(options.signal.reason);
      else if (error.code === 'ENOENT') reject(new DocentError('internal', 'the git command is not installed or not on the PATH; the Git connector needs git 2.31 or newer', { retryable: false }));
      else reject(new DocentError('source_unreachable', `${options.operation} ${repository.label}: cannot run git: ${error.message}`, { cause: error }));
    });
    child.on('close', (code, signalName) => {
      clearTimeout(timer);
      if (options.signal.aborted) reject(options.signal.reason);
      else if (timedOut) {
        reject(new DocentError('source_unreachable', `${options.operation} ${repository.label} took longer than ${Math.round(repository.timeoutMs / 1000)} s and was stopped (setting timeoutSeconds)`));
      } else resolve(code ?? (signalName === null ? 1 : 128));
    });
  });
}
