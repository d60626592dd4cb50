import { everyone } from '../core/access.js';
import type { Embedder } from '../core/embedder.js';
import type { ChunkIndex, ScoredChunk } from '../../indexes/chunk-index.js';
import type { BeirQuery } from './beir-dataset.js';
import { embedderUnderstands } from '../models/embedder-languages.js';
import { fuseReciprocalRank, fuseWeighted, type FusedChunk } from './fusion.js';
import { documentRanking, ndcgAt, recallAt, type Judgements } from './metrics.js';

export type EvaluatedMode = 'fulltext' | 'vector' | 'hybrid' | 'hybrid-rrf';

export interface ModeScores {
  mode: EvaluatedMode;
  ndcgAt10: number;
  recallAt10: number;
  recallAt100: number;
}

export interface EvaluationOptions {
  index: ChunkIndex;
  embedder: Embedder;
  queries: BeirQuery[];
  qrels: Map<string, Judgements>;
  vectorWeight: number;
  /** Chunks each side retrieves; must exceed 100 documents' worth for recall@100. */
  candidates: number;
  /** Document ids in the index carry this prefix; judgements use the bare corpus id. */
  documentIdPrefix: string;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Scores each retrieval mode on labelled queries. Both sides are retrieved once per query
 * and every mode is computed from the same lists, so modes differ only in fusion. Hybrid
 * fuses as production does, including leaving out the vector side for queries in a
 * language the embedder cannot read.
 */
export async function evaluateRetrieval(options: EvaluationOptions): Promise<{ queries: number; queriesWithoutVectors: number; modes: ModeScores[] }> {
  const judged = options.queries.filter((query) => options.qrels.has(query.id));
  const totals = new Map<EvaluatedMode, { ndcgAt10: number; recallAt10: number; recallAt100: number }>();
  const modes: EvaluatedMode[] = ['fulltext', 'vector', 'hybrid', 'hybrid-rrf'];
  for (const mode of modes) totals.set(mode, { ndcgAt10: 0, recallAt10: 0, recallAt100: 0 });
  const filter = { principals: [everyone] };
  const strip = (results: FusedChunk[] | ScoredChunk[]): string[] =>
    documentRanking(results.map((result) => result.chunk.documentId.slice(options.documentIdPrefix.length)));

  let done = 0;
  let queriesWithoutVectors = 0;
  // A few queries in flight keep the embedding workers busy while LanceDB answers others.
  const inFlight = 8;
  for (let start = 0; start < judged.length; start += inFlight) {
    await Promise.all(
      judged.slice(start, start + inFlight).map(async (query) => {
        const [fulltext, vector] = await Promise.all([
          options.index.fulltextSearch(query.text, filter, options.candidates),
          options.embedder.embedQuery(query.text).then((embedding) => options.index.vectorSearch(embedding, filter, options.candidates)),
        ]);
        const readable = embedderUnderstands(options.embedder, query.text);
        if (!readable) queriesWithoutVectors++;
        const rankings: Record<EvaluatedMode, string[]> = {
          fulltext: strip(fulltext),
          vector: strip(vector),
          hybrid: strip(fuseWeighted(fulltext, vector, readable ? options.vectorWeight : 0)),
          'hybrid-rrf': strip(fuseReciprocalRank([fulltext, vector])),
        };
        const judgements = options.qrels.get(query.id)!;
        for (const mode of modes) {
          const total = totals.get(mode)!;
          total.ndcgAt10 += ndcgAt(rankings[mode], judgements, 10);
          total.recallAt10 += recallAt(rankings[mode], judgements, 10);
          total.recallAt100 += recallAt(rankings[mode], judgements, 100);
        }
        options.onProgress?.(++done, judged.length);
      }),
    );
  }
  const count = Math.max(1, judged.length);
  return {
    queries: judged.length,
    queriesWithoutVectors,
    modes: modes.map((mode) => {
      const total = totals.get(mode)!;
      return { mode, ndcgAt10: total.ndcgAt10 / count, recallAt10: total.recallAt10 / count, recallAt100: total.recallAt100 / count };
    }),
  };
}
