import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { DocentError, describeError } from '../core/errors.js';

/** A lock whose holder stopped refreshing it (killed, machine asleep) is taken over after this long. */
const staleAfterMs = 10_000;

export interface HeldLock {
  release(): Promise<void>;
}

export interface LockOptions {
  /** How long to wait for another holder before giving up. */
  waitMs: number;
  /** Thrown when the wait is over: names what is busy for the reader. */
  busy: () => DocentError;
  /** Called if the lock is lost while held (its file was removed, or refreshing it failed for longer than `staleAfterMs`). */
  onLost?: (error: Error) => void;
}

/**
 * A lock shared by the processes of one machine (and of machines sharing the folder over
 * NFS): a directory `<file>.lock` created atomically and refreshed while held, so the lock
 * of a process that died is taken over after ten seconds instead of blocking forever.
 */
export async function acquireFileLock(file: string, options: LockOptions): Promise<HeldLock> {
  await mkdir(path.dirname(file), { recursive: true });
  const deadline = Date.now() + options.waitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      const release = await lockfile.lock(file, {
        realpath: false,
        stale: staleAfterMs,
        onCompromised: (error) => options.onLost?.(error),
      });
      return { release: () => release().catch(() => undefined) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') {
        throw new DocentError('state_unavailable', `cannot lock ${file}: ${describeError(error)}`, { cause: error });
      }
      if (Date.now() >= deadline) throw options.busy();
      await new Promise((resolve) => setTimeout(resolve, Math.min(10 + attempt * 10, 200)));
    }
  }
}

/** Runs `work` while holding the lock; for short read-modify-write steps. */
export async function withFileLock<T>(file: string, options: LockOptions, work: () => Promise<T>): Promise<T> {
  const held = await acquireFileLock(file, options);
  try {
    return await work();
  } finally {
    await held.release();
  }
}
