import path from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { Schema } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type { Chunk } from '../src/core/chunk.js';
import { temporaryDirectory } from '../test/support/temporary-directory.js';
import { ChunkIndex } from './chunk-index.js';
import { chunkSchema, chunkSchemaVersion, toRow } from './chunk-schema.js';
import { readManifest, writeManifest } from './index-manifest.js';

const embedding = { modelId: 'test-model', dimensions: 4 };

function chunk(documentId: string, ordinal: number, text: string, contentHash: string): Chunk {
  return {
    id: `${documentId}#${ordinal}`, documentId, sourceId: 'folder:/srv/docs', ordinal, title: documentId, uri: `/srv/docs/${documentId}`, headingPath: [], location: {},
    startOffset: 0, endOffset: text.length, text, tokenCount: text.split(' ').length, access: ['everyone'], contentHash,
  };
}

/** Writes an index exactly as layout 1 did: no version column, manifest at layout 1. */
async function writeLayoutOneIndex(directory: string): Promise<void> {
  const connection = await lancedb.connect(directory);
  const layoutOne = new Schema(chunkSchema(embedding.dimensions).fields.filter((field) => field.name !== 'version'));
  const table = await connection.createEmptyTable('chunks', layoutOne);
  const rows = [chunk('leave.md', 0, 'Annual leave is 25 days per year.', 'hash-leave'), chunk('leave.md', 1, 'Sick leave needs a note after three days.', 'hash-leave'), chunk('parking.md', 0, 'Visitors park on level B2.', 'hash-parking')].map((entry) => {
    const { version: _version, ...row } = toRow(entry, Float32Array.of(1, 0, 0, 0), '2024-01-01T00:00:00.000Z', 'unused');
    return row;
  });
  await table.add(rows as unknown as Record<string, unknown>[]);
  await table.createIndex('search_text', { config: lancedb.Index.fts() });
  table.close();
  connection.close();
  await writeManifest(directory, { schemaVersion: 1, embedding, createdAt: '2024-01-01T00:00:00.000Z' });
}

describe('chunk table migrations', () => {
  it('migrates a layout 1 index in place: each document gets its content hash as version, nothing is re-embedded or lost', async () => {
    const directory = path.join(await temporaryDirectory(), 'index');
    await writeLayoutOneIndex(directory);

    const index = await ChunkIndex.open(directory, embedding, { create: false });
    try {
      expect((await readManifest(directory))!.schemaVersion).toBe(chunkSchemaVersion);
      const documents = await index.documents();
      expect(documents.get('leave.md')).toMatchObject({ version: 'hash-leave', contentHash: 'hash-leave', chunkCount: 2, access: ['everyone'] });
      expect(documents.get('parking.md')).toMatchObject({ version: 'hash-parking' });
      expect((await index.fulltextSearch('visitors park', { principals: ['everyone'] }, 5))[0]!.chunk.documentId).toBe('parking.md');

      // The migrated table takes writes in the current layout.
      await index.replaceDocuments([{ documentId: 'parking.md', version: 'v2', chunks: [chunk('parking.md', 0, 'Visitors park on level B3.', 'hash-parking-2')], vectors: [Float32Array.of(0, 1, 0, 0)] }]);
      expect((await index.documents()).get('parking.md')).toMatchObject({ version: 'v2', contentHash: 'hash-parking-2' });
    } finally {
      index.close();
    }
    // Opening again finds nothing left to do.
    const again = await ChunkIndex.open(directory, embedding, { create: false });
    expect((await again.documents()).size).toBe(2);
    again.close();
  });

  it('refuses an index written by a newer Docent', async () => {
    const directory = path.join(await temporaryDirectory(), 'index');
    await writeManifest(directory, { schemaVersion: chunkSchemaVersion + 1, embedding, createdAt: '2030-01-01T00:00:00.000Z' });
    await expect(ChunkIndex.open(directory, embedding, { create: false })).rejects.toMatchObject({ code: 'index_unavailable', message: expect.stringMatching(/newer Docent/) });
  });
});

describe('ChunkIndex.updateDocumentMetadata', () => {
  it('changes readers, location, date and version of a document and its attachments in place, keeping text and vectors', async () => {
    const directory = path.join(await temporaryDirectory(), 'index');
    const index = await ChunkIndex.open(directory, embedding, { create: true });
    try {
      await index.replaceDocuments([
        { documentId: 'mail.eml', version: 'v1', chunks: [chunk('mail.eml', 0, 'Budget meeting on Friday.', 'hash-mail'), chunk('mail.eml', 1, 'Bring the quarterly numbers.', 'hash-mail')], vectors: [Float32Array.of(1, 0, 0, 0), Float32Array.of(0, 1, 0, 0)] },
        { documentId: 'mail.eml/attachments/1-agenda.txt', parentId: 'mail.eml', version: 'v1', chunks: [chunk('mail.eml/attachments/1-agenda.txt', 0, 'Agenda: budget review.', 'hash-agenda')], vectors: [Float32Array.of(0, 0, 1, 0)] },
        { documentId: 'other.md', version: 'v1', chunks: [chunk('other.md', 0, 'Unrelated text about parking.', 'hash-other')], vectors: [Float32Array.of(0, 0, 0, 1)] },
      ]);
      await index.refreshIndexes();
      expect(await index.fulltextSearch('budget', { principals: ['group:finance'] }, 5)).toEqual([]);

      await index.updateDocumentMetadata([{ documentId: 'mail.eml', version: 'v2', access: ['group:finance'], uri: '/srv/docs/moved/mail.eml', modifiedAt: '2024-05-01T10:00:00.000Z' }]);

      const documents = await index.documents();
      expect(documents.get('mail.eml')).toMatchObject({ version: 'v2', access: ['group:finance'], uri: '/srv/docs/moved/mail.eml', modifiedAt: '2024-05-01T10:00:00.000Z', chunkCount: 2, contentHash: 'hash-mail' });
      expect(documents.get('mail.eml/attachments/1-agenda.txt')).toMatchObject({ version: 'v2', access: ['group:finance'], parentId: 'mail.eml' });
      expect(documents.get('other.md')).toMatchObject({ version: 'v1', access: ['everyone'] });
      expect(await index.fulltextSearch('budget', { principals: ['everyone'] }, 5)).toEqual([]);
      const readable = await index.fulltextSearch('budget', { principals: ['group:finance'] }, 5);
      expect(readable.map((hit) => hit.chunk.documentId).sort()).toEqual(['mail.eml', 'mail.eml/attachments/1-agenda.txt']);
      const nearest = await index.vectorSearch(Float32Array.of(0, 1, 0, 0), { principals: ['group:finance'] }, 1);
      expect(nearest[0]!.chunk).toMatchObject({ id: 'mail.eml#1', text: 'Bring the quarterly numbers.' });
      expect(nearest[0]!.score).toBeCloseTo(1, 5);
    } finally {
      index.close();
    }
  });
});
