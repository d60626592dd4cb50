import { describe, expect, it } from 'vitest';
import { documentRanking, ndcgAt, recallAt, reciprocalRank } from './metrics.js';

describe('retrieval metrics', () => {
  const judgements = new Map([['a', 1], ['b', 1]]);

  it('computes nDCG@k like trec_eval', () => {
    expect(ndcgAt(['a', 'b', 'c'], judgements, 10)).toBeCloseTo(1);
    // Relevant at ranks 2 and 3: (1/log2 3 + 1/log2 4) / (1 + 1/log2 3).
    expect(ndcgAt(['c', 'a', 'b'], judgements, 10)).toBeCloseTo((1 / Math.log2(3) + 0.5) / (1 + 1 / Math.log2(3)));
    expect(ndcgAt(['c', 'd'], judgements, 10)).toBe(0);
  });

  it('computes recall and reciprocal rank', () => {
    expect(recallAt(['a', 'x', 'y'], judgements, 2)).toBe(0.5);
    expect(reciprocalRank(['x', 'y', 'b'], judgements)).toBeCloseTo(1 / 3);
  });

  it('ranks each document at its best chunk', () => {
    expect(documentRanking(['d1', 'd2', 'd1', 'd3'])).toEqual(['d1', 'd2', 'd3']);
  });
});
