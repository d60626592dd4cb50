import { describe, expect, it } from 'vitest';
import type { Chunk } from '../core/chunk.js';
import type { FusedChunk } from './fusion.js';
import { jaccardAtLeast, removeNearDuplicates } from './near-duplicates.js';

function result(id: string, text: string, score: number): FusedChunk {
  const chunk: Chunk = { id, documentId: id, sourceId: 's', ordinal: 0, title: id, uri: id, headingPath: [], location: {}, startOffset: 0, endOffset: text.length, text, tokenCount: 3, access: ['everyone'], contentHash: 'h' };
  return { chunk, score };
}

const leave = 'Employees receive twenty five days of paid annual leave every calendar year from January.';

describe('removeNearDuplicates', () => {
  it('drops results that nearly repeat a better one', () => {
    const results = [
      result('original', leave, 1),
      result('copy', `${leave} `, 0.9),
      result('edited', leave.replace('January', 'February'), 0.8),
      result('other', 'The VPN client must be updated before connecting from abroad.', 0.7),
    ];
    expect(removeNearDuplicates(results).map((entry) => entry.chunk.id)).toEqual(['original', 'other']);
  });

  it('stops once it has the distinct results wanted, skipping repeats on the way', () => {
    const results = [
      result('original', leave, 1),
      result('copy', leave, 0.9),
      result('vpn', 'The VPN client must be updated before connecting from abroad.', 0.8),
      result('badge', 'Lost badges are replaced at the front desk within one working day.', 0.7),
      result('parking', 'Parking permits are renewed every spring through the facilities portal.', 0.6),
    ];
    expect(removeNearDuplicates(results, { limit: 3 }).map((entry) => entry.chunk.id)).toEqual(['original', 'vpn', 'badge']);
    // The same first results as without a limit: the limit only cuts the tail.
    expect(removeNearDuplicates(results).slice(0, 3)).toEqual(removeNearDuplicates(results, { limit: 3 }));
  });

  it('keeps a short passage that a longer one contains, as their overlap is small', () => {
    const results = [result('long', `${leave} Unused days carry over until the end of March of the next year.`, 1), result('short', leave, 0.9)];
    expect(removeNearDuplicates(results).map((entry) => entry.chunk.id)).toEqual(['long', 'short']);
  });
});

describe('jaccardAtLeast', () => {
  const set = (...items: string[]): Set<string> => new Set(items);

  it('decides by the overlap when the sizes allow the threshold', () => {
    expect(jaccardAtLeast(set('a', 'b', 'c', 'd', 'e'), set('a', 'b', 'c', 'd', 'f'), 0.6)).toBe(true);
    expect(jaccardAtLeast(set('a', 'b', 'c', 'd', 'e'), set('a', 'b', 'c', 'x', 'y'), 0.6)).toBe(false);
  });

  it('rules out sets whose sizes differ too much, however they overlap', () => {
    // 4 of 5 shared would be 0.8, but 4 / 6 is not.
    expect(jaccardAtLeast(set('a', 'b', 'c', 'd'), set('a', 'b', 'c', 'd', 'e', 'f'), 0.8)).toBe(false);
    expect(jaccardAtLeast(set('a', 'b', 'c', 'd'), set('a', 'b', 'c', 'd', 'e'), 0.8)).toBe(true);
  });

  it('counts two empty sets as the same', () => {
    expect(jaccardAtLeast(set(), set(), 0.8)).toBe(true);
    expect(jaccardAtLeast(set(), set('a'), 0.8)).toBe(false);
  });
});
