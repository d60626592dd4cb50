import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Chunk } from '../src/core/chunk.js';
import { temporaryDirectory } from '../test/support/temporary-directory.js';
import { ChunkIndex } from './chunk-index.js';

function chunk(documentId: string, text: string, access: string[]): Chunk {
  return { id: `${documentId}#0`, documentId, sourceId: 'folder:test', ordinal: 0, title: documentId, uri: `/${documentId}`, headingPath: [], location: {}, startOffset: 0, endOffset: text.length, text, tokenCount: 8, access, contentHash: documentId };
}

describe('ChunkIndex access filter', () => {
  it('returns only chunks every reader set may read, inside the query, for channels with many distinct group sets', async () => {
    const index = await ChunkIndex.open(path.join(await temporaryDirectory(), 'index'), { modelId: 'test', dimensions: 2 }, { create: true });
    const documents = [chunk('open', 'Parking rules for the office garage.', ['everyone']), chunk('hr', 'Parking rules for HR visitors.', ['group:hr']), chunk('shared', 'Parking rules for HR and engineering.', ['group:hr', 'group:engineering'])];
    await index.replaceDocuments(documents.map((document) => ({ documentId: document.documentId, chunks: [document], vectors: [Float32Array.of(1, 0)] })));
    await index.refreshIndexes();
    const found = async (filter: Parameters<ChunkIndex['fulltextSearch']>[1]) => (await index.fulltextSearch('parking rules', filter, 10)).map((hit) => hit.chunk.documentId).sort();
    const vectorFound = async (filter: Parameters<ChunkIndex['vectorSearch']>[1]) => (await index.vectorSearch(Float32Array.of(1, 0), filter, 10)).map((hit) => hit.chunk.documentId).sort();

    const hr = ['everyone', 'group:hr'];
    const engineering = ['everyone', 'group:engineering'];
    expect(await found({ principals: hr })).toEqual(['hr', 'open', 'shared']);
    expect(await found({ principals: hr, alsoReadableBy: [engineering] })).toEqual(['open', 'shared']);
    expect(await vectorFound({ principals: hr, alsoReadableBy: [engineering] })).toEqual(['open', 'shared']);
    expect(await found({ principals: hr, alsoReadableBy: [engineering, ['everyone']] })).toEqual(['open']);
    // A reader set with no principal at all reads nothing, and a source list with nothing in it names nothing.
    expect(await found({ principals: hr, alsoReadableBy: [[]] })).toEqual([]);
    expect(await found({ principals: hr, sourceIds: [] })).toEqual([]);

    // Hundreds of clauses (a large channel whose members share few groups) still filter inside one query.
    const manySets = Array.from({ length: 300 }, (_, member) => ['everyone', 'group:hr', `user:member-${member}`]);
    expect(await found({ principals: hr, alsoReadableBy: manySets })).toEqual(['hr', 'open', 'shared']);
    expect(await vectorFound({ principals: hr, alsoReadableBy: [...manySets, engineering] })).toEqual(['open', 'shared']);
    index.close();
  });
});
