import { describe, expect, it } from 'vitest';
import { InFlightWork } from './in-flight-work.js';

describe('InFlightWork', () => {
  it('lets running work finish within the grace time, then aborts the rest and refuses new work', async () => {
    const work = new InFlightWork();
    const finished: string[] = [];
    work.run(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      finished.push('quick');
    });
    work.run(
      (signal) =>
        new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => {
            finished.push(`stopped: ${(signal.reason as Error).message}`);
            resolve();
          }),
        ),
    );
    expect(work.size).toBe(2);
    await work.close(50);
    expect(finished).toEqual(['quick', 'stopped: Docent is shutting down.']);
    expect(work.run(async () => undefined)).toBeUndefined();
    expect(work.size).toBe(0);
  });

  it('never rejects, so a failed answer cannot crash the process', async () => {
    const work = new InFlightWork();
    await expect(work.run(async () => Promise.reject(new Error('boom')))).resolves.toBeUndefined();
    await work.settled();
  });
});
