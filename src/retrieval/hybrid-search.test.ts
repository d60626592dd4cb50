import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Chunk } from '../core/chunk.js';
import { ChunkIndex } from '../../indexes/chunk-index.js';
import { HashingEmbedder } from '../../test/support/hashing-embedder.js';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { embedderUnderstands } from '../models/embedder-languages.js';
import { Retriever } from './hybrid-search.js';

function chunk(documentId: string, text: string, access: string[], sourceId = 'handbook'): Chunk {
  return { id: `${documentId}#0`, documentId, sourceId, ordinal: 0, title: documentId, uri: `/${documentId}`, headingPath: [], location: {}, startOffset: 0, endOffset: text.length, text, tokenCount: 10, access, contentHash: 'h' };
}

/** The hashing embedder, declared English-only like the bundled model, counting query embeddings. */
class EnglishOnlyEmbedder extends HashingEmbedder {
  readonly languages = ['en'];
  queries = 0;
  override async embedQuery(text: string): Promise<Float32Array> {
    this.queries++;
    return super.embedQuery(text);
  }
}

describe('Retriever', () => {
  it('fuses both sides, filters by principals and sources inside the index, and skips vectors for unreadable languages', async () => {
    const embedder = new EnglishOnlyEmbedder();
    const index = await ChunkIndex.open(path.join(await temporaryDirectory(), 'index'), embedder, { create: true });
    const chunks = [
      chunk('leave', 'Annual leave is twenty five days for every employee.', ['everyone']),
      chunk('salaries', 'Executive salaries and annual leave for directors.', ['group:hr']),
      chunk('wiki-leave', 'Annual leave calendar for the engineering wiki.', ['everyone'], 'wiki'),
      chunk('korean', '연차 휴가는 매년 15일입니다.', ['everyone']),
    ];
    await index.replaceDocuments(await Promise.all(chunks.map(async (entry) => ({ documentId: entry.documentId, chunks: [entry], vectors: await embedder.embedDocuments([entry.text]) }))));
    await index.refreshIndexes();
    const retriever = new Retriever(index, embedder, { candidates: 20, vectorWeight: 0.3 });

    const employee = await retriever.search({ query: 'annual leave', limit: 5, principals: ['user:ann'] });
    expect(employee.map((hit) => hit.chunk.documentId)).not.toContain('salaries');
    expect(employee[0]!.fulltextScore).toBeGreaterThan(0);
    expect(employee[0]!.vectorScore).toBeDefined();
    const hr = await retriever.search({ query: 'annual leave', limit: 5, principals: ['group:hr'] });
    expect(hr.map((hit) => hit.chunk.documentId)).toContain('salaries');
    const wikiOnly = await retriever.search({ query: 'annual leave', limit: 5, principals: [], sourceIds: ['wiki'] });
    expect(wikiOnly.map((hit) => hit.chunk.documentId)).toEqual(['wiki-leave']);

    const before = embedder.queries;
    const korean = await retriever.search({ query: '연차 휴가는 며칠인가요?', limit: 3, principals: [] });
    expect(korean[0]!.chunk.documentId).toBe('korean');
    expect(embedder.queries).toBe(before);
    expect(retriever.vectorWeightFor('연차 휴가')).toBe(0);
    expect(retriever.vectorWeightFor('annual leave')).toBe(0.3);
    index.close();
  });
});

describe('embedderUnderstands', () => {
  it('trusts multilingual models and keeps English-only ones to Latin-script text', () => {
    expect(embedderUnderstands({ languages: ['en'] }, 'How many days of leave?')).toBe(true);
    expect(embedderUnderstands({ languages: ['en'] }, '연차 휴가는 며칠인가요?')).toBe(false);
    expect(embedderUnderstands({ languages: undefined }, '연차 휴가는 며칠인가요?')).toBe(true);
    expect(embedderUnderstands({ languages: ['en', 'ko'] }, '연차 휴가는 며칠인가요?')).toBe(true);
  });
});
