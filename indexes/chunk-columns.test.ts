import * as lancedb from '@lancedb/lancedb';
import { describe, expect, it } from 'vitest';
import type { Chunk } from '../src/core/chunk.js';
import { temporaryDirectory } from '../test/support/temporary-directory.js';
import { chunksOfTable, numbersOfColumn } from './chunk-columns.js';
import { chunkColumns, chunkSchema, fromRow, toRow } from './chunk-schema.js';

const chunks: Chunk[] = [
  {
    id: 'leave.md#0', documentId: 'leave.md', sourceId: 'folder:hr', ordinal: 0, title: 'Leave', uri: '/docs/leave.md', headingPath: ['Policies', 'Leave'],
    location: { page: 3 }, startOffset: 0, endOffset: 33, text: 'Annual leave is 25 days per year.', tokenCount: 7, access: ['everyone'], contentHash: 'h1', modifiedAt: '2026-11-01T00:00:00.000Z',
  },
  {
    id: 'rates.xlsx#4', documentId: 'rates.xlsx', sourceId: 'folder:finance', ordinal: 4, title: 'Rates', uri: '/docs/rates.xlsx', headingPath: [],
    location: { sheet: 'Travel', slide: 2 }, startOffset: 120, endOffset: 160, text: 'Per diem | Zürich | 120 CHF', tokenCount: 6, access: ['group:finance', 'user:ann@acme.example'], contentHash: 'h2',
  },
];

async function tableOf(rows: Chunk[]): Promise<lancedb.Table> {
  const database = await lancedb.connect(await temporaryDirectory());
  const table = await database.createEmptyTable('chunks', chunkSchema(2));
  const stored = rows.map((chunk, index) => toRow(chunk, Float32Array.from([1, index]), '2026-12-01T00:00:00.000Z', 'v1'));
  if (stored.length > 0) await table.add(stored as unknown as Record<string, unknown>[]);
  return table;
}

describe('chunksOfTable', () => {
  it('reads the same chunks, nulls and lists included, as the row objects do', async () => {
    const table = await tableOf(chunks);
    const query = () => table.query().nearestTo([1, 0]).distanceType('cosine').select([...chunkColumns, '_distance']).limit(10);
    const rows = (await query().toArray()) as Record<string, unknown>[];
    const result = await query().toArrow();

    expect(chunksOfTable(result)).toEqual(rows.map(fromRow));
    expect(new Set(chunksOfTable(result))).toEqual(new Set(chunks));
    expect(numbersOfColumn(result, '_distance')).toEqual(rows.map((row) => Number(row._distance)));
  });

  it('reads an empty result as no chunks', async () => {
    const table = await tableOf([]);
    const result = await table.query().select([...chunkColumns]).limit(10).toArrow();
    expect(chunksOfTable(result)).toEqual([]);
    expect(numbersOfColumn(result, '_distance')).toEqual([]);
  });

  it('names a column the result lacks', async () => {
    const table = await tableOf(chunks);
    const result = await table.query().select(['id', 'text']).limit(10).toArrow();
    expect(() => chunksOfTable(result)).toThrow('no "document_id" column');
  });
});
