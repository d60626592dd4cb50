export interface ExpiringMapOptions {
  /** An entry older than this is gone. */
  expireAfterMs: number;
  /** Entries kept at once; the oldest is dropped first. */
  maxEntries: number;
  /** Current time in milliseconds; injectable so tests need not wait. */
  now?: () => number;
}

/**
 * A map whose entries expire and whose size is bounded: the chat adapters remember event
 * and activity ids, threads answered, users' e-mails and member details, and shareable
 * answers for a while, and a process that runs for months must not grow without bound
 * while doing so.
 */
export class ExpiringMap<Value> {
  private readonly expireAfterMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  /** Insertion order is age order, since entries are never refreshed in place. */
  private readonly entries = new Map<string, { value: Value; storedAt: number }>();

  constructor(options: ExpiringMapOptions) {
    this.expireAfterMs = options.expireAfterMs;
    this.maxEntries = options.maxEntries;
    this.now = options.now ?? Date.now;
  }

  get(key: string): Value | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.storedAt >= this.expireAfterMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: Value): void {
    this.entries.delete(key);
    this.entries.set(key, { value, storedAt: this.now() });
    this.evict();
  }

  /**
   * Stores the key unless it is already present: true the first time, false for a
   * repeat within the expiry time. Slack redelivers an event it thinks was lost, and
   * only the first delivery may be answered.
   */
  claim(key: string, value: Value): boolean {
    if (this.has(key)) return false;
    this.set(key, value);
    return true;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Deletes every entry whose key passes the test. */
  deleteWhere(test: (key: string) => boolean): void {
    for (const key of [...this.entries.keys()]) if (test(key)) this.entries.delete(key);
  }

  get size(): number {
    this.evict();
    return this.entries.size;
  }

  private evict(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (this.entries.size > this.maxEntries || now - entry.storedAt >= this.expireAfterMs) this.entries.delete(key);
      else break;
    }
  }
}
