import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { DocentError } from '../core/errors.js';

interface LockOwner {
  pid: number;
  host: string;
  token: string;
  since: string;
}

/** A lock file whose writer died before it wrote its owner is stale after this long. */
const unreadableLockGraceMs = 5000;

/**
 * Only one writer may append at a time, or two processes (`docent serve` and an admin's
 * `docent audit hold`) would fork the chain. The lock is a file created exclusively and
 * naming its owner; a writer holds it while it appends and lets go when idle, so other
 * processes wait milliseconds, not for the server to stop. A lock left by a process
 * that no longer runs (a crash, kill -9) is taken over.
 */
export class LogLock {
  private owned: LockOwner | undefined;

  constructor(
    private readonly file: string,
    private readonly timeoutMs: number,
  ) {}

  get held(): boolean {
    return this.owned !== undefined;
  }

  /** Whether another process is waiting for the lock: a busy holder then lets go for a moment. */
  someoneWaiting(): boolean {
    return existsSync(this.wantedFile);
  }

  private get wantedFile(): string {
    return `${this.file}.wanted`;
  }

  async acquire(): Promise<void> {
    if (this.owned) return;
    const deadline = Date.now() + this.timeoutMs;
    const owner: LockOwner = { pid: process.pid, host: hostname(), token: randomUUID(), since: new Date().toISOString() };
    for (let attempt = 0; ; attempt++) {
      try {
        const handle = await open(this.file, 'wx', 0o640);
        try {
          await handle.writeFile(JSON.stringify(owner));
        } finally {
          await handle.close();
        }
        this.owned = owner;
        // Also clears a flag left by a waiter that died; live waiters renew theirs.
        await unlink(this.wantedFile).catch(() => undefined);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = await this.readOwner();
      if (current === 'stale') {
        await this.removeStale();
        continue;
      }
      if (Date.now() >= deadline) {
        const who = current && current !== 'unreadable' ? `process ${current.pid} on ${current.host} (since ${current.since})` : 'another process';
        throw new DocentError('audit_unavailable', `the audit log is locked by ${who}; if no Docent process is running, remove ${this.file}`, { retryable: true });
      }
      // Renewed on every attempt: whoever gets the lock removes it, and other waiters put it back.
      await writeFile(this.wantedFile, String(process.pid)).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, Math.min(5 + attempt * 5, 50)));
    }
  }

  async release(): Promise<void> {
    const owned = this.owned;
    if (!owned) return;
    this.owned = undefined;
    const current = await this.readOwner();
    // Never remove a lock someone else took over (ours was judged stale): only our own token.
    if (current && current !== 'stale' && current !== 'unreadable' && current.token === owned.token) {
      await unlink(this.file).catch(() => undefined);
    }
  }

  private async readOwner(): Promise<LockOwner | 'stale' | 'unreadable' | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let owner: LockOwner | undefined;
    try {
      owner = JSON.parse(text) as LockOwner;
    } catch {
      owner = undefined;
    }
    if (!owner || typeof owner.pid !== 'number') {
      const age = await stat(this.file).then((info) => Date.now() - info.mtimeMs, () => 0);
      return age > unreadableLockGraceMs ? 'stale' : 'unreadable';
    }
    // A process on another machine (shared storage) cannot be checked from here: wait for it.
    if (owner.host === hostname() && !processRuns(owner.pid)) return 'stale';
    return owner;
  }

  private async removeStale(): Promise<void> {
    // Renaming is atomic: of several processes taking over at once, one moves the file away.
    const aside = `${this.file}.stale-${randomUUID()}`;
    try {
      await rename(this.file, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    await unlink(aside).catch(() => undefined);
  }
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs under another user, so it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
