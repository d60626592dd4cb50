import { describe, expect, it } from 'vitest';
import type { Chunk } from '../core/chunk.js';
import { fuseReciprocalRank, fuseWeighted, minMaxNormalise } from './fusion.js';

function chunk(id: string, text = `text of ${id}`): Chunk {
  return { id, documentId: id, sourceId: 's', ordinal: 0, title: id, uri: id, headingPath: [], location: {}, startOffset: 0, endOffset: text.length, text, tokenCount: 3, access: ['everyone'], contentHash: 'h' };
}

describe('fusion', () => {
  it('normalises scores to [0, 1] within a list', () => {
    expect(minMaxNormalise([10, 5, 0])).toEqual([1, 0.5, 0]);
    expect(minMaxNormalise([3, 3])).toEqual([1, 1]);
  });

  it('combines normalised scores with the vector weight and keeps each side\'s raw score', () => {
    const fulltext = [{ chunk: chunk('a'), score: 12 }, { chunk: chunk('b'), score: 6 }, { chunk: chunk('c'), score: 0 }];
    const vector = [{ chunk: chunk('c'), score: 0.9 }, { chunk: chunk('b'), score: 0.5 }, { chunk: chunk('a'), score: 0.1 }];
    const textHeavy = fuseWeighted(fulltext, vector, 0.2);
    expect(textHeavy.map((entry) => entry.chunk.id)).toEqual(['a', 'b', 'c']);
    expect(textHeavy[0]).toMatchObject({ score: 0.8, fulltextScore: 12, vectorScore: 0.1 });
    expect(fuseWeighted(fulltext, vector, 0.8).map((entry) => entry.chunk.id)).toEqual(['c', 'b', 'a']);
    expect(fuseWeighted(fulltext, [], 0.5).map((entry) => entry.chunk.id)).toEqual(['a', 'b', 'c']);
  });

  it('ranks by reciprocal rank for comparison', () => {
    const fused = fuseReciprocalRank([[{ chunk: chunk('a'), score: 1 }, { chunk: chunk('b'), score: 0.5 }], [{ chunk: chunk('b'), score: 1 }]]);
    expect(fused[0]!.chunk.id).toBe('b');
    expect(fused[0]!.score).toBe(1);
  });
});
