import type { Principal } from './access.js';
import type { Chunk } from './chunk.js';

/** How a search combines the lexical and the semantic side. */
export type RetrievalMode = 'fulltext' | 'vector' | 'hybrid';

export interface SearchRequest {
  query: string;
  /** Number of results wanted after fusion and de-duplication. */
  limit: number;
  mode?: RetrievalMode;
  /** Principals of the asker; chunks readable by none of them are never returned. */
  principals: Principal[];
  /** Restrict to these source ids. */
  sourceIds?: string[];
}

export interface SearchHit {
  chunk: Chunk;
  /** Fused relevance in [0, 1]; comparable within one result list only. */
  score: number;
  /** Scores of each side before fusion, when that side found the chunk. */
  fulltextScore?: number;
  vectorScore?: number;
}
