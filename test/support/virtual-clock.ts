import type { Clock } from '../../connectors/web-site/clock.js';

/**
 * A clock whose time moves only when someone sleeps: a sleep resolves on the next turn of
 * the event loop and moves the time to its end. Sleepers wake in the order of their end
 * times, so code that reserves time slots sees them come in order. Records every sleep, so
 * a test can check that code waited as long as it should without waiting itself.
 */
export class VirtualClock implements Clock {
  /** Milliseconds; starts at an arbitrary fixed instant. */
  time = 1_700_000_000_000;
  /** Every sleep asked for, in milliseconds, in the order asked. */
  readonly sleeps: number[] = [];
  private readonly pending: { end: number; resolve: () => void }[] = [];

  now(): number {
    return this.time;
  }

  sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
    this.sleeps.push(milliseconds);
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const entry = { end: this.time + milliseconds, resolve };
      this.pending.push(entry);
      this.pending.sort((first, second) => first.end - second.end);
      signal.addEventListener('abort', () => {
        const index = this.pending.indexOf(entry);
        if (index !== -1) this.pending.splice(index, 1);
        reject(signal.reason);
      }, { once: true });
      setImmediate(() => this.wakeEarliest());
    });
  }

  private wakeEarliest(): void {
    const earliest = this.pending.shift();
    if (earliest === undefined) return;
    this.time = Math.max(this.time, earliest.end);
    earliest.resolve();
  }
}
