import { everyone } from '../core/access.js';
import type { Embedder } from '../core/embedder.js';
import type { RetrievalMode, SearchHit, SearchRequest } from '../core/search.js';
import type { ChunkFilter, ChunkIndex } from '../../indexes/chunk-index.js';
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
    const fused = await this.candidates(request, request.mode ?? 'hybrid');
    return removeNearDuplicates(fused, { limit: request.limit }).map((result) => {
      const hit: SearchHit = { chunk: result.chunk, score: result.score };
      if (result.fulltextScore !== undefined) hit.fulltextScore = result.fulltextScore;
      if (result.vectorScore !== undefined) hit.vectorScore = result.vectorScore;
      return hit;
    });
  }

  /** Both sides retrieved and fused, before de-duplication. */
  private async candidates(request: SearchRequest, mode: RetrievalMode, vectorWeight = this.vectorWeightFor(request.query)): Promise<FusedChunk[]> {
    const [principals = [everyone], ...alsoReadableBy] = readerSets(request.principals, request.audience);
    const filter: ChunkFilter = { principals, alsoReadableBy, sourceIds: request.sourceIds };
    const limit = Math.max(this.options.candidates, request.limit);
    const weight = mode === 'fulltext' ? 0 : mode === 'vector' ? 1 : vectorWeight;
    const [fulltext, vector] = await Promise.all([
      weight === 1 ? [] : this.index.fulltextSearch(request.query, filter, limit),
      weight === 0 ? [] : this.embedder.embedQuery(request.query).then((embedding) => this.index.vectorSearch(embedding, filter, limit)),
    ]);
    return fuseWeighted(fulltext, vector, weight);
  }
}
