import { ModelBusyError } from '../core/errors.js';

/**
 * Admits at most `parallel` generations at once and lets at most `queueLimit` more wait;
 * past that, askers get a `ModelBusyError` at once with an honest estimate of when to
 * try again, instead of waiting behind a queue that will time out anyway.
 */
export class GenerationQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** Recent generation time, smoothed, for the "try again in N s" estimate. */
  private averageMs: number;

  constructor(
    private readonly parallel: number,
    private readonly queueLimit: number,
    initialEstimateMs = 5_000,
  ) {
    this.averageMs = initialEstimateMs;
  }

  /** Generations running and waiting, for readiness reports. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.admit(signal);
    const started = performance.now();
    try {
      const result = await task();
      this.averageMs = this.averageMs * 0.7 + (performance.now() - started) * 0.3;
      return result;
    } finally {
      this.release();
    }
  }

  /** Seconds until a new request would likely start, were it admitted. */
  retryAfterSeconds(): number {
    const ahead = this.waiting.length + 1;
    return Math.max(1, Math.ceil((this.averageMs * ahead) / this.parallel / 1000));
  }

  private admit(signal?: AbortSignal): Promise<void> {
    if (this.running < this.parallel) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.queueLimit) return Promise.reject(new ModelBusyError(this.retryAfterSeconds()));
    return new Promise((resolve, reject) => {
      const start = (): void => {
        signal?.removeEventListener('abort', cancel);
        this.running++;
        resolve();
      };
      const cancel = (): void => {
        const position = this.waiting.indexOf(start);
        if (position !== -1) this.waiting.splice(position, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', cancel, { once: true });
      this.waiting.push(start);
    });
  }

  private release(): void {
    this.running--;
    this.waiting.shift()?.();
  }
}
