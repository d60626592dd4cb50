/**
 * Answers still being worked on after the HTTP request that asked them was acknowledged,
 * so that shutdown can let them finish (or stop them) and tests can wait for them.
 */
export class InFlightWork {
  private readonly running = new Map<Promise<void>, AbortController>();
  private closed = false;

  /**
   * Starts `task` now; it gets a signal that fires when the surface shuts down past its
   * grace time. Returns its promise (never rejecting), or undefined once shutting down.
   */
  run(task: (signal: AbortSignal) => Promise<void>): Promise<void> | undefined {
    if (this.closed) return undefined;
    const controller = new AbortController();
    const promise: Promise<void> = task(controller.signal)
      .catch(() => undefined)
      .finally(() => this.running.delete(promise));
    this.running.set(promise, controller);
    return promise;
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves once nothing is running, including work started while waiting. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running.keys());
  }

  /** Refuses new work, waits up to `graceMs` for running work, then aborts what is left and waits for it to end. */
  async close(graceMs: number): Promise<void> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([this.settled(), graceOver]);
    clearTimeout(timer);
    for (const controller of this.running.values()) controller.abort(new Error('Docent is shutting down.'));
    await this.settled();
  }
}
