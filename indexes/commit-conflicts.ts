/**
 * LanceDB commits optimistically. Measured with three processes writing one local table
 * (bench/README.md, "Two writers"): appends, merge-inserts and deletes from several
 * processes are reconciled by LanceDB itself (no error, no lost or doubled row), but a
 * compaction (`optimize`) that overlaps a concurrent update or delete fails with
 * "Retryable commit conflict". Such operations are retried here after a growing pause.
 */
export function isCommitConflict(error: unknown): boolean {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    if (/commit conflict|preempted by concurrent transaction/i.test((current as Error).message ?? '')) return true;
  }
  return false;
}

export async function retryCommitConflicts<T>(operation: () => Promise<T>, options: { attempts?: number; baseMilliseconds?: number } = {}): Promise<T> {
  const attempts = options.attempts ?? 8;
  const base = options.baseMilliseconds ?? 100;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isCommitConflict(error) || attempt >= attempts) throw error;
      // Random spread, so two processes that collided do not collide again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, base * 2 ** (attempt - 1) * (0.5 + Math.random())));
    }
  }
}
