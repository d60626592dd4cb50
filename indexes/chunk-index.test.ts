import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Chunk } from '../src/core/chunk.js';
import { temporaryDirectory } from '../test/support/temporary-directory.js';
import { ChunkIndex } from './chunk-index.js';

const embedding = { modelId: 'test-model', dimensions: 4 };

function chunk(documentId: string, ordinal: number, text: string, access = ['everyone'], contentHash = 'h1'): Chunk {
  return {
    id: `${documentId}#${ordinal}`,
    documentId,
    sourceId: 'folder:test',
    ordinal,
    title: documentId.replace(/^.*\//, ''),
    uri: `/docs/${documentId}`,
    headingPath: ['Policies'],
    location: { page: ordinal + 1 },
    startOffset: 0,
    endOffset: text.length,
    text,
    tokenCount: text.split(' ').length,
    access,
    contentHash,
  };
}

function vector(...values: number[]): Float32Array {
  const result = Float32Array.from(values);
  const norm = Math.hypot(...values);
  return result.map((value) => value / norm);
}

describe('ChunkIndex', () => {
  it('replaces documents atomically, searches both ways and filters by access and source', async () => {
    const directory = path.join(await temporaryDirectory(), 'index');
    const index = await ChunkIndex.open(directory, embedding, { create: true });
    await index.replaceDocuments([
      { documentId: 'leave.md', chunks: [chunk('leave.md', 0, 'Annual leave is 25 days per year.'), chunk('leave.md', 1, 'Sick leave needs a note after three days.')], vectors: [vector(1, 0, 0, 0), vector(0.9, 0.1, 0, 0)] },
      { documentId: 'salaries.md', chunks: [chunk('salaries.md', 0, 'Salary bands and leave for executives.', ['group:hr'])], vectors: [vector(0, 1, 0, 0)] },
    ]);
    await index.refreshIndexes();

    const everyone = { principals: ['everyone'] };
    const fulltext = await index.fulltextSearch('how much annual leave?', everyone, 10);
    expect(fulltext[0]!.chunk.id).toBe('leave.md#0');
    expect(fulltext.map((hit) => hit.chunk.documentId)).not.toContain('salaries.md');
    expect((await index.fulltextSearch('leave', { principals: ['group:hr'] }, 10)).map((hit) => hit.chunk.id)).toEqual(['salaries.md#0']);
    expect(await index.fulltextSearch('leave', { principals: ['everyone'], sourceIds: ['other'] }, 10)).toEqual([]);

    const nearest = await index.vectorSearch(vector(1, 0, 0, 0), everyone, 10);
    expect(nearest[0]!.chunk).toMatchObject({ id: 'leave.md#0', headingPath: ['Policies'], location: { page: 1 }, access: ['everyone'] });
    expect(nearest[0]!.score).toBeCloseTo(1, 5);

    // A changed document with fewer chunks leaves no stale chunk behind.
    await index.replaceDocuments([{ documentId: 'leave.md', chunks: [chunk('leave.md', 0, 'Annual leave is 30 days per year.', ['everyone'], 'h2')], vectors: [vector(1, 0, 0, 0)] }]);
    const documents = await index.documents();
    expect(documents.get('leave.md')).toMatchObject({ contentHash: 'h2', chunkCount: 1 });
    expect((await index.fulltextSearch('sick note', everyone, 10)).map((hit) => hit.chunk.id)).toEqual([]);
    expect((await index.fulltextSearch('annual leave', everyone, 10))[0]!.chunk.text).toContain('30 days');

    await index.deleteDocuments(['salaries.md']);
    expect([...(await index.documents()).keys()]).toEqual(['leave.md']);
    const statistics = await index.statistics();
    expect(statistics).toMatchObject({ chunks: 1, documents: 1, embedding });
    expect(statistics.indexes.join(' ')).toContain('search_text');
    expect(statistics.bytesOnDisk).toBeGreaterThan(0);
    index.close();
  });

  it('finds Korean text through bigrams whatever particle follows the word', async () => {
    const directory = path.join(await temporaryDirectory(), 'index');
    const index = await ChunkIndex.open(directory, embedding, { create: true });
    await index.replaceDocuments([
      { documentId: 'ko.md', chunks: [chunk('ko.md', 0, '연차 휴가를 신청하려면 HR 포털을 사용합니다.')], vectors: [vector(1, 1, 0, 0)] },
      { documentId: 'other.md', chunks: [chunk('other.md', 0, '보안 수칙은 매년 갱신됩니다.')], vectors: [vector(0, 0, 1, 0)] },
    ]);
    await index.refreshIndexes();
    const hits = await index.fulltextSearch('휴가는 어떻게 신청하나요?', { principals: ['everyone'] }, 10);
    expect(hits[0]!.chunk.documentId).toBe('ko.md');
    index.close();
  });

  it('builds an approximate vector index once the table is large enough and still finds the nearest chunks', async () => {
    const directory = path.join(await temporaryDirectory(), 'index');
    const index = await ChunkIndex.open(directory, embedding, { create: true, approximateIndexThreshold: 500 });
    const documents = Array.from({ length: 600 }, (_, number) => {
      const angle = (number / 600) * Math.PI * 2;
      return { documentId: `doc-${number}`, chunks: [chunk(`doc-${number}`, 0, `Document ${number}.`)], vectors: [vector(Math.cos(angle), Math.sin(angle), 0.1, (number % 7) / 10)] };
    });
    await index.replaceDocuments(documents.slice(0, 400));
    await index.refreshIndexes();
    expect((await index.statistics()).indexes.join(' ')).not.toMatch(/vector/);
    await index.appendDocuments(documents.slice(400));
    await index.refreshIndexes();
    expect((await index.statistics()).indexes.join(' ')).toMatch(/vector/);
    const target = documents[123]!;
    const nearest = await index.vectorSearch(target.vectors[0]!, { principals: ['everyone'] }, 3);
    expect(nearest[0]!.chunk.documentId).toBe('doc-123');
    index.close();
  });

  it('lets a serving process see what another process indexes', async () => {
    const directory = path.join(await temporaryDirectory(), 'index');
    const writer = await ChunkIndex.open(directory, embedding, { create: true });
    const reader = await ChunkIndex.open(directory, embedding, { create: false, readConsistencySeconds: 0 });
    expect(await reader.countDocuments()).toBe(0);
    await writer.replaceDocuments([{ documentId: 'new.md', chunks: [chunk('new.md', 0, 'Badges are renewed every two years.')], vectors: [vector(1, 2, 3, 4)] }]);
    expect(await reader.countDocuments()).toBe(1);
    expect((await reader.fulltextSearch('badges renewed', { principals: ['everyone'] }, 5))[0]!.chunk.documentId).toBe('new.md');
    await writer.appendDocuments([{ documentId: 'later.md', chunks: [chunk('later.md', 0, 'Parking is on level B2.')], vectors: [vector(4, 3, 2, 1)] }]);
    expect((await reader.vectorSearch(vector(4, 3, 2, 1), { principals: ['everyone'] }, 1))[0]!.chunk.documentId).toBe('later.md');
    reader.close();
    writer.close();
  });

  it('refuses to mix embedding models and to open an index that does not exist', async () => {
    const directory = path.join(await temporaryDirectory(), 'index');
    await expect(ChunkIndex.open(directory, embedding, { create: false })).rejects.toMatchObject({ code: 'index_missing' });
    (await ChunkIndex.open(directory, embedding, { create: true })).close();
    await expect(ChunkIndex.open(directory, { modelId: 'other-model', dimensions: 8 }, { create: true })).rejects.toMatchObject({
      code: 'embedding_model_mismatch',
      message: expect.stringMatching(/built with test-model \(4 dimensions\).*other-model \(8 dimensions\).*--rebuild/),
    });
  });

  it('answers a read made while its first write is still creating the table, instead of failing on the half-made table', async () => {
    const index = await ChunkIndex.open(path.join(await temporaryDirectory(), 'index'), embedding, { create: true });
    const writing = index.replaceDocuments([{ documentId: 'leave.md', chunks: [chunk('leave.md', 0, 'Annual leave is 25 days per year.')], vectors: [vector(1, 0, 0, 0)] }]);
    const readsDuringCreation = await Promise.all([index.documents(), index.fulltextSearch('leave', { principals: ['everyone'] }, 5)]);
    await writing;
    expect(readsDuringCreation[0].size).toBeLessThanOrEqual(1);
    expect([...(await index.documents()).keys()]).toEqual(['leave.md']);
    index.close();
  });
});
