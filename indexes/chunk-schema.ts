import { Field, FixedSizeList, Float32, Int32, List, Schema, Utf8 } from 'apache-arrow';
import type { Chunk } from '../src/core/chunk.js';
import { toLexicalText } from './lexical-text.js';

/**
 * Bumped when the table layout changes. An older table is migrated in place when it opens
 * (see chunk-table-migrations.ts) where that is possible, else rebuilt by an explicit re-index.
 */
export const chunkSchemaVersion = 2;

const text = (name: string, nullable = false): Field => new Field(name, new Utf8(), nullable);
const integer = (name: string, nullable = false): Field => new Field(name, new Int32(), nullable);
const textList = (name: string): Field => new Field(name, new List(new Field('item', new Utf8(), true)), false);

/** One row per chunk: the passage, where it came from, who may read it and its vector. */
export function chunkSchema(dimensions: number): Schema {
  return new Schema([
    text('id'),
    text('document_id'),
    text('source_id'),
    text('parent_id', true),
    integer('ordinal'),
    text('title'),
    text('uri'),
    textList('heading_path'),
    integer('page', true),
    integer('slide', true),
    text('sheet', true),
    integer('start_offset'),
    integer('end_offset'),
    text('text'),
    /** Title, headings and text prepared for the full-text index (see lexical-text.ts). */
    text('search_text'),
    integer('token_count'),
    textList('access'),
    text('content_hash'),
    text('modified_at', true),
    text('indexed_at'),
    new Field('vector', new FixedSizeList(dimensions, new Field('item', new Float32(), true)), false),
    /**
     * The document's version at its source (ETag, mtime and size, commit): equal versions mean
     * equal bytes and readers. Last, where layout 1 tables gain it by migration.
     */
    text('version'),
  ]);
}

export interface ChunkRow {
  id: string;
  document_id: string;
  source_id: string;
  parent_id: string | null;
  ordinal: number;
  title: string;
  uri: string;
  heading_path: string[];
  page: number | null;
  slide: number | null;
  sheet: string | null;
  start_offset: number;
  end_offset: number;
  text: string;
  search_text: string;
  token_count: number;
  access: string[];
  content_hash: string;
  modified_at: string | null;
  indexed_at: string;
  vector: number[] | Float32Array;
  version: string;
}

/** Columns read back for search results: everything but the vector and the derived search text. */
export const chunkColumns = [
  'id', 'document_id', 'source_id', 'ordinal', 'title', 'uri', 'heading_path', 'page', 'slide', 'sheet',
  'start_offset', 'end_offset', 'text', 'token_count', 'access', 'content_hash', 'modified_at',
] as const;

/** The text the full-text index sees: title and headings make a passage findable by its topic. */
export function searchTextOf(chunk: Chunk): string {
  return toLexicalText([chunk.title, ...chunk.headingPath, chunk.text].join('\n'));
}

export function toRow(chunk: Chunk, vector: Float32Array, indexedAt: string, version: string, parentId?: string): ChunkRow {
  return {
    id: chunk.id,
    document_id: chunk.documentId,
    source_id: chunk.sourceId,
    parent_id: parentId ?? null,
    ordinal: chunk.ordinal,
    title: chunk.title,
    uri: chunk.uri,
    heading_path: chunk.headingPath,
    page: chunk.location.page ?? null,
    slide: chunk.location.slide ?? null,
    sheet: chunk.location.sheet ?? null,
    start_offset: chunk.startOffset,
    end_offset: chunk.endOffset,
    text: chunk.text,
    search_text: searchTextOf(chunk),
    token_count: chunk.tokenCount,
    access: chunk.access,
    content_hash: chunk.contentHash,
    modified_at: chunk.modifiedAt ?? null,
    indexed_at: indexedAt,
    vector: Array.from(vector),
    version,
  };
}

/** Arrow lists come back as Vector objects; this turns them into plain arrays. */
export function toStringArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (value && typeof (value as { toArray?: unknown }).toArray === 'function') return Array.from((value as { toArray(): unknown[] }).toArray(), String);
  return [];
}

export function fromRow(row: Record<string, unknown>): Chunk {
  const chunk: Chunk = {
    id: String(row.id),
    documentId: String(row.document_id),
    sourceId: String(row.source_id),
    ordinal: Number(row.ordinal),
    title: String(row.title),
    uri: String(row.uri),
    headingPath: toStringArray(row.heading_path),
    location: {},
    startOffset: Number(row.start_offset),
    endOffset: Number(row.end_offset),
    text: String(row.text),
    tokenCount: Number(row.token_count),
    access: toStringArray(row.access),
    contentHash: String(row.content_hash),
  };
  if (row.page !== null && row.page !== undefined) chunk.location.page = Number(row.page);
  if (row.slide !== null && row.slide !== undefined) chunk.location.slide = Number(row.slide);
  if (row.sheet !== null && row.sheet !== undefined) chunk.location.sheet = String(row.sheet);
  if (row.modified_at !== null && row.modified_at !== undefined) chunk.modifiedAt = String(row.modified_at);
  return chunk;
}

/** Quotes a string for a LanceDB (DataFusion SQL) filter. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function sqlStringList(values: readonly string[]): string {
  return `[${values.map(sqlString).join(', ')}]`;
}
