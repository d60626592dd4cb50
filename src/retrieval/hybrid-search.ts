import { everyone } from '../core/access.js';
import type { Embedder } from '../core/embedder.js';
import type { RetrievalMode, SearchHit, SearchRequest } from '../core/search.js';
import type { ChunkAddress, ChunkFilter, ChunkIndex } from '../../indexes/chunk-index.js';
import { fuseWeighted, type FusedChunk } from './fusion.js';
import { removeNearDuplicates } from './near-duplicates.js';
import { readerSets } from './reader-sets.js';
import { defaultVectorWeight } from './default-vector-weight.js';
import { embedderUnderstands } from '../models/embedder-languages.js';

export interface RetrieverOptions {
  /** Candidates each side contributes before fusion. */
  candidates: number;
  /** Fixed vector weight; when unset, the index's calibrated weight, else the default. */
  vectorWeight?: number;
}

/**
 * Hybrid retrieval: full-text (BM25) and vector search run side by side, each filtered
 * inside the index by the asker's principals (and, for an answer posted in a channel,
 * every member's) and the requested sources, then fused,
 * de-duplicated and cut to the requested number.
 */
export class Retriever {
  constructor(
    private readonly index: ChunkIndex,
    private readonly embedder: Embedder,
    private readonly options: RetrieverOptions,
  ) {}

  get vectorWeight(): number {
    return this.options.vectorWeight ?? this.index.calibration?.vectorWeight ?? defaultVectorWeight;
  }

  /** The weight for this query: none when the embedder cannot read the query's language. */
  vectorWeightFor(query: string): number {
    return embedderUnderstands(this.embedder, query) ? this.vectorWeight : 0;
  }

  async search(request: SearchRequest): Promise<SearchHit[]> {
    const [principals = [everyone], ...alsoReadableBy] = readerSets(request.principals, request.audience);
    const filter: ChunkFilter = { principals, alsoReadableBy, sourceIds: request.sourceIds };
    const ranking = await this.ranking(request, filter, request.mode ?? 'hybrid');
    return (await this.distinctChunks(ranking, filter, request.limit)).map((result) => {
      const hit: SearchHit = { chunk: result.chunk, score: result.score };
      if (result.fulltextScore !== undefined) hit.fulltextScore = result.fulltextScore;
      if (result.vectorScore !== undefined) hit.vectorScore = result.vectorScore;
      return hit;
    });
  }

  /** Both sides ranked and fused, before any chunk is read. */
  private async ranking(request: SearchRequest, filter: ChunkFilter, mode: RetrievalMode): Promise<FusedChunk<ChunkAddress>[]> {
    const limit = Math.max(this.options.candidates, request.limit);
    const weight = mode === 'fulltext' ? 0 : mode === 'vector' ? 1 : this.vectorWeightFor(request.query);
    const [fulltext, vector] = await Promise.all([
      weight === 1 ? [] : this.index.fulltextRanking(request.query, filter, limit),
      weight === 0 ? [] : this.embedder.embedQuery(request.query).then((embedding) => this.index.vectorRanking(embedding, filter, limit)),
    ]);
    return fuseWeighted(fulltext, vector, weight);
  }

  /**
   * The chunks of the best-ranked results without near duplicates: reads twice as many
   * as wanted from the top of the ranking, and further down only when duplicates (or
   * chunks deleted since the ranking) left too few.
   */
  private async distinctChunks(ranking: FusedChunk<ChunkAddress>[], filter: ChunkFilter, limit: number): Promise<FusedChunk[]> {
    const read: FusedChunk[] = [];
    let distinct: FusedChunk[] = [];
    for (let start = 0; start < ranking.length && distinct.length < limit; start += 2 * limit) {
      const batch = ranking.slice(start, start + 2 * limit);
      const chunks = await this.index.chunksAt(batch.map((result) => result.chunk), filter);
      for (const result of batch) {
        const chunk = chunks.get(result.chunk.id);
        if (chunk) read.push({ ...result, chunk });
      }
      distinct = removeNearDuplicates(read, { limit });
    }
    return distinct;
  }
}
