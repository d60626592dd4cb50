import path from 'node:path';
import type { DocentConfig } from '../config/schema.js';
import type { Embedder } from '../core/embedder.js';
import { DocentAnswerEngine } from '../answer/answer-engine.js';
import { AuditLog } from '../audit/audit-log.js';
import { auditDirectoryOf } from '../audit/audit-paths.js';
import { auditFeedbackRecorder } from '../audit/audit-feedback-recorder.js';
import { AuditedAnswerEngine } from '../audit/audited-answer-engine.js';
import type { FeedbackRecorder } from '../core/feedback.js';
import type { ChatModel } from '../core/chat-model.js';
import type { AccessResolver } from '../directory/access-resolver.js';
import { createAccessResolver } from '../directory/create-access-resolver.js';
import { CachingEmbedder } from '../models/caching-embedder.js';
import { createChatModel } from '../models/create-chat-model.js';
import { createEmbedder } from '../models/create-embedder.js';
import { ConnectorStore } from '../pipeline/connector-store.js';
import { createConnectorRegistry, type ConnectorRegistry } from '../../connectors/registry.js';
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
  /** Answers every question and records it in the audit log before returning it. */
  engine: AuditedAnswerEngine;
  /** The same engine without the audit log, for benchmarks and tools that must not leave records. */
  answerEngine: DocentAnswerEngine;
  /**
   * The audit log, opened on first use: commands that record (ask, serve, connector runs an
   * admin asks for) call `audit.ready()` first, so a damaged log stops them before any work.
   */
  audit: AuditLog;
  /** Records 👍/👎 from chat surfaces in the audit log, against the answer. */
  feedback: FeedbackRecorder;
  /** Resolves chat identities to principals (the directory) and applies channel policies. */
  access: AccessResolver;
  /** Configured connectors, their checkpoints and run history (`state/connectors.json`). */
  connectors: ConnectorStore;
  /** The kinds of connector this process can run. */
  connectorRegistry: ConnectorRegistry;
  dispose(): Promise<void>;
}

export function indexDirectoryOf(config: DocentConfig): string {
  return path.join(path.resolve(config.dataDir), 'index');
}

export async function openRuntime(config: DocentConfig, options: { create: boolean }): Promise<Runtime> {
  const dataDirectory = path.resolve(config.dataDir);
  const indexDirectory = indexDirectoryOf(config);
  // First: it is cheap, and a bad directory file, filter or missing password should stop start-up before models load.
  const access = await createAccessResolver(config);
  const embedder = await createEmbedder(config.embedding);
  let index: ChunkIndex;
  try {
    index = await ChunkIndex.open(indexDirectory, embedder, options);
  } catch (error) {
    await Promise.all([embedder.dispose(), access.close()]);
    throw error;
  }
  const retrieverOptions: ConstructorParameters<typeof Retriever>[2] = { candidates: config.retrieval.candidates };
  if (config.retrieval.vectorWeight !== undefined) retrieverOptions.vectorWeight = config.retrieval.vectorWeight;
  // Questions and the sentences quoted from their passages recur; documents being indexed do not.
  const vectorCacheBytes = config.retrieval.vectorCacheMegabytes * 1024 * 1024;
  const questionEmbedder = vectorCacheBytes > 0 ? new CachingEmbedder(embedder, { maxBytes: vectorCacheBytes }) : embedder;
  const retriever = new Retriever(index, questionEmbedder, retrieverOptions);
  const chatModel = createChatModel(config);
  const generation = { maxAnswerTokens: config.llm.maxAnswerTokens, temperature: config.llm.temperature };
  const answerEngine = new DocentAnswerEngine(retriever, questionEmbedder, { topK: config.retrieval.topK, ...config.answer, generation }, chatModel);
  // Opened on the first record: indexing and search never touch the audit log, so a damaged one stops only what must be recorded.
  const audit = AuditLog.openOnFirstUse({ directory: auditDirectoryOf(config) });
  const engine = new AuditedAnswerEngine(answerEngine, audit, { redact: config.audit.redact });
  return {
    config,
    dataDirectory,
    indexDirectory,
    embedder,
    chatModel,
    index,
    retriever,
    engine,
    answerEngine,
    audit,
    feedback: auditFeedbackRecorder(engine),
    access,
    connectors: ConnectorStore.in(dataDirectory),
    connectorRegistry: createConnectorRegistry(),
    async dispose() {
      index.close();
      await Promise.all([embedder.dispose(), chatModel?.dispose(), audit.close(), access.close()]);
    },
  };
}
