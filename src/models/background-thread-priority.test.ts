import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WorkerPool } from './worker-pool.js';

/** Niceness of one thread of this process: field 19 of its /proc stat line. */
function threadNiceness(threadId: number): number {
  const stat = readFileSync(`/proc/self/task/${threadId}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

describe.runIf(process.platform === 'linux')('lowerThreadPriority', () => {
  it('lowers the pool worker that calls it and leaves the main thread, which serves requests, alone', async () => {
    const pool = new WorkerPool<number>(new URL('../../test/fixtures/priority-worker.ts', import.meta.url), { size: 1, errorCode: 'internal' });
    try {
      const workerThread = await pool.run({});
      expect(workerThread).not.toBe(process.pid);
      expect(threadNiceness(workerThread)).toBe(10);
      expect(threadNiceness(process.pid)).toBe(0);
    } finally {
      await pool.close();
    }
  });
});
