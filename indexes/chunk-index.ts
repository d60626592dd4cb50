import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import type { Table as ArrowTable } from 'apache-arrow';
import type { Chunk } from '../src/core/chunk.js';
import { DocentError } from '../src/core/errors.js';
import { chunkColumns, chunkSchema, chunkSchemaVersion, fromRow, sqlString, sqlStringList, toRow, toStringArray, type ChunkRow } from './chunk-schema.js';
import { chunksOfTable, numbersOfColumn } from './chunk-columns.js';
import { migrateChunkTable } from './chunk-table-migrations.js';
import { readManifest, writeManifest, type FusionCalibration, type IndexManifest } from './index-manifest.js';
import { toLexicalQuery } from './lexical-text.js';
import { seededRandom } from '../src/core/seeded-random.js';

const tableName = 'chunks';
/** Below this many rows an exact vector scan is fast (a few ms) and exact; above it an ANN index pays off. */
const defaultApproximateIndexThreshold = 50_000;
/** How stale a reader's view of the table may be; each read past it checks for newer versions (cheap on local disk). */
const defaultReadConsistencySeconds = 5;

export interface EmbeddingIdentity {
  modelId: string;
  dimensions: number;
}

/** The latest indexed state of one document, as the chunk rows record it. */
export interface IndexedDocument {
  documentId: string;
  sourceId: string;
  parentId?: string;
  title: string;
  uri: string;
  contentHash: string;
  /** The version at the source it was indexed at (see ConnectorDocument.version); the content hash for documents indexed without one. */
  version: string;
  /** Principals allowed to read it, as its chunks carry them. */
  access: string[];
  /** Last modification at the source, when known. */
  modifiedAt?: string;
  chunkCount: number;
  indexedAt: string;
}

export interface DocumentChunks {
  documentId: string;
  chunks: Chunk[];
  vectors: Float32Array[];
  /** Document this one was embedded in (e-mail attachment). */
  parentId?: string;
  /** The document's version at its source; its chunks' content hash when not given. */
  version?: string;
}

/**
 * What can change about a document without its bytes changing: who may read it, where it
 * lives, when it changed and its version. Applied in place, without re-embedding.
 */
export interface DocumentMetadata {
  documentId: string;
  version: string;
  access: string[];
  uri: string;
  /** ISO 8601; cleared when undefined. */
  modifiedAt?: string;
}

export interface ChunkFilter {
  /** Only chunks readable by at least one of these principals. */
  principals: string[];
  /**
   * Further readers, one principal set each (the members of a channel an answer is posted
   * in): a chunk must also share a principal with every one of these sets.
   */
  alsoReadableBy?: string[][];
  /** Only chunks of these sources; an empty list matches nothing (restrictions that left no source in common). */
  sourceIds?: string[];
}

export interface ScoredChunk {
  chunk: Chunk;
  /** BM25 score (full text) or cosine similarity (vector). */
  score: number;
}

/** A search result before its chunk is read: where the row is and how well it matched. */
export interface RankedRow {
  chunk: ChunkAddress;
  /** BM25 score (full text) or cosine similarity (vector). */
  score: number;
}

/** A chunk's id and the row that held it when it was found (a LanceDB row address). */
export interface ChunkAddress {
  id: string;
  rowId: bigint;
}

export interface IndexStatistics {
  chunks: number;
  documents: number;
  bytesOnDisk: number;
  indexes: string[];
  embedding: EmbeddingIdentity;
  calibration?: FusionCalibration;
}

/**
 * The LanceDB table of chunks: one row per chunk with its vector, text, metadata and
 * access principals. Writes replace whole documents atomically (one table commit), so a
 * crash between documents leaves every document either fully old or fully new.
 */
export class ChunkIndex {
  /** The table's creation while it is under way in this process, so that reads wait for it. */
  private creatingTable: Promise<lancedb.Table> | undefined;

  private constructor(
    readonly directory: string,
    private readonly connection: lancedb.Connection,
    private table: lancedb.Table | undefined,
    private manifest: IndexManifest,
    private readonly approximateIndexThreshold: number,
  ) {}

  /**
   * Opens the index in `directory`, creating it when `create` is set. Refuses to open an
   * index built by a different embedding model: mixing vectors from two models makes
   * every similarity meaningless, so changing the model takes an explicit re-index.
   */
  static async open(
    directory: string,
    embedding: EmbeddingIdentity,
    options: { create: boolean; approximateIndexThreshold?: number; readConsistencySeconds?: number },
  ): Promise<ChunkIndex> {
    const manifest = await readManifest(directory);
    if (manifest && (manifest.embedding.modelId !== embedding.modelId || manifest.embedding.dimensions !== embedding.dimensions)) {
      throw new DocentError(
        'embedding_model_mismatch',
        `the index in ${directory} was built with ${manifest.embedding.modelId} (${manifest.embedding.dimensions} dimensions) but the configured embedding model is ${embedding.modelId} (${embedding.dimensions} dimensions); run \`docent index --rebuild <folder>\` to re-index with the new model, or configure the old one`,
      );
    }
    if (manifest && manifest.schemaVersion > chunkSchemaVersion) {
      throw new DocentError('index_unavailable', `the index in ${directory} has layout version ${manifest.schemaVersion}, written by a newer Docent; this one reads layout ${chunkSchemaVersion} (upgrade Docent, or run \`docent index --rebuild <folder>\`)`);
    }
    if (!manifest && !options.create) {
      throw new DocentError('index_missing', `no index in ${directory} yet: run \`docent index <folder>\` first`);
    }
    let connection: lancedb.Connection;
    try {
      // A serving process sees what an indexing process writes within this many seconds.
      connection = await lancedb.connect(directory, { readConsistencyInterval: options.readConsistencySeconds ?? defaultReadConsistencySeconds });
    } catch (error) {
      throw new DocentError('index_unavailable', `cannot open the index in ${directory}: ${(error as Error).message}`, { cause: error });
    }
    const names = await connection.tableNames();
    const table = names.includes(tableName) ? await connection.openTable(tableName) : undefined;
    let current = manifest ?? { schemaVersion: chunkSchemaVersion, embedding: { modelId: embedding.modelId, dimensions: embedding.dimensions }, createdAt: new Date().toISOString() };
    if (manifest && manifest.schemaVersion < chunkSchemaVersion) {
      // In place, so an upgrade never forces re-embedding a corpus; the manifest follows only once the table is migrated.
      await migrateChunkTable(table, manifest.schemaVersion, directory);
      current = { ...manifest, schemaVersion: chunkSchemaVersion };
      await writeManifest(directory, current);
    }
    if (!manifest) await writeManifest(directory, current);
    return new ChunkIndex(directory, connection, table, current, options.approximateIndexThreshold ?? defaultApproximateIndexThreshold);
  }

  /** Deletes the whole index so it can be rebuilt, e.g. with another embedding model. */
  static async destroy(directory: string): Promise<void> {
    await rm(directory, { recursive: true, force: true });
  }

  get embedding(): EmbeddingIdentity {
    return this.manifest.embedding;
  }

  get calibration(): FusionCalibration | undefined {
    return this.manifest.calibration;
  }

  async saveCalibration(calibration: FusionCalibration): Promise<void> {
    this.manifest = { ...this.manifest, calibration };
    await writeManifest(this.directory, this.manifest);
  }

  private async chunkTable(): Promise<lancedb.Table> {
    if (!this.table) {
      this.creatingTable ??= this.connection.createEmptyTable(tableName, chunkSchema(this.manifest.embedding.dimensions), { existOk: true }).finally(() => {
        this.creatingTable = undefined;
      });
      try {
        this.table = await this.creatingTable;
      } catch (error) {
        throw new DocentError('index_unavailable', `cannot create the chunk table in ${this.directory}: ${(error as Error).message}`, { cause: error });
      }
    }
    return this.table;
  }

  /**
   * The table, opened late if another process created it after this one opened the index.
   * A table still being created is listed before it can be opened: a read at that moment
   * waits for this process's creation, or, for another process's, finds no table yet.
   */
  private async existingTable(): Promise<lancedb.Table | undefined> {
    if (this.creatingTable) await this.creatingTable.catch(() => undefined);
    if (!this.table && (await this.connection.tableNames()).includes(tableName)) {
      try {
        this.table = await this.connection.openTable(tableName);
      } catch (error) {
        if (/_versions/.test((error as Error).message) && /not found/i.test((error as Error).message)) return undefined;
        throw error;
      }
    }
    return this.table;
  }

  /** One row per indexed document (its first chunk), for change detection and status. */
  async documents(sourceId?: string): Promise<Map<string, IndexedDocument>> {
    const documents = new Map<string, IndexedDocument>();
    const table = await this.existingTable();
    if (!table) return documents;
    const query = table
      .query()
      .where(sourceId ? `ordinal = 0 AND source_id = ${sqlString(sourceId)}` : 'ordinal = 0')
      .select(['document_id', 'source_id', 'parent_id', 'title', 'uri', 'content_hash', 'version', 'access', 'modified_at', 'indexed_at']);
    const counts = await this.chunkCounts(sourceId);
    for (const row of (await query.toArray()) as Record<string, unknown>[]) {
      const documentId = String(row.document_id);
      const document: IndexedDocument = {
        documentId,
        sourceId: String(row.source_id),
        title: String(row.title),
        uri: String(row.uri),
        contentHash: String(row.content_hash),
        version: String(row.version),
        access: toStringArray(row.access),
        chunkCount: counts.get(documentId) ?? 0,
        indexedAt: String(row.indexed_at),
      };
      if (row.parent_id) document.parentId = String(row.parent_id);
      if (row.modified_at) document.modifiedAt = String(row.modified_at);
      documents.set(documentId, document);
    }
    return documents;
  }

  /**
   * The indexed state of these documents and of the documents embedded in them, without
   * reading the rest of their source: what a worker indexing one batch needs.
   */
  async documentsByIds(documentIds: string[]): Promise<Map<string, IndexedDocument>> {
    const documents = new Map<string, IndexedDocument>();
    const table = await this.existingTable();
    if (!table || documentIds.length === 0) return documents;
    const ids = sqlStringList(documentIds).slice(1, -1);
    const rows = (await table
      .query()
      .where(`document_id IN (${ids}) OR parent_id IN (${ids})`)
      .select(['document_id', 'source_id', 'parent_id', 'ordinal', 'title', 'uri', 'content_hash', 'version', 'access', 'modified_at', 'indexed_at'])
      .toArray()) as Record<string, unknown>[];
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(String(row.document_id), (counts.get(String(row.document_id)) ?? 0) + 1);
    for (const row of rows) {
      if (Number(row.ordinal) !== 0) continue;
      const documentId = String(row.document_id);
      const document: IndexedDocument = {
        documentId,
        sourceId: String(row.source_id),
        title: String(row.title),
        uri: String(row.uri),
        contentHash: String(row.content_hash),
        version: String(row.version),
        access: toStringArray(row.access),
        chunkCount: counts.get(documentId) ?? 0,
        indexedAt: String(row.indexed_at),
      };
      if (row.parent_id) document.parentId = String(row.parent_id);
      if (row.modified_at) document.modifiedAt = String(row.modified_at);
      documents.set(documentId, document);
    }
    return documents;
  }

  private async chunkCounts(sourceId?: string): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (!this.table) return counts;
    const query = this.table.query().select(['document_id']);
    if (sourceId) query.where(`source_id = ${sqlString(sourceId)}`);
    for await (const batch of query) {
      const column = batch.getChild('document_id');
      if (!column) continue;
      for (let index = 0; index < batch.numRows; index++) {
        const id = String(column.get(index));
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
    }
    return counts;
  }

  /**
   * Replaces every chunk of the given documents with their new chunks in one commit:
   * rows with the same id are updated, new ones inserted and the documents' leftover
   * rows deleted. Documents given with no chunks are removed.
   */
  async replaceDocuments(documents: DocumentChunks[]): Promise<void> {
    if (documents.length === 0) return;
    const indexedAt = new Date().toISOString();
    const rows = documents.flatMap((document) => {
      if (document.vectors.length !== document.chunks.length) throw new DocentError('internal', `document ${document.documentId}: ${document.chunks.length} chunks but ${document.vectors.length} vectors`);
      return document.chunks.map((chunk, index) => toRow(chunk, document.vectors[index]!, indexedAt, document.version ?? chunk.contentHash, document.parentId));
    });
    const table = await this.chunkTable();
    const ids = sqlStringList(documents.map((document) => document.documentId)).slice(1, -1);
    try {
      if (rows.length === 0) {
        await table.delete(`document_id IN (${ids})`);
        return;
      }
      await table
        .mergeInsert('id')
        .whenMatchedUpdateAll()
        .whenNotMatchedInsertAll()
        .whenNotMatchedBySourceDelete({ where: `document_id IN (${ids})` })
        .execute(rows as unknown as Record<string, unknown>[]);
    } catch (error) {
      throw writeError(this.directory, error);
    }
  }

  /**
   * Adds the chunks of documents the index does not hold yet. Cheaper than a replace (no
   * scan for rows to remove); callers use it only for documents they know are new.
   */
  async appendDocuments(documents: DocumentChunks[]): Promise<void> {
    const indexedAt = new Date().toISOString();
    const rows = documents.flatMap((document) => document.chunks.map((chunk, index) => toRow(chunk, document.vectors[index]!, indexedAt, document.version ?? chunk.contentHash, document.parentId)));
    if (rows.length === 0) return;
    const table = await this.chunkTable();
    try {
      await table.add(rows as unknown as Record<string, unknown>[]);
    } catch (error) {
      throw writeError(this.directory, error);
    }
  }

  /**
   * Applies new metadata (readers, location, date, version) to documents whose bytes did not
   * change, and to the documents embedded in them, which share their parent's readers: the
   * rows are rewritten with their vectors and text as they are, in one commit, so a
   * permission change lands at once and all together, with no re-embedding.
   */
  async updateDocumentMetadata(updates: DocumentMetadata[]): Promise<void> {
    const table = await this.existingTable();
    if (!table || updates.length === 0) return;
    const byDocument = new Map(updates.map((update) => [update.documentId, update]));
    const ids = sqlStringList([...byDocument.keys()]).slice(1, -1);
    const indexedAt = new Date().toISOString();
    try {
      const stored = (await table.query().where(`document_id IN (${ids}) OR parent_id IN (${ids})`).toArray()) as Record<string, unknown>[];
      const rows: ChunkRow[] = [];
      for (const row of stored) {
        const update = byDocument.get(String(row.document_id)) ?? byDocument.get(String(row.parent_id));
        if (!update) continue;
        rows.push({
          ...(row as unknown as ChunkRow),
          heading_path: toStringArray(row.heading_path),
          access: [...update.access],
          uri: update.uri,
          modified_at: update.modifiedAt ?? null,
          version: update.version,
          indexed_at: indexedAt,
          vector: Array.from(row.vector as Iterable<number>),
        });
      }
      if (rows.length === 0) return;
      // Matched rows only: a document deleted meanwhile stays deleted.
      await table.mergeInsert('id').whenMatchedUpdateAll().execute(rows as unknown as Record<string, unknown>[]);
    } catch (error) {
      throw writeError(this.directory, error);
    }
  }

  async deleteDocuments(documentIds: string[]): Promise<void> {
    if (!this.table || documentIds.length === 0) return;
    try {
      await this.table.delete(`document_id IN (${sqlStringList(documentIds).slice(1, -1)}) OR parent_id IN (${sqlStringList(documentIds).slice(1, -1)})`);
    } catch (error) {
      throw writeError(this.directory, error);
    }
  }

  /**
   * The SQL filter LanceDB applies inside the search (before the limit), so a chunk the
   * readers may not see is never a candidate: one `array_has_any` per reader set, all of
   * which must hold (the label-list index on `access` serves each).
   */
  private filterClause(filter: ChunkFilter): string {
    const readers = [filter.principals, ...(filter.alsoReadableBy ?? [])];
    const clauses = [...new Set(readers.map((set) => `array_has_any(access, ${sqlStringList(set)})`))];
    if (filter.sourceIds) clauses.push(`source_id IN (${sqlStringList(filter.sourceIds).slice(1, -1)})`);
    return clauses.join(' AND ');
  }

  async fulltextSearch(question: string, filter: ChunkFilter, limit: number): Promise<ScoredChunk[]> {
    const result = await (await this.fulltextQuery(question, filter, limit))?.select([...chunkColumns, '_score']).toArrow();
    if (!result) return [];
    const scores = numbersOfColumn(result, '_score');
    return chunksOfTable(result).map((chunk, index) => ({ chunk, score: scores[index]! }));
  }

  async vectorSearch(vector: Float32Array, filter: ChunkFilter, limit: number): Promise<ScoredChunk[]> {
    const result = await (await this.vectorQuery(vector, filter, limit))?.select([...chunkColumns, '_distance']).toArrow();
    if (!result) return [];
    const distances = numbersOfColumn(result, '_distance');
    return chunksOfTable(result).map((chunk, index) => ({ chunk, score: 1 - distances[index]! }));
  }

  /**
   * Full-text ranking without the chunks: ids, row addresses and scores only. A search
   * reads a hundred candidates per side to fuse them and quotes eight; decoding every
   * candidate's text, headings and principals was the largest piece of synchronous work
   * an answer did on the event loop every surface shares. `chunksAt` reads the few wanted.
   */
  async fulltextRanking(question: string, filter: ChunkFilter, limit: number): Promise<RankedRow[]> {
    const result = await (await this.fulltextQuery(question, filter, limit))?.select(['id', '_score']).withRowId().toArrow();
    return result ? rankedRows(result, numbersOfColumn(result, '_score')) : [];
  }

  /** Vector ranking without the chunks (see `fulltextRanking`). */
  async vectorRanking(vector: Float32Array, filter: ChunkFilter, limit: number): Promise<RankedRow[]> {
    const result = await (await this.vectorQuery(vector, filter, limit))?.select(['id', '_distance']).withRowId().toArrow();
    return result ? rankedRows(result, numbersOfColumn(result, '_distance').map((distance) => 1 - distance)) : [];
  }

  /** BM25 search of the readers' chunks, columns still to choose; undefined when nothing can match. */
  private async fulltextQuery(question: string, filter: ChunkFilter, limit: number) {
    const query = toLexicalQuery(question);
    const table = await this.existingTable();
    if (!table || !query || !canMatchAnything(filter)) return undefined;
    return table.search(query, 'fts', 'search_text').where(this.filterClause(filter)).limit(limit);
  }

  /** Cosine nearest neighbours among the readers' chunks, columns still to choose; undefined when nothing can match. */
  private async vectorQuery(vector: Float32Array, filter: ChunkFilter, limit: number) {
    const table = await this.existingTable();
    if (!table || !canMatchAnything(filter)) return undefined;
    return table.query().nearestTo(vector).distanceType('cosine').where(this.filterClause(filter)).limit(limit);
  }

  /**
   * The chunks a ranking found, by id, read from their rows. A row that no longer holds its
   * chunk (the document was re-indexed or the table compacted since the ranking) is looked
   * up by id instead; a chunk that is gone, or that the filter's readers may no longer
   * read, is left out, so a permission change between the two reads never widens access.
   */
  async chunksAt(addresses: ChunkAddress[], filter: ChunkFilter): Promise<Map<string, Chunk>> {
    const found = new Map<string, Chunk>();
    const table = await this.existingTable();
    if (!table || addresses.length === 0) return found;
    let rows: Chunk[] = [];
    try {
      rows = chunksOfTable(await table.takeRowIds(addresses.map((address) => address.rowId)).select([...chunkColumns]).toArrow());
    } catch {
      // A row address past the table's end after compaction: every chunk is looked up by id below.
    }
    const wanted = new Set(addresses.map((address) => address.id));
    for (const chunk of rows) if (wanted.has(chunk.id) && readableUnder(chunk, filter)) found.set(chunk.id, chunk);
    const moved = addresses.filter((address) => !found.has(address.id));
    if (moved.length > 0) {
      const result = await table.query().where(`id IN (${sqlStringList(moved.map((address) => address.id)).slice(1, -1)}) AND ${this.filterClause(filter)}`).select([...chunkColumns]).toArrow();
      for (const chunk of chunksOfTable(result)) found.set(chunk.id, chunk);
    }
    return found;
  }

  /**
   * A reproducible pseudo-random sample of about `count` chunks. Small tables are read
   * whole; large ones are thinned inside the index by content-hash prefix (hashes are
   * uniformly distributed), so the sample never needs the whole table in memory.
   */
  async sampleChunks(count: number, seed: number): Promise<Chunk[]> {
    if (!this.table) return [];
    const total = await this.table.countRows();
    const query = this.table.query().select([...chunkColumns]);
    if (total > 20_000) {
      const wanted = Math.min(1, (count * 4) / total);
      const buckets = Math.max(1, Math.ceil(wanted * 256));
      const prefixes = Array.from({ length: buckets }, (_, offset) => ((seed + offset) % 256).toString(16).padStart(2, '0'));
      query.where(`substr(content_hash, 1, 2) IN (${sqlStringList(prefixes).slice(1, -1)})`);
    }
    const rows = (await query.toArray()) as Record<string, unknown>[];
    const chunks = rows.map(fromRow).sort((a, b) => a.id.localeCompare(b.id));
    const random = seededRandom(seed);
    for (let index = chunks.length - 1; index > 0; index--) {
      const other = Math.floor(random() * (index + 1));
      [chunks[index], chunks[other]] = [chunks[other]!, chunks[index]!];
    }
    return chunks.slice(0, count);
  }

  /** Where a document lives and who may read it, from its first chunk. */
  async documentAccess(documentId: string): Promise<{ uri: string; title: string; access: string[] } | undefined> {
    const table = await this.existingTable();
    if (!table) return undefined;
    const rows = (await table
      .query()
      .where(`document_id = ${sqlString(documentId)} AND ordinal = 0`)
      .select(['uri', 'title', 'access'])
      .limit(1)
      .toArray()) as Record<string, unknown>[];
    const row = rows[0];
    if (!row) return undefined;
    const chunk = fromRow({ ...row, id: '', document_id: documentId, source_id: '', ordinal: 0, heading_path: [], start_offset: 0, end_offset: 0, text: '', token_count: 0, content_hash: '' });
    return { uri: chunk.uri, title: chunk.title, access: chunk.access };
  }

  /** Chunks of one document in order, e.g. to show a citation's neighbourhood. */
  async documentChunks(documentId: string): Promise<Chunk[]> {
    if (!this.table) return [];
    const rows = (await this.table.query().where(`document_id = ${sqlString(documentId)}`).select([...chunkColumns]).toArray()) as Record<string, unknown>[];
    return rows.map(fromRow).sort((a, b) => a.ordinal - b.ordinal);
  }

  /**
   * Brings the search indexes up to date after writes: creates the full-text and scalar
   * indexes on first use, an ANN index once the table is large enough, and folds new rows
   * into them with compaction. Rows not yet indexed are still searched (exhaustively), so
   * results are correct in between; this only restores speed.
   */
  async refreshIndexes(): Promise<void> {
    if (!this.table) return;
    const table = this.table;
    const existing = new Set((await table.listIndices()).map((index) => index.columns.join(',')));
    const rows = await table.countRows();
    if (rows === 0) return;
    if (!existing.has('search_text')) {
      // English stemming and stop words on Latin text; CJK text arrives as bigrams (lexical-text.ts) that the stemmer leaves alone.
      await table.createIndex('search_text', {
        config: lancedb.Index.fts({ withPosition: false, stem: true, language: 'English', removeStopWords: true, lowercase: true, asciiFolding: true }),
      });
    }
    if (!existing.has('document_id')) await table.createIndex('document_id', { config: lancedb.Index.btree() });
    if (!existing.has('id')) await table.createIndex('id', { config: lancedb.Index.btree() });
    if (!existing.has('access')) await table.createIndex('access', { config: lancedb.Index.labelList() });
    if (!existing.has('vector') && rows >= this.approximateIndexThreshold) {
      await table.createIndex('vector', { config: lancedb.Index.hnswSq({ distanceType: 'cosine' }) });
    }
    await this.compact();
  }

  async countChunks(): Promise<number> {
    const table = await this.existingTable();
    return table ? table.countRows() : 0;
  }

  async countDocuments(): Promise<number> {
    const table = await this.existingTable();
    return table ? table.countRows('ordinal = 0') : 0;
  }

  /** Whether the full-text index exists yet (cheap: no walk of the index directory). */
  async hasSearchIndexes(): Promise<boolean> {
    if (!this.table) return false;
    return (await this.table.listIndices()).some((index) => index.columns.includes('search_text'));
  }

  /** Merges small data files and drops old table versions so the index stays small and fast. */
  async compact(): Promise<void> {
    if (!this.table) return;
    try {
      await this.table.optimize({ cleanupOlderThan: new Date(Date.now() - 60_000) });
    } catch (error) {
      throw writeError(this.directory, error);
    }
  }

  async statistics(): Promise<IndexStatistics> {
    const table = this.table;
    const statistics: IndexStatistics = {
      chunks: table ? await table.countRows() : 0,
      documents: table ? await table.countRows('ordinal = 0') : 0,
      bytesOnDisk: await directorySize(this.directory),
      indexes: table ? (await table.listIndices()).map((index) => `${index.columns.join(',')} (${index.indexType})`) : [],
      embedding: this.manifest.embedding,
    };
    if (this.manifest.calibration) statistics.calibration = this.manifest.calibration;
    return statistics;
  }

  close(): void {
    this.table?.close();
    this.connection.close();
  }
}

/** A reader set without principals reads nothing, and an empty source list names no source, so no chunk can pass. */
function canMatchAnything(filter: ChunkFilter): boolean {
  return filter.principals.length > 0 && (filter.alsoReadableBy ?? []).every((set) => set.length > 0) && filter.sourceIds?.length !== 0;
}

function writeError(directory: string, error: unknown): DocentError {
  const message = (error as Error).message ?? String(error);
  const diskFull = /No space left|ENOSPC/i.test(message);
  return new DocentError('index_unavailable', diskFull ? `the disk holding ${directory} is full; nothing was changed by this write` : `writing to the index in ${directory} failed: ${message.split('\n')[0]}`, {
    cause: error,
    retryable: true,
  });
}

async function directorySize(directory: string): Promise<number> {
  let total = 0;
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) total += await directorySize(full);
    else if (entry.isFile()) total += (await stat(full)).size;
  }
  return total;
}

function rankedRows(result: ArrowTable, scores: number[]): RankedRow[] {
  if (result.numRows === 0) return [];
  const ids = result.getChild('id')!;
  const rowIds = result.getChild('_rowid')!;
  return scores.map((score, index) => ({ chunk: { id: String(ids.get(index)), rowId: BigInt(rowIds.get(index) as bigint) }, score }));
}

/** `filterClause`'s rule applied to a chunk already read: every reader set shares a principal with it, and its source is allowed. */
function readableUnder(chunk: Chunk, filter: ChunkFilter): boolean {
  const access = new Set(chunk.access);
  const readers = [filter.principals, ...(filter.alsoReadableBy ?? [])];
  if (!readers.every((set) => set.some((principal) => access.has(principal)))) return false;
  return !filter.sourceIds || filter.sourceIds.includes(chunk.sourceId);
}
