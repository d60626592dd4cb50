import { everyone } from '../core/access.js';
import type { Chunk } from '../core/chunk.js';
import type { Embedder } from '../core/embedder.js';
import type { ChunkIndex, ScoredChunk } from '../../indexes/chunk-index.js';
import { seededRandom } from '../core/seeded-random.js';
import type { FusionCalibration } from '../../indexes/index-manifest.js';
import { fuseWeighted } from './fusion.js';
import { documentRanking, reciprocalRank } from './metrics.js';
import { splitSentences } from '../pipeline/sentences.js';

export interface CalibrationOptions {
  /** Synthetic queries to generate. */
  queries?: number;
  /** Candidates per side, as at query time. */
  candidates?: number;
  seed?: number;
  /** Share of a sentence's words removed to make a query (see syntheticQuery). */
  dropRate?: number;
}

/** Weights tried, from all full text to all vector. */
const weightGrid = Array.from({ length: 21 }, (_, step) => step / 20);

/**
 * A query a person might type to find this chunk, made from the chunk itself: one of its
 * sentences with a share of the words dropped. Dropping words matters: a whole sentence
 * copied from the passage is an exact-match query that full text always wins, which
 * would teach the fusion to ignore the vector side; real questions share only some of
 * the passage's words.
 */
export function syntheticQuery(chunk: Chunk, random: () => number, dropRate: number): string | undefined {
  const sentences = splitSentences(chunk.text).filter((sentence) => {
    const words = sentence.text.split(/\s+/).length;
    return words >= 6 && words <= 40;
  });
  if (sentences.length === 0) return undefined;
  const sentence = sentences[Math.floor(random() * sentences.length)]!.text;
  const words = sentence.split(/\s+/);
  const kept = words.filter(() => random() >= dropRate);
  return (kept.length >= 3 ? kept : words.slice(0, 3)).join(' ');
}

/**
 * Chooses the fusion weight for this corpus without any labelled query: it samples
 * chunks, turns each into a synthetic query whose answer is known (the chunk's document),
 * and picks the weight with the best mean reciprocal rank. Corpora differ in how much
 * the vector side helps (strong on paraphrase-heavy text, weak on jargon or languages
 * the model was not trained on), so a fixed weight is wrong somewhere.
 */
export async function calibrateFusion(index: ChunkIndex, embedder: Embedder, options: CalibrationOptions = {}): Promise<FusionCalibration> {
  const seed = options.seed ?? 20_261_125;
  const random = seededRandom(seed);
  const candidates = options.candidates ?? 100;
  const sample = await index.sampleChunks(options.queries ?? 200, seed);
  const filter = { principals: [everyone] };
  const scores = new Map<number, number>(weightGrid.map((weight) => [weight, 0]));
  let queries = 0;
  for (const chunk of sample) {
    const query = syntheticQuery(chunk, random, options.dropRate ?? 0.5);
    if (!query) continue;
    const [fulltext, vector]: [ScoredChunk[], ScoredChunk[]] = await Promise.all([
      index.fulltextSearch(query, filter, candidates),
      embedder.embedQuery(query).then((embedding) => index.vectorSearch(embedding, filter, candidates)),
    ]);
    const judgements = new Map([[chunk.documentId, 1]]);
    for (const weight of weightGrid) {
      const ranking = documentRanking(fuseWeighted(fulltext, vector, weight).map((result) => result.chunk.documentId));
      scores.set(weight, scores.get(weight)! + reciprocalRank(ranking, judgements));
    }
    queries++;
  }
  const chunkCount = (await index.statistics()).chunks;
  if (queries === 0) {
    return { vectorWeight: 0.3, queries: 0, scores: {}, chunkCount, calibratedAt: new Date().toISOString() };
  }
  const meanScores = Object.fromEntries([...scores].map(([weight, total]) => [weight.toFixed(2), total / queries]));
  // Among weights within noise of the best, take the middle one: a flat optimum is a plateau, and its centre generalises best.
  const best = Math.max(...scores.values());
  const plateau = weightGrid.filter((weight) => scores.get(weight)! >= best - 0.002 * queries);
  const vectorWeight = plateau[Math.floor(plateau.length / 2)]!;
  return { vectorWeight, queries, scores: meanScores, chunkCount, calibratedAt: new Date().toISOString() };
}
