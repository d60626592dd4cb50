import type { ChatIdentity, Directory, ResolvedIdentity } from '../core/directory.js';

export interface CacheOptions {
  /** How long a resolved identity is reused; 0 asks the directory every time. */
  cacheSeconds: number;
  /** Milliseconds since the epoch; tests pass a clock they can move. */
  now?: () => number;
}

/**
 * A failure is remembered for a short while only: long enough that a directory outage
 * does not make every question wait for a connection timeout, short enough that people
 * get their groups back soon after it ends.
 */
const failureSeconds = 15;

interface CacheEntry {
  expiresAt: number;
  result: Promise<ResolvedIdentity>;
}

/**
 * Keeps resolved identities for `cacheSeconds`, so a busy channel does not query the
 * directory for every question, and bounds how long a removed membership keeps granting
 * access: an entry is never served past its lifetime, even when the directory is down
 * then (the caller fails closed instead). Concurrent questions from the same person
 * share one lookup.
 */
export class CachedDirectory implements Directory {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly now: () => number;

  constructor(
    private readonly inner: Directory,
    private readonly options: CacheOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  get kind(): string {
    return this.inner.kind;
  }

  resolve(identity: ChatIdentity, options: { signal?: AbortSignal } = {}): Promise<ResolvedIdentity> {
    const key = JSON.stringify([identity.platform, identity.userId.toLowerCase(), identity.email?.toLowerCase() ?? '', identity.upn?.toLowerCase() ?? '']);
    const now = this.now();
    const cached = this.entries.get(key);
    if (cached && cached.expiresAt > now) return cached.result;
    if (this.options.cacheSeconds <= 0) return this.inner.resolve(identity, options);
    this.evictExpired(now);
    // Shared by everyone waiting for this person, so one asker giving up does not cancel it for the others.
    const result = this.inner.resolve(identity);
    const entry: CacheEntry = { expiresAt: now + this.options.cacheSeconds * 1000, result };
    this.entries.set(key, entry);
    result.catch(() => {
      // Counted from when the failure is known, not from when the lookup began.
      if (this.entries.get(key) === entry) entry.expiresAt = Math.min(entry.expiresAt, this.now() + Math.min(this.options.cacheSeconds, failureSeconds) * 1000);
    });
    return result;
  }

  /** Forgets every cached identity, e.g. after an administrator changed memberships and wants them applied now. */
  clear(): void {
    this.entries.clear();
  }

  async close(): Promise<void> {
    this.entries.clear();
    await this.inner.close();
  }

  private evictExpired(now: number): void {
    // Cheap enough at the sizes involved (one entry per person who asked within the lifetime).
    if (this.entries.size < 1024) return;
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
