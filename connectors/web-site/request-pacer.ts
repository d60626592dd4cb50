import type { Clock } from './clock.js';

/**
 * Spaces the starts of requests to one site by a least interval, however many requests
 * are in flight: concurrency hides slow responses, never shortens the gap between starts.
 * Slots are handed out in the order callers ask, so the spacing holds under concurrency.
 */
export class RequestPacer {
  /** When the last slot handed out starts (or started). */
  private lastStart = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    /** Least milliseconds between two request starts; may grow once robots.txt is read. */
    private intervalMilliseconds: number,
  ) {}

  /**
   * Raises the interval (a robots.txt Crawl-delay larger than the configured delay); never
   * lowers it. Applies to the very next slot too: the request that read robots.txt counts.
   */
  atLeast(milliseconds: number): void {
    this.intervalMilliseconds = Math.max(this.intervalMilliseconds, milliseconds);
  }

  /**
   * No request starts for `milliseconds` from now: the site asked us to wait (a 429 or 503
   * with Retry-After), and every page of it waits, not only the one that was refused.
   */
  pauseFor(milliseconds: number): void {
    this.lastStart = Math.max(this.lastStart, this.clock.now() + milliseconds - this.intervalMilliseconds);
  }

  get interval(): number {
    return this.intervalMilliseconds;
  }

  /** Waits for this caller's slot; the request should start as soon as it resolves. */
  async wait(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    const now = this.clock.now();
    const start = Math.max(now, this.lastStart + this.intervalMilliseconds);
    // Reserved before sleeping, so that a caller arriving meanwhile queues behind this one.
    this.lastStart = start;
    if (start > now) await this.clock.sleep(start - now, signal);
  }
}
