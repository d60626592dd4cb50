import path from 'node:path';
import type { DocentConfig } from '../config/schema.js';
import type { Embedder } from '../core/embedder.js';
import { DocentAnswerEngine } from '../answer/answer-engine.js';
import type { ChatModel } from '../core/chat-model.js';
import { createChatModel } from '../models/create-chat-model.js';
import { createEmbedder } from '../models/create-embedder.js';
import { SourceState } from '../pipeline/source-state.js';
import { Retriever } from '../retrieval/hybrid-search.js';
import { ChunkIndex } from '../../indexes/chunk-index.js';

/**
 * Everything a command needs, built once per process from the configuration and
 * released together: the embedding model (loaded lazily), the index, retrieval and the
 * answer engine.
 */
export interface Runtime {
  config: DocentConfig;
  dataDirectory: string;
  indexDirectory: string;
  embedder: Embedder;
  /** The language model that writes answers; undefined when answers are extractive. Loaded on first use. */
  chatModel: ChatModel | undefined;
  index: ChunkIndex;
  retriever: Retriever;
  engine: DocentAnswerEngine;
  sources: SourceState;
  dispose(): Promise<void>;
}

export function indexDirectoryOf(config: DocentConfig): string {
  return path.join(path.resolve(config.dataDir), 'index');
}

export async function openRuntime(config: DocentConfig, options: { create: boolean }): Promise<Runtime> {
  const dataDirectory = path.resolve(config.dataDir);
  const indexDirectory = indexDirectoryOf(config);
  const embedder = await createEmbedder(config.embedding);
  let index: ChunkIndex;
  try {
    index = await ChunkIndex.open(indexDirectory, embedder, options);
  } catch (error) {
    await embedder.dispose();
    throw error;
  }
  const retrieverOptions: ConstructorParameters<typeof Retriever>[2] = { candidates: config.retrieval.candidates };
  if (config.retrieval.vectorWeight !== undefined) retrieverOptions.vectorWeight = config.retrieval.vectorWeight;
  const retriever = new Retriever(index, embedder, retrieverOptions);
  const chatModel = createChatModel(config);
  const generation = { maxAnswerTokens: config.llm.maxAnswerTokens, temperature: config.llm.temperature };
  const engine = new DocentAnswerEngine(retriever, embedder, { topK: config.retrieval.topK, ...config.answer, generation }, chatModel);
  return {
    config,
    dataDirectory,
    indexDirectory,
    embedder,
    chatModel,
    index,
    retriever,
    engine,
    sources: new SourceState(dataDirectory),
    async dispose() {
      index.close();
      await Promise.all([embedder.dispose(), chatModel?.dispose()]);
    },
  };
}
