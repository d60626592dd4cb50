import { everyone } from '../core/access.js';
import type { Chunk } from '../core/chunk.js';
import type { Embedder } from '../core/embedder.js';
import type { ChunkIndex, ScoredChunk } from '../../indexes/chunk-index.js';
import { seededRandom } from '../core/seeded-random.js';
import type { FusionCalibration } from '../../indexes/index-manifest.js';
import { fuseWeighted } from './fusion.js';
import { defaultVectorWeight } from './default-vector-weight.js';
import { embedderUnderstands } from '../models/embedder-languages.js';
import { documentRanking, reciprocalRank } from './metrics.js';
import { splitSentences } from '../pipeline/sentences.js';

export interface CalibrationOptions {
  /** Synthetic queries to generate. */
  queries?: number;
  /** Candidates per side, as at query time. */
  candidates?: number;
  seed?: number;
  /**
   * Share of a sentence's words removed to make a query (see syntheticQuery). High, so
   * that queries share only a few words with their passage, as real questions do: on
   * SciFact 0.8 picks the weight the labelled queries prefer, while 0.5 makes queries so
   * easy that full text alone looks best.
   */
  dropRate?: number;
}

/** Below this many usable synthetic queries (e.g. a corpus mostly in a language the embedder cannot read) the default weight stands. */
const minimumQueries = 30;

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
  let kept = words.filter(() => random() >= dropRate);
  while (kept.length < Math.min(3, words.length)) {
    // Too few survived: fall back to three words from random places, kept in sentence order.
    const positions = new Set<number>();
    while (positions.size < 3) positions.add(Math.floor(random() * words.length));
    kept = [...positions].sort((a, b) => a - b).map((position) => words[position]!);
  }
  return kept.join(' ');
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
  const sample = await index.sampleChunks(options.queries ?? 300, seed);
  const filter = { principals: [everyone] };
  // Reciprocal rank of each query at each weight, for the mean and its standard error.
  const reciprocalRanks = new Map<number, number[]>(weightGrid.map((weight) => [weight, []]));
  const wanted = options.queries ?? 600;
  // Queries are made first (cheap), then run several at a time so every embedding worker is busy.
  const synthetic: { query: string; documentId: string }[] = [];
  // A small corpus gives several queries per chunk (different sentences and dropped words).
  for (let round = 0; round < 3 && synthetic.length < wanted && sample.length > 0; round++) {
    for (const chunk of sample) {
      if (synthetic.length >= wanted) break;
      const query = syntheticQuery(chunk, random, options.dropRate ?? 0.8);
      // Production leaves the vector side out for text the embedder cannot read, so such queries say nothing about the weight.
      if (query && embedderUnderstands(embedder, query)) synthetic.push({ query, documentId: chunk.documentId });
    }
  }
  const inFlight = 16;
  for (let start = 0; start < synthetic.length; start += inFlight) {
    const results = await Promise.all(
      synthetic.slice(start, start + inFlight).map(({ query }) =>
        Promise.all([index.fulltextSearch(query, filter, candidates), embedder.embedQuery(query).then((embedding) => index.vectorSearch(embedding, filter, candidates))]),
      ),
    );
    results.forEach(([fulltext, vector]: [ScoredChunk[], ScoredChunk[]], offset) => {
      const judgements = new Map([[synthetic[start + offset]!.documentId, 1]]);
      for (const weight of weightGrid) {
        const ranking = documentRanking(fuseWeighted(fulltext, vector, weight).map((result) => result.chunk.documentId));
        reciprocalRanks.get(weight)!.push(reciprocalRank(ranking, judgements));
      }
    });
  }
  const queries = synthetic.length;
  const chunkCount = await index.countChunks();
  // Too few queries measure noise: keep the default rather than trust a handful.
  if (queries < minimumQueries) {
    return { vectorWeight: defaultVectorWeight, queries, scores: {}, chunkCount, calibratedAt: new Date().toISOString() };
  }
  const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
  const meanScores = Object.fromEntries(weightGrid.map((weight) => [weight.toFixed(2), mean(reciprocalRanks.get(weight)!)]));
  const best = weightGrid.reduce((champion, weight) => (meanScores[weight.toFixed(2)]! > meanScores[champion.toFixed(2)]! ? weight : champion), 0);
  const bestRanks = reciprocalRanks.get(best)!;
  const bestMean = mean(bestRanks);
  const standardError = Math.sqrt(bestRanks.reduce((sum, value) => sum + (value - bestMean) ** 2, 0) / (bestRanks.length - 1 || 1) / bestRanks.length);
  // One-standard-error rule: weights whose score is within noise of the best are as good as
  // it. Among them take the largest vector weight, because synthetic queries copy words from
  // their passage and so flatter full text; real questions paraphrase more (on SciFact the
  // labelled queries prefer a larger weight than any synthetic query set does).
  // When the vector side alone almost never finds the passage, it is noise here: no benefit of the doubt.
  const vectorSideWorks = meanScores['1.00']! >= 0.1 * meanScores['0.00']!;
  const vectorWeight = vectorSideWorks ? Math.max(...weightGrid.filter((weight) => meanScores[weight.toFixed(2)]! >= bestMean - standardError)) : best;
  return { vectorWeight, queries, scores: meanScores, chunkCount, calibratedAt: new Date().toISOString() };
}

/** One line for status and evaluation output. */
export function describeCalibration(calibration: FusionCalibration | undefined): string {
  if (!calibration) return 'default (not calibrated yet)';
  if (Object.keys(calibration.scores).length === 0) return `${calibration.vectorWeight} (default: only ${calibration.queries} usable synthetic queries)`;
  return `${calibration.vectorWeight} (calibrated on ${calibration.queries} synthetic queries)`;
}
