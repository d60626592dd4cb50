import type { FusedChunk } from './fusion.js';

export interface NearDuplicateOptions {
  /**
   * Distinct results wanted: the search keeps only this many, so results past it are never
   * compared (fusion hands over up to twice the candidate count, and comparing all of them
   * with each other is quadratic work on the event loop every surface shares).
   */
  limit?: number;
  /** Jaccard similarity of word 3-shingles at which a result counts as a repeat. */
  threshold?: number;
}

/**
 * Drops results whose text nearly repeats a better-ranked result (the same paragraph in
 * two copies of a document, a page quoted in an e-mail), so the answer's sources are
 * distinct. Similarity is the Jaccard overlap of word 3-shingles; 0.8 catches copies with
 * small edits while keeping passages that merely share a topic. Chunks of one document
 * that overlap by design (chunk overlap) share too little to be caught.
 */
export function removeNearDuplicates(results: FusedChunk[], options: NearDuplicateOptions = {}): FusedChunk[] {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const threshold = options.threshold ?? 0.8;
  const kept: { result: FusedChunk; shingles: Set<string> }[] = [];
  for (const result of results) {
    if (kept.length >= limit) break;
    const shingles = shinglesOf(result.chunk.text);
    const duplicate = kept.some((entry) => jaccardAtLeast(entry.shingles, shingles, threshold));
    if (!duplicate) kept.push({ result, shingles });
  }
  return kept.map((entry) => entry.result);
}

function shinglesOf(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const shingles = new Set<string>();
  if (words.length < 3) {
    shingles.add(words.join(' '));
    return shingles;
  }
  for (let index = 0; index + 2 < words.length; index++) shingles.add(`${words[index]} ${words[index + 1]} ${words[index + 2]}`);
  return shingles;
}

/** Whether the Jaccard similarity of two sets reaches `threshold`, without counting the overlap when the sizes alone rule it out. */
export function jaccardAtLeast(a: Set<string>, b: Set<string>, threshold: number): boolean {
  if (a.size === 0 && b.size === 0) return true;
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  // The overlap is at most the smaller set, so the similarity is at most small / large.
  if (small.size < threshold * large.size) return false;
  let shared = 0;
  for (const shingle of small) if (large.has(shingle)) shared++;
  return shared / (a.size + b.size - shared) >= threshold;
}
