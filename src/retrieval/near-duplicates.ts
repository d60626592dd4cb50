import type { FusedChunk } from './fusion.js';

/**
 * Drops results whose text nearly repeats a better-ranked result (the same paragraph in
 * two copies of a document, a page quoted in an e-mail), so the answer's sources are
 * distinct. Similarity is the Jaccard overlap of word 3-shingles; 0.8 catches copies with
 * small edits while keeping passages that merely share a topic. Chunks of one document
 * that overlap by design (chunk overlap) share too little to be caught.
 */
export function removeNearDuplicates(results: FusedChunk[], threshold = 0.8): FusedChunk[] {
  const kept: { result: FusedChunk; shingles: Set<string> }[] = [];
  for (const result of results) {
    const shingles = shinglesOf(result.chunk.text);
    const duplicate = kept.some((entry) => jaccard(entry.shingles, shingles) >= threshold);
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

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  for (const shingle of small) if (large.has(shingle)) shared++;
  return shared / (a.size + b.size - shared);
}
