/**
 * A map whose entries expire after a fixed time and whose size is capped (oldest entry
 * dropped first), for what the Teams surface remembers between activities: member details
 * and the ids of activities already handled. The bot runs for months; neither may grow
 * without bound.
 */
export class ExpiringMap<Key, Value> {
  /** Map iteration order is insertion order: entries are re-inserted on write, so the first is the oldest. */
  private readonly entries = new Map<Key, { value: Value; expiresAt: number }>();

  constructor(
    private readonly options: { maximumEntries: number; expireAfterMs: number; now?: () => number },
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  get(key: Key): Value | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  has(key: Key): boolean {
    return this.get(key) !== undefined;
  }

  set(key: Key, value: Value): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + this.options.expireAfterMs });
    const now = this.now();
    for (const [oldestKey, oldest] of this.entries) {
      if (this.entries.size > this.options.maximumEntries || oldest.expiresAt <= now) this.entries.delete(oldestKey);
      else break;
    }
  }

  delete(key: Key): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
