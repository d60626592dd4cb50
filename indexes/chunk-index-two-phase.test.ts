import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Chunk } from '../src/core/chunk.js';
import { temporaryDirectory } from '../test/support/temporary-directory.js';
import { ChunkIndex } from './chunk-index.js';

function chunk(documentId: string, text: string, access: string[]): Chunk {
  return { id: `${documentId}#0`, documentId, sourceId: 'folder:test', ordinal: 0, title: documentId, uri: `/${documentId}`, headingPath: ['Rules'], location: {}, startOffset: 0, endOffset: text.length, text, tokenCount: 8, access, contentHash: `${documentId}:${text}` };
}

async function indexWith(documents: Chunk[]): Promise<ChunkIndex> {
  const index = await ChunkIndex.open(path.join(await temporaryDirectory(), 'index'), { modelId: 'test', dimensions: 2 }, { create: true, readConsistencySeconds: 0 });
  await write(index, documents);
  await index.refreshIndexes();
  return index;
}

async function write(index: ChunkIndex, documents: Chunk[]): Promise<void> {
  await index.replaceDocuments(documents.map((document) => ({ documentId: document.documentId, chunks: [document], vectors: [Float32Array.of(1, 0)] })));
}

const everyoneFilter = { principals: ['everyone'] };

describe('ChunkIndex rankings and chunksAt', () => {
  it('ranks without reading the chunks, then reads exactly the chunks it ranked', async () => {
    const index = await indexWith([chunk('garage', 'Parking rules for the office garage.', ['everyone']), chunk('bikes', 'Bicycle parking is in the courtyard.', ['everyone'])]);
    const fulltext = await index.fulltextRanking('parking garage', everyoneFilter, 10);
    const vector = await index.vectorRanking(Float32Array.of(1, 0), everyoneFilter, 10);
    expect(fulltext.map((row) => row.chunk.id)).toEqual(['garage#0', 'bikes#0']);
    expect(fulltext[0]!.score).toBeGreaterThan(fulltext[1]!.score);
    expect(vector.map((row) => row.chunk.id).sort()).toEqual(['bikes#0', 'garage#0']);
    expect(vector[0]!.score).toBeCloseTo(1);

    const chunks = await index.chunksAt(fulltext.map((row) => row.chunk), everyoneFilter);
    expect(chunks.get('garage#0')).toMatchObject({ documentId: 'garage', text: 'Parking rules for the office garage.', headingPath: ['Rules'], access: ['everyone'] });
    expect([...chunks.keys()].sort()).toEqual(['bikes#0', 'garage#0']);
    index.close();
  });

  it('finds a chunk re-indexed or compacted after the ranking by its id', async () => {
    const index = await indexWith([chunk('garage', 'Parking rules for the office garage.', ['everyone']), chunk('bikes', 'Bicycle parking is in the courtyard.', ['everyone'])]);
    const ranking = await index.fulltextRanking('parking garage', everyoneFilter, 10);
    await write(index, [chunk('garage', 'Parking rules for the office garage, updated.', ['everyone'])]);
    await index.compact();
    const chunks = await index.chunksAt(ranking.map((row) => row.chunk), everyoneFilter);
    expect(chunks.get('garage#0')?.text).toBe('Parking rules for the office garage, updated.');
    expect(chunks.get('bikes#0')?.text).toBe('Bicycle parking is in the courtyard.');
    index.close();
  });

  it('leaves out a chunk deleted, or closed to the readers, after the ranking', async () => {
    const index = await indexWith([chunk('garage', 'Parking rules for the office garage.', ['everyone']), chunk('bikes', 'Bicycle parking is in the courtyard.', ['everyone'])]);
    const ranking = await index.fulltextRanking('parking', everyoneFilter, 10);
    await write(index, [chunk('garage', 'Parking rules for the office garage.', ['group:facilities'])]);
    await index.deleteDocuments(['bikes']);
    const chunks = await index.chunksAt(ranking.map((row) => row.chunk), everyoneFilter);
    expect([...chunks.keys()]).toEqual([]);
    const facilities = await index.chunksAt(ranking.map((row) => row.chunk), { principals: ['group:facilities'] });
    expect([...facilities.keys()]).toEqual(['garage#0']);
    index.close();
  });
});
