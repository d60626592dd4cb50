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
  /**
   * Everyone else who will read the results (the members of a channel an answer is
   * posted in), one principal set per person: a chunk is returned only when each of them
   * may read it too. Identical sets count once, so a large channel costs a filter clause
   * per distinct set of groups, not per member.
   */
  audience?: Principal[][];
  /** Restrict to these source ids; an empty list matches nothing. */
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
