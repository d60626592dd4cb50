import { describe, expect, it } from 'vitest';
import { isCommitConflict, retryCommitConflicts } from './commit-conflicts.js';

const conflict = (): Error => new Error('writing to the index failed', { cause: new Error('lance error: Retryable commit conflict for version 52: This Rewrite transaction was preempted by concurrent transaction Delete at version 52. Please retry.') });

describe('LanceDB commit conflicts', () => {
  it('recognises a conflict, also when wrapped', () => {
    expect(isCommitConflict(conflict())).toBe(true);
    expect(isCommitConflict(new Error('No space left on device'))).toBe(false);
  });

  it('retries a conflicting operation until it commits, and gives up on other errors at once', async () => {
    let calls = 0;
    await expect(
      retryCommitConflicts(async () => {
        calls++;
        if (calls < 3) throw conflict();
        return 'committed';
      }, { baseMilliseconds: 1 }),
    ).resolves.toBe('committed');
    expect(calls).toBe(3);
    let other = 0;
    await expect(
      retryCommitConflicts(async () => {
        other++;
        throw new Error('disk full');
      }, { baseMilliseconds: 1 }),
    ).rejects.toThrow('disk full');
    expect(other).toBe(1);
  });
});
