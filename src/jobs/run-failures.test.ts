import { describe, expect, it } from 'vitest';
import { runFailures } from './run-failures.js';
import type { BatchOutcome, RunFailure } from './sync-stages.js';

const failure = (documentId: string, code = 'file_corrupt'): RunFailure => ({ documentId, location: `/share/${documentId}`, code, message: `${documentId} is ${code}` });
const batch = (indexed: string[], failures: RunFailure[]): BatchOutcome => ({ indexed, added: indexed.length, updated: 0, chunks: indexed.length, failures, worker: 'host:1' });

describe('runFailures', () => {
  it('counts a document that failed in two tries of its batch once, with the later reason', () => {
    const failures = runFailures([], [batch(['a'], [failure('broken', 'file_corrupt')]), batch([], [failure('broken', 'file_encrypted')])], []);
    expect(failures).toEqual([failure('broken', 'file_encrypted')]);
  });

  it('drops the failure of a document a later try indexed, and names documents of lost batches', () => {
    const failures = runFailures([failure('listed-badly', 'internal')], [batch([], [failure('flaky')]), batch(['flaky'], [])], [{ documentIds: ['x'], reason: 'index unavailable' }]);
    expect(failures.map((entry) => [entry.documentId, entry.code])).toEqual([
      ['listed-badly', 'internal'],
      ['x', 'index_unavailable'],
    ]);
  });
});
