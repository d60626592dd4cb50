import path from 'node:path';
import { DocentAnswerEngine, type AnswerEngineOptions } from '../../src/answer/answer-engine.js';
import type { Chunk } from '../../src/core/chunk.js';
import { Retriever } from '../../src/retrieval/hybrid-search.js';
import { ChunkIndex } from '../../indexes/chunk-index.js';
import { HashingEmbedder } from './hashing-embedder.js';

/** A real LanceDB index and retriever over the given chunks, embedded with the hashing embedder (no model to load). */
export interface HashingIndex {
  embedder: HashingEmbedder;
  index: ChunkIndex;
  retriever: Retriever;
}

/** Indexes each chunk as a document of its own, in `directory`/index. */
export async function hashingIndexOf(directory: string, chunks: Chunk[]): Promise<HashingIndex> {
  const embedder = new HashingEmbedder();
  const index = await ChunkIndex.open(path.join(directory, 'index'), embedder, { create: true });
  await index.replaceDocuments(await Promise.all(chunks.map(async (chunk) => ({ documentId: chunk.documentId, chunks: [chunk], vectors: await embedder.embedDocuments([chunk.text]) }))));
  await index.refreshIndexes();
  return { embedder, index, retriever: new Retriever(index, embedder, { candidates: 20, vectorWeight: 0.3 }) };
}

/** Settings for answering over a hashing index: its similarities are not semantic, so the evidence check leans on key-term coverage. */
export const hashingAnswerOptions: AnswerEngineOptions = { topK: 4, maxSentences: 2, minimumCoverage: 0.5, minimumSimilarity: 0.1 };

/** The extractive answer engine over a hashing index. */
export function extractiveEngineOver({ retriever, embedder }: HashingIndex): DocentAnswerEngine {
  return new DocentAnswerEngine(retriever, embedder, hashingAnswerOptions);
}
