import { createHash } from 'node:crypto';
import type { Chunk } from '../core/chunk.js';
import type { ParsedDocument, SourceDocument } from '../core/document.js';
import type { Embedder } from '../core/embedder.js';
import { DocentError, describeError, isDocentError } from '../core/errors.js';
import type { ChunkIndex, DocumentChunks, DocumentMetadata, IndexedDocument } from '../../indexes/chunk-index.js';
import { chunkDocument, type ChunkingOptions } from './chunk.js';
import { checkListingNotEmpty } from './empty-listing.js';
import type { ParseInput } from './parse/parse-document.js';
import type { SourceItem } from './source-item.js';

export type DocumentParser = (input: ParseInput) => Promise<ParsedDocument>;

export interface IndexRunOptions {
  index: ChunkIndex;
  embedder: Embedder;
  chunking: ChunkingOptions;
  sourceId: string;
  /** Documents parsed at once. */
  concurrency: number;
  /** Set when the source yielded all of its documents: indexed ones it did not yield are deleted. */
  deleteMissing: boolean;
  /**
   * Every document id the source has now, asked for once the items are done (and only if the
   * run was not interrupted): indexed documents of the source it does not list are deleted,
   * and listed ones the items skipped count as unchanged. Overrides `deleteMissing`.
   */
  listIds?: () => AsyncIterable<string>;
  /**
   * A `listIds` that lists nothing while the source has indexed documents deletes them all
   * only when this is set (the admin confirmed the source is empty); otherwise the run fails
   * with `source_unreachable` and nothing is deleted (an unmounted share looks empty).
   */
  allowEmptyListing?: boolean;
  /** The source's documents as the index holds them, when the caller has read them already. */
  existing?: Map<string, IndexedDocument>;
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
  /** Re-parsed and re-embedded because their bytes changed. */
  updated: number;
  /**
   * Bytes unchanged but version, readers, location or date changed: updated in place
   * without re-embedding (a permission change lands here).
   */
  metadataUpdated: number;
  unchanged: number;
  deleted: number;
  failed: number;
  /** Chunks written in this run. */
  chunks: number;
  failures: FailureRecord[];
  /** True when the run stopped early (signal); nothing was deleted then. */
  interrupted: boolean;
}

/** A document as sources give it: a connector's carries its version at the source. */
type IncomingDocument = SourceDocument & { version?: string };

interface PreparedDocument {
  document: SourceDocument;
  version: string;
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
 * Indexes what a source yields. Per document: the version the index holds → unchanged,
 * nothing parsed or embedded; another version of the same bytes (SHA-256) → its readers,
 * location, date and version are updated in place; else it is parsed, chunked and
 * embedded in large batches while parsing goes on, and each batch written atomically.
 * Finally documents the source no longer has are deleted. A document that fails is
 * reported and never stops the run; if an older version of it was indexed, that version
 * stays answerable. When the items themselves throw (the source failed as a whole), what
 * was already read is written, nothing is deleted, and the error is rethrown.
 */
export async function indexDocuments(items: AsyncIterable<SourceItem>, options: IndexRunOptions): Promise<IndexReport> {
  // Parsers run on worker threads unless the caller brings its own parse step.
  const parserPool = options.parse ? undefined : new (await import('./parse/parser-pool.js')).ParserPool();
  const parse = options.parse ?? ((input: ParseInput) => parserPool!.parse(input));
  try {
    return await runIndex(items, options, parse);
  } finally {
    await parserPool?.close();
  }
}

async function runIndex(items: AsyncIterable<SourceItem>, options: IndexRunOptions, parse: DocumentParser): Promise<IndexReport> {
  const startedAt = new Date().toISOString();
  const batchChunks = options.embeddingBatchChunks ?? 128;
  const existing = options.existing ?? (await options.index.documents(options.sourceId));
  const seen = new Set<string>();
  /** Documents parsed again in this run: their attachments are what this run produced, no longer what was indexed. */
  const reparsed = new Set<string>();
  /** Parents of documents first written in this run, for deletion. */
  const writtenParents = new Map<string, string>();
  const failures: FailureRecord[] = [];
  const counts = { seen: 0, added: 0, updated: 0, metadataUpdated: 0, unchanged: 0, deleted: 0, chunks: 0, processed: 0 };
  let pending: PreparedDocument[] = [];
  let pendingMetadata: DocumentMetadata[] = [];
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
      const write: DocumentChunks = { documentId: prepared.document.id, version: prepared.version, chunks: prepared.chunks, vectors: vectors.slice(offset, offset + prepared.chunks.length) };
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
  const enqueue = (work: () => Promise<void>): void => {
    writing = writing.then(work);
    const queued = writing.finally(() => queuedBatches.delete(queued));
    queued.catch(() => undefined);
    queuedBatches.add(queued);
  };
  const flushMetadata = (): void => {
    if (pendingMetadata.length === 0) return;
    const batch = pendingMetadata;
    pendingMetadata = [];
    enqueue(async () => {
      await options.index.updateDocumentMetadata(batch);
      counts.processed += batch.length;
      progress();
    });
  };
  const flush = (): void => {
    flushMetadata();
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    pendingChunks = 0;
    // Embedding starts at once, so the next batch is embedded while this one is written;
    // writes stay in order, one at a time.
    const vectors = options.embedder.embedDocuments(batch.flatMap((prepared) => prepared.chunks.map(embeddingTextOf)));
    vectors.catch(() => undefined);
    enqueue(() => write(batch, vectors));
  };

  const prepare = async (document: SourceDocument, hash: string, version: string): Promise<void> => {
    let parsed: ParsedDocument;
    try {
      parsed = await parse({ name: document.name, content: document.content, ...(document.charset === undefined ? {} : { charset: document.charset }) });
    } catch (error) {
      fail(document.id, document.uri, error);
      return;
    }
    reparsed.add(document.id);
    const { chunks } = chunkDocument(document, parsed, hash, options.chunking);
    if (chunks.length === 0) {
      fail(document.id, document.uri, new DocentError('file_empty', 'no text found in the document (a scanned image? OCR is not supported)'));
    } else {
      if (document.parentId) writtenParents.set(document.id, document.parentId);
      pending.push({ document, version, chunks, isUpdate: existing.has(document.id) });
      pendingChunks += chunks.length;
      if (pendingChunks >= batchChunks) flush();
    }
    (parsed.attachments ?? []).forEach((attachment, position) => {
      // Attachments share their parent's version: they change only when it does.
      const child: IncomingDocument = {
        version,
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

  /** Marks the indexed attachments of a document as still there, counted under `counter`. */
  const keepChildren = (parentId: string, counter: 'unchanged' | 'metadataUpdated'): void => {
    for (const indexed of existing.values()) {
      if (indexed.parentId !== parentId || seen.has(indexed.documentId)) continue;
      seen.add(indexed.documentId);
      counts.seen++;
      counts[counter]++;
      counts.processed++;
    }
  };

  const accept = (document: IncomingDocument): void => {
    counts.seen++;
    seen.add(document.id);
    const indexed = existing.get(document.id);
    const hash = contentHash(document.content);
    const version = document.version ?? hash;
    if (indexed?.version === version) {
      counts.unchanged++;
      counts.processed++;
      // An unchanged e-mail keeps its attachments: they count as seen, not as deleted.
      keepChildren(document.id, 'unchanged');
      return;
    }
    if (indexed?.contentHash === hash) {
      // Same bytes, new version: a permission, rename or touch. No reason to parse or embed again.
      const metadata: DocumentMetadata = { documentId: document.id, version, access: document.access, uri: document.uri };
      if (document.modifiedAt) metadata.modifiedAt = document.modifiedAt;
      pendingMetadata.push(metadata);
      counts.metadataUpdated++;
      keepChildren(document.id, 'metadataUpdated');
      if (pendingMetadata.length >= 256) flushMetadata();
      return;
    }
    const task = prepare(document, hash, version).finally(() => parsing.delete(task));
    parsing.add(task);
  };

  let interrupted = false;
  let sourceError: unknown;
  try {
    for await (const item of items) {
      if (options.signal?.aborted) {
        interrupted = true;
        break;
      }
      if ('failure' in item) {
        counts.seen++;
        // A vanished file is gone at the source, so it is not kept; other failures keep the old version (and its attachments).
        if (item.failure.error.code !== 'file_vanished') {
          seen.add(item.failure.documentId);
          keepChildren(item.failure.documentId, 'unchanged');
        }
        fail(item.failure.documentId, item.failure.location, item.failure.error);
        continue;
      }
      accept(item.document);
      while (parsing.size >= options.concurrency) await Promise.race(parsing);
      // Parsing outruns embedding by far; holding at most two batches bounds memory on large sources.
      while (queuedBatches.size >= 2) await Promise.race(queuedBatches);
      progress();
    }
  } catch (error) {
    // The source failed as a whole: what was read is still written, but nothing may be deleted.
    sourceError = error;
  }
  if (options.signal?.aborted) interrupted = true;
  while (parsing.size > 0) await Promise.race(parsing);
  flush();
  await writing;
  if (sourceError !== undefined) throw sourceError;

  const deleted = new Set<string>();
  if (!interrupted && (options.listIds || options.deleteMissing)) {
    const parentOf = (documentId: string): string | undefined => existing.get(documentId)?.parentId ?? writtenParents.get(documentId);
    let keep: (documentId: string) => boolean = (documentId) => seen.has(documentId);
    let listedCount = 0;
    if (options.listIds) {
      const listed = new Set<string>();
      for await (const documentId of options.listIds()) {
        listed.add(documentId);
        if (seen.has(documentId)) continue;
        // Listed but not yielded: the source skipped it as unchanged.
        counts.seen++;
        seen.add(documentId);
        if (existing.has(documentId)) {
          counts.unchanged++;
          keepChildren(documentId, 'unchanged');
        }
      }
      listedCount = listed.size;
      keep = (documentId) => {
        if (listed.has(documentId)) return true;
        const parentId = parentOf(documentId);
        // An attachment stays while its parent is listed, unless the parent was parsed again and no longer has it.
        return parentId !== undefined && listed.has(parentId) && (seen.has(documentId) || !reparsed.has(parentId));
      };
    }
    const candidates = new Set([...existing.keys(), ...writtenParents.keys()]);
    if (options.listIds) checkListingNotEmpty({ sourceId: options.sourceId, listed: listedCount, indexed: candidates.size, allowEmpty: options.allowEmptyListing === true });
    for (const documentId of candidates) if (!keep(documentId)) deleted.add(documentId);
    await options.index.deleteDocuments([...deleted]);
    counts.deleted = [...deleted].filter((documentId) => existing.has(documentId)).length;
  }
  return {
    sourceId: options.sourceId,
    startedAt,
    finishedAt: new Date().toISOString(),
    seen: counts.seen,
    added: counts.added,
    updated: counts.updated,
    metadataUpdated: counts.metadataUpdated,
    unchanged: counts.unchanged,
    deleted: counts.deleted,
    failed: failures.length,
    chunks: counts.chunks,
    failures: failures.map((failure) => ({ ...failure, keptPreviousVersion: failure.keptPreviousVersion && seen.has(failure.documentId) && !deleted.has(failure.documentId) })),
    interrupted,
  };
}
