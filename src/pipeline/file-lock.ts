import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { DocentError, describeError } from '../core/errors.js';

/** A holder on another machine (shared NFS folder) that stopped refreshing its lock this long ago is taken to be gone. */
const staleAfterMs = 30_000;
const refreshEveryMs = 10_000;

interface LockOwner {
  pid: number;
  host: string;
  token: string;
  since: string;
}

export interface HeldLock {
  release(): Promise<void>;
}

export interface LockOptions {
  /** How long to wait for another holder before giving up. */
  waitMs: number;
  /** Thrown when the wait is over: names what is busy for the reader. */
  busy: (holder: string) => DocentError;
  /** Called if the lock is taken from this holder while held (its file removed or replaced). */
  onLost?: () => void;
}

/**
 * A lock shared by processes: a file created exclusively that names its holder (process
 * id, host). A lock whose holder no longer runs on this machine (killed, crashed) is taken
 * over at once, so `kill -9` followed by a retry never waits; one held from another
 * machine counts as gone once it has not been refreshed for 30 seconds.
 */
export async function acquireFileLock(file: string, options: LockOptions): Promise<HeldLock> {
  await mkdir(path.dirname(file), { recursive: true });
  const deadline = Date.now() + options.waitMs;
  const owner: LockOwner = { pid: process.pid, host: hostname(), token: randomUUID(), since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o640);
      try {
        await handle.writeFile(JSON.stringify(owner));
      } finally {
        await handle.close();
      }
      return holding(file, owner, options.onLost);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new DocentError('state_unavailable', `cannot lock ${file}: ${describeError(error)}`, { cause: error });
    }
    const holder = await readHolder(file);
    if (holder.stale) {
      await removeIfUnchanged(file, holder.owner);
      continue;
    }
    if (Date.now() >= deadline) throw options.busy(holder.owner ? `process ${holder.owner.pid} on ${holder.owner.host} (since ${holder.owner.since})` : 'another process');
    await new Promise((resolve) => setTimeout(resolve, Math.min(10 + attempt * 10, 200)));
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

function holding(file: string, owner: LockOwner, onLost: (() => void) | undefined): HeldLock {
  let released = false;
  // Touched while held, so other machines can tell a live holder from a dead one.
  const timer = setInterval(() => {
    void (async () => {
      const current = await readOwner(file);
      if (released) return;
      if (current?.token !== owner.token) {
        clearInterval(timer);
        onLost?.();
        return;
      }
      const now = new Date();
      await utimes(file, now, now).catch(() => undefined);
    })();
  }, refreshEveryMs);
  timer.unref();
  return {
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      if ((await readOwner(file))?.token === owner.token) await unlink(file).catch(() => undefined);
    },
  };
}

async function readOwner(file: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

async function readHolder(file: string): Promise<{ owner: LockOwner | undefined; stale: boolean }> {
  const owner = await readOwner(file);
  let modifiedMs: number;
  try {
    modifiedMs = (await stat(file)).mtimeMs;
  } catch {
    // Released meanwhile: try again at once.
    return { owner, stale: false };
  }
  if (owner && owner.host === hostname()) return { owner, stale: !processExists(owner.pid) };
  // Unreadable (a holder that died between creating and writing it) or another machine's: judged by age.
  return { owner, stale: Date.now() - modifiedMs > (owner ? staleAfterMs : 5000) };
}

/** Removes a stale lock unless someone replaced it meanwhile (two waiters both judging it stale). */
async function removeIfUnchanged(file: string, staleOwner: LockOwner | undefined): Promise<void> {
  const current = await readOwner(file);
  if (current?.token !== staleOwner?.token) return;
  await unlink(file).catch(() => undefined);
}

export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
