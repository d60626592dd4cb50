import type { ChunkIndex } from '../../indexes/chunk-index.js';
import type { Checkpoint, Connector, ConnectorDocument, ConnectorItem, SyncContext } from '../core/connector.js';
import type { Embedder } from '../core/embedder.js';
import { DocentError } from '../core/errors.js';
import type { ChunkingOptions } from './chunk.js';
import { indexDocuments, type DocumentParser, type IndexProgress, type IndexReport } from './index-documents.js';
import { refreshSearch, type SearchRefreshSettings } from './refresh-search.js';

export interface SyncOptions {
  index: ChunkIndex;
  embedder: Embedder;
  chunking: ChunkingOptions;
  /** Documents parsed at once. */
  concurrency: number;
  /** Where this connector's last successful run left off; undefined loads everything. */
  checkpoint?: Checkpoint | undefined;
  /** Aborting stops the run promptly: what was indexed stays, nothing is deleted, no checkpoint is returned. */
  signal?: AbortSignal;
  onProgress?: (progress: IndexProgress) => void;
  /** Lines for the admin's run log (the connector's own included). */
  log?: (message: string) => void;
  /** Keeps the search indexes fast and fusion calibrated afterwards (default: calibrated, 100 candidates). */
  search?: SearchRefreshSettings;
  /** Parses documents; default: the parser pool on worker threads. */
  parse?: DocumentParser;
  /** Chunks embedded per batch. */
  embeddingBatchChunks?: number;
}

export interface SyncResult {
  /** Counts and failures of the run (seen, added, updated, metadataUpdated, unchanged, deleted, failed). */
  report: IndexReport;
  /** What to pass as `checkpoint` next time; undefined when the run was interrupted (keep the previous one). */
  checkpoint: Checkpoint | undefined;
}

/**
 * Runs one connector once: loads what changed since the checkpoint into the index
 * (skipping documents whose indexed version is current, updating in place those whose
 * bytes did not change), then, unless interrupted, deletes the indexed documents of this
 * source that the connector no longer lists, and refreshes the search indexes.
 *
 * When the source fails as a whole (`load` or `listIds` throws: unreachable, credentials
 * rejected) the error propagates as it was thrown and nothing is deleted; documents
 * already indexed by this run stay.
 */
export async function syncConnector(connector: Connector, options: SyncOptions): Promise<SyncResult> {
  const signal = options.signal ?? new AbortController().signal;
  const existing = await options.index.documents(connector.sourceId);
  const context: SyncContext = {
    signal,
    indexedVersion: (documentId) => existing.get(documentId)?.version,
    log: options.log ?? (() => undefined),
  };
  let finished = false;
  let nextCheckpoint: Checkpoint | undefined;
  async function* items(): AsyncGenerator<ConnectorItem> {
    const loading = connector.load(options.checkpoint, context);
    for (;;) {
      const step = await loading.next();
      if (step.done) {
        finished = true;
        nextCheckpoint = step.value;
        return;
      }
      yield checked(step.value, connector.sourceId);
    }
  }

  const runOptions: Parameters<typeof indexDocuments>[1] = {
    index: options.index,
    embedder: options.embedder,
    chunking: options.chunking,
    sourceId: connector.sourceId,
    concurrency: options.concurrency,
    deleteMissing: false,
    existing,
    listIds: () => connector.listIds(context),
    allowEmptyListing: connector.allowEmpty === true,
    signal,
  };
  if (options.onProgress) runOptions.onProgress = options.onProgress;
  if (options.parse) runOptions.parse = options.parse;
  if (options.embeddingBatchChunks) runOptions.embeddingBatchChunks = options.embeddingBatchChunks;
  const report = await indexDocuments(items(), runOptions);
  // A load that stopped early (abort) may have skipped documents: its checkpoint must not be kept.
  const complete = finished && !report.interrupted && !signal.aborted;
  if (!complete) report.interrupted = true;
  await refreshSearch(options.index, options.embedder, report, options.search ?? { candidates: 100 });
  return { report, checkpoint: complete ? nextCheckpoint : undefined };
}

/**
 * Why a document a connector yielded cannot be indexed, or undefined when it can: one of
 * another source would be indexed under the wrong source, one without a version could
 * never be skipped. Every runner refuses such a document as a failure.
 */
export function yieldedDocumentProblem(document: ConnectorDocument, sourceId: string): string | undefined {
  if (document.sourceId !== sourceId) return `the connector yielded a document that has source id ${document.sourceId}, not ${sourceId}`;
  if (typeof document.version !== 'string' || document.version === '') return 'the connector yielded a document that has no version';
  return undefined;
}

function checked(item: ConnectorItem, sourceId: string): ConnectorItem {
  if ('failure' in item) return item;
  const { document } = item;
  const problem = yieldedDocumentProblem(document, sourceId);
  if (!problem) return item;
  return { failure: { documentId: document.id, location: document.uri, error: new DocentError('internal', problem, { retryable: false }) } };
}
