import type { Table as ArrowTable, Vector } from 'apache-arrow';
import type { Chunk } from '../src/core/chunk.js';
import { toStringArray } from './chunk-schema.js';

/**
 * Chunks read from a LanceDB result column by column. Reading it as row objects (`toArray`)
 * goes through Arrow's row proxies, which look up how to decode a field on every access;
 * for a search that returns a hundred passages per side, twenty questions at once, that
 * decoding was the largest block of synchronous work on the event loop after the
 * near-duplicate check. Each column's accessor here is resolved once.
 */
export function chunksOfTable(table: ArrowTable): Chunk[] {
  // An empty result may come without its columns.
  if (table.numRows === 0) return [];
  const column = (name: string): Vector => {
    const vector = table.getChild(name);
    if (!vector) throw new Error(`the search result has no "${name}" column`);
    return vector;
  };
  const id = column('id');
  const documentId = column('document_id');
  const sourceId = column('source_id');
  const ordinal = column('ordinal');
  const title = column('title');
  const uri = column('uri');
  const headingPath = column('heading_path');
  const page = column('page');
  const slide = column('slide');
  const sheet = column('sheet');
  const startOffset = column('start_offset');
  const endOffset = column('end_offset');
  const text = column('text');
  const tokenCount = column('token_count');
  const access = column('access');
  const contentHash = column('content_hash');
  const modifiedAt = column('modified_at');

  const chunks: Chunk[] = [];
  for (let index = 0; index < table.numRows; index++) {
    const chunk: Chunk = {
      id: String(id.get(index)),
      documentId: String(documentId.get(index)),
      sourceId: String(sourceId.get(index)),
      ordinal: Number(ordinal.get(index)),
      title: String(title.get(index)),
      uri: String(uri.get(index)),
      headingPath: toStringArray(headingPath.get(index)),
      location: {},
      startOffset: Number(startOffset.get(index)),
      endOffset: Number(endOffset.get(index)),
      text: String(text.get(index)),
      tokenCount: Number(tokenCount.get(index)),
      access: toStringArray(access.get(index)),
      contentHash: String(contentHash.get(index)),
    };
    const pageValue = page.get(index);
    if (pageValue !== null && pageValue !== undefined) chunk.location.page = Number(pageValue);
    const slideValue = slide.get(index);
    if (slideValue !== null && slideValue !== undefined) chunk.location.slide = Number(slideValue);
    const sheetValue = sheet.get(index);
    if (sheetValue !== null && sheetValue !== undefined) chunk.location.sheet = String(sheetValue);
    const modifiedValue = modifiedAt.get(index);
    if (modifiedValue !== null && modifiedValue !== undefined) chunk.modifiedAt = String(modifiedValue);
    chunks.push(chunk);
  }
  return chunks;
}

/** A numeric column (a score, a distance) as plain numbers. */
export function numbersOfColumn(table: ArrowTable, name: string): number[] {
  if (table.numRows === 0) return [];
  const vector = table.getChild(name);
  if (!vector) throw new Error(`the search result has no "${name}" column`);
  return Array.from({ length: table.numRows }, (_, index) => Number(vector.get(index)));
}
