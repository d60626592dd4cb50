import type { Chunk } from '../core/chunk.js';

/** A search result: the chunk (or, before it is read, its id and row) and its score on one side. */
export interface RankedChunk<Found extends { id: string } = Chunk> {
  chunk: Found;
  score: number;
}

export interface FusedChunk<Found extends { id: string } = Chunk> {
  chunk: Found;
  /** Fused score in [0, 1]. */
  score: number;
  fulltextScore?: number;
  vectorScore?: number;
}

/**
 * Weighted fusion of min-max normalised scores (convex combination). Measured on SciFact
 * (DESIGN.md), rank-only fusion (RRF) throws away how far ahead the best lexical match is
 * and loses to full text alone when the vector side is weak; a calibrated weight on
 * normalised scores keeps that information and beats both sides. A chunk found by only
 * one side gets 0 from the other.
 */
export function fuseWeighted<Found extends { id: string }>(fulltext: RankedChunk<Found>[], vector: RankedChunk<Found>[], vectorWeight: number): FusedChunk<Found>[] {
  const fused = new Map<string, FusedChunk<Found>>();
  const add = (list: RankedChunk<Found>[], weight: number, side: 'fulltextScore' | 'vectorScore'): void => {
    const normalised = minMaxNormalise(list.map((entry) => entry.score));
    list.forEach((entry, position) => {
      const current = fused.get(entry.chunk.id) ?? { chunk: entry.chunk, score: 0 };
      current.score += weight * normalised[position]!;
      current[side] = entry.score;
      fused.set(entry.chunk.id, current);
    });
  };
  add(fulltext, 1 - vectorWeight, 'fulltextScore');
  add(vector, vectorWeight, 'vectorScore');
  return [...fused.values()].sort((a, b) => b.score - a.score || a.chunk.id.localeCompare(b.chunk.id));
}

/** Reciprocal rank fusion (Cormack et al. 2009), kept for comparison in the evaluation. */
export function fuseReciprocalRank(lists: RankedChunk[][], k = 60): FusedChunk[] {
  const fused = new Map<string, FusedChunk>();
  for (const list of lists) {
    list.forEach((entry, rank) => {
      const current = fused.get(entry.chunk.id) ?? { chunk: entry.chunk, score: 0 };
      current.score += 1 / (k + rank + 1);
      fused.set(entry.chunk.id, current);
    });
  }
  const results = [...fused.values()].sort((a, b) => b.score - a.score || a.chunk.id.localeCompare(b.chunk.id));
  const top = results[0]?.score ?? 1;
  return results.map((entry) => ({ ...entry, score: entry.score / top }));
}

/**
 * Scales scores to [0, 1] within one list. A list whose scores are all equal maps to 1:
 * every entry is as good as the best one.
 */
export function minMaxNormalise(scores: number[]): number[] {
  if (scores.length === 0) return [];
  const minimum = Math.min(...scores);
  const maximum = Math.max(...scores);
  const range = maximum - minimum;
  return scores.map((score) => (range > 0 ? (score - minimum) / range : 1));
}
