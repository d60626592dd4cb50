import { createHash } from 'node:crypto';
import type { Chunk } from '../core/chunk.js';
import type { ParsedDocument, SourceDocument } from '../core/document.js';
import type { Embedder } from '../core/embedder.js';
import { DocentError, describeError, isDocentError } from '../core/errors.js';
import type { ChunkIndex, DocumentChunks } from '../../indexes/chunk-index.js';
import { chunkDocument, type ChunkingOptions } from './chunk.js';
import type { SourceItem } from './source-item.js';

export type DocumentParser = (input: { name: string; content: Uint8Array }) => Promise<ParsedDocument>;

export interface IndexRunOptions {
  index: ChunkIndex;
  embedder: Embedder;
  chunking: ChunkingOptions;
  sourceId: string;
  /** Documents parsed at once. */
  concurrency: number;
  /** Set when the source listed all of its documents: indexed ones it did not list are deleted. */
  deleteMissing: boolean;
  parse?: DocumentParser;
  /** Chunks embedded per batch; larger batches keep every embedding worker busy. */
  embeddingBatchChunks?: number;
  onProgress?: (progress: IndexProgress) => void;
  signal?: AbortSignal;
}

export interface IndexProgress {
  seen: number;
  processed: number;
  chunks: number;
  failed: number;
}

export interface FailureRecord {
  documentId: string;
  location: string;
  code: string;
  message: string;
  /** Whether an older version of the document is still indexed and answerable. */
  keptPreviousVersion: boolean;
}

export interface IndexReport {
  sourceId: string;
  startedAt: string;
  finishedAt: string;
  /** Documents the source yielded, attachments included. */
  seen: number;
  added: number;
  updated: number;
  unchanged: number;
  deleted: number;
  failed: number;
  /** Chunks written in this run. */
  chunks: number;
  failures: FailureRecord[];
  /** True when the run stopped early (signal); nothing was deleted then. */
  interrupted: boolean;
}

interface PreparedDocument {
  document: SourceDocument;
  chunks: Chunk[];
  isUpdate: boolean;
}

export function contentHash(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The text the embedder sees: the title and headings give a passage its topic. */
export function embeddingTextOf(chunk: Chunk): string {
  // Headings already at the start of the chunk (its first lines) are not repeated: every word costs model time.
  const opening = chunk.text.slice(0, 400);
  const context = [chunk.title, ...chunk.headingPath].filter((heading, index, all) => heading && all.indexOf(heading) === index && !opening.includes(heading));
  return context.length > 0 ? `${context.join(' — ')}\n${chunk.text}` : chunk.text;
}

/**
 * Indexes what a source yields: skips documents whose bytes are unchanged (by SHA-256)
 * without parsing or embedding them, parses and chunks the rest, embeds in large batches
 * while parsing goes on, writes each batch atomically, and finally deletes documents the
 * source no longer has. A document that fails is reported and never stops the run; if an
 * older version of it was indexed, that version stays answerable.
 */
export async function indexDocuments(items: AsyncIterable<SourceItem>, options: IndexRunOptions): Promise<IndexReport> {
  // Parsers run on worker threads unless the caller brings its own parse step.
  const parserPool = options.parse ? undefined : new (await import('./parse/parser-pool.js')).ParserPool();
  const parse = options.parse ?? ((input: { name: string; content: Uint8Array }) => parserPool!.parse(input));
  try {
    return await runIndex(items, options, parse);
  } finally {
    await parserPool?.close();
  }
}

async function runIndex(items: AsyncIterable<SourceItem>, options: IndexRunOptions, parse: DocumentParser): Promise<IndexReport> {
  const startedAt = new Date().toISOString();
  const batchChunks = options.embeddingBatchChunks ?? 128;
  const existing = await options.index.documents(options.sourceId);
  const seen = new Set<string>();
  const failures: FailureRecord[] = [];
  const counts = { seen: 0, added: 0, updated: 0, unchanged: 0, deleted: 0, chunks: 0, processed: 0 };
  let pending: PreparedDocument[] = [];
  let pendingChunks = 0;
  let writing: Promise<void> = Promise.resolve();
  const parsing = new Set<Promise<void>>();

  const progress = (): void => options.onProgress?.({ seen: counts.seen, processed: counts.processed, chunks: counts.chunks, failed: failures.length });

  const fail = (documentId: string, location: string, error: unknown): void => {
    const typed = isDocentError(error) ? error : new DocentError('file_corrupt', `could not be parsed: ${describeError(error)}`, { cause: error });
    failures.push({ documentId, location, code: typed.code, message: typed.message, keptPreviousVersion: existing.has(documentId) });
    counts.processed++;
    progress();
  };

  const write = async (batch: PreparedDocument[], vectorsPromise: Promise<Float32Array[]>): Promise<void> => {
    const vectors = await vectorsPromise;
    let offset = 0;
    const writes: DocumentChunks[] = batch.map((prepared) => {
      const write: DocumentChunks = { documentId: prepared.document.id, chunks: prepared.chunks, vectors: vectors.slice(offset, offset + prepared.chunks.length) };
      if (prepared.document.parentId) write.parentId = prepared.document.parentId;
      offset += prepared.chunks.length;
      return write;
    });
    // Documents the index did not have when the run began need no replacement, only an append.
    await options.index.replaceDocuments(writes.filter((entry) => existing.has(entry.documentId)));
    await options.index.appendDocuments(writes.filter((entry) => !existing.has(entry.documentId)));
    for (const prepared of batch) {
      if (prepared.isUpdate) counts.updated++;
      else counts.added++;
      counts.chunks += prepared.chunks.length;
      counts.processed++;
    }
    progress();
  };

  const queuedBatches = new Set<Promise<void>>();
  const flush = (): void => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    pendingChunks = 0;
    // Embedding starts at once, so the next batch is embedded while this one is written;
    // writes stay in order, one at a time.
    const vectors = options.embedder.embedDocuments(batch.flatMap((prepared) => prepared.chunks.map(embeddingTextOf)));
    vectors.catch(() => undefined);
    writing = writing.then(() => write(batch, vectors));
    const queued = writing.finally(() => queuedBatches.delete(queued));
    queued.catch(() => undefined);
    queuedBatches.add(queued);
  };

  const prepare = async (document: SourceDocument, hash: string): Promise<void> => {
    let parsed: ParsedDocument;
    try {
      parsed = await parse({ name: document.name, content: document.content });
    } catch (error) {
      fail(document.id, document.uri, error);
      return;
    }
    const { chunks } = chunkDocument(document, parsed, hash, options.chunking);
    if (chunks.length === 0) {
      fail(document.id, document.uri, new DocentError('file_empty', 'no text found in the document (a scanned image? OCR is not supported)'));
    } else {
      pending.push({ document, chunks, isUpdate: existing.has(document.id) });
      pendingChunks += chunks.length;
      if (pendingChunks >= batchChunks) flush();
    }
    (parsed.attachments ?? []).forEach((attachment, position) => {
      const child: SourceDocument = {
        id: `${document.id}/attachments/${position + 1}-${attachment.name}`,
        sourceId: document.sourceId,
        uri: document.uri,
        name: attachment.name,
        content: attachment.content,
        access: document.access,
        parentId: document.id,
      };
      if (document.modifiedAt) child.modifiedAt = document.modifiedAt;
      accept(child);
    });
  };

  const accept = (document: SourceDocument): void => {
    counts.seen++;
    seen.add(document.id);
    const hash = contentHash(document.content);
    if (existing.get(document.id)?.contentHash === hash) {
      counts.unchanged++;
      counts.processed++;
      // An unchanged e-mail keeps its attachments: they count as seen, not as deleted.
      for (const indexed of existing.values()) {
        if (indexed.parentId === document.id) {
          seen.add(indexed.documentId);
          counts.seen++;
          counts.unchanged++;
          counts.processed++;
        }
      }
      return;
    }
    const task = prepare(document, hash).finally(() => parsing.delete(task));
    parsing.add(task);
  };

  let interrupted = false;
  for await (const item of items) {
    if (options.signal?.aborted) {
      interrupted = true;
      break;
    }
    if ('failure' in item) {
      counts.seen++;
      // A vanished file is gone at the source, so it is not kept; other failures keep the old version.
      if (item.failure.error.code !== 'file_vanished') seen.add(item.failure.documentId);
      fail(item.failure.documentId, item.failure.location, item.failure.error);
      continue;
    }
    accept(item.document);
    while (parsing.size >= options.concurrency) await Promise.race(parsing);
    // Parsing outruns embedding by far; holding at most two batches bounds memory on large sources.
    while (queuedBatches.size >= 2) await Promise.race(queuedBatches);
    progress();
  }
  while (parsing.size > 0) await Promise.race(parsing);
  flush();
  await writing;

  if (options.deleteMissing && !interrupted) {
    const missing = [...existing.keys()].filter((documentId) => !seen.has(documentId));
    await options.index.deleteDocuments(missing);
    counts.deleted = missing.length;
  }
  return {
    sourceId: options.sourceId,
    startedAt,
    finishedAt: new Date().toISOString(),
    seen: counts.seen,
    added: counts.added,
    updated: counts.updated,
    unchanged: counts.unchanged,
    deleted: counts.deleted,
    failed: failures.length,
    chunks: counts.chunks,
    failures: failures.map((failure) => ({ ...failure, keptPreviousVersion: failure.keptPreviousVersion && seen.has(failure.documentId) })),
    interrupted,
  };
}
