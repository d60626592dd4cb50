import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Chunk } from '../core/chunk.js';
import { seededRandom } from '../core/seeded-random.js';
import { ChunkIndex } from '../../indexes/chunk-index.js';
import { HashingEmbedder } from '../../test/support/hashing-embedder.js';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { calibrateFusion, syntheticQuery } from './calibrate-fusion.js';

const topics = ['badge', 'laptop', 'vacation', 'expense', 'password', 'printer', 'parking', 'travel', 'payroll', 'onboarding'];

function chunk(number: number): Chunk {
  const topic = topics[number % topics.length]!;
  const text = `The ${topic} rule number ${number} says every request for a ${topic} goes through the service desk within ${number} days. Managers approve ${topic} exceptions in writing before the deadline ${number}.`;
  return { id: `d${number}#0`, documentId: `d${number}`, sourceId: 's', ordinal: 0, title: `${topic} ${number}`, uri: `/d${number}`, headingPath: [], location: {}, startOffset: 0, endOffset: text.length, text, tokenCount: 40, access: ['everyone'], contentHash: `h${number}` };
}

describe('syntheticQuery', () => {
  it('keeps a share of one sentence\'s words, in order, never fewer than three', () => {
    const query = syntheticQuery(chunk(3), seededRandom(1), 0.8)!;
    const words = query.split(' ');
    expect(words.length).toBeGreaterThanOrEqual(3);
    expect(chunk(3).text).toContain(words[0]!);
    expect(syntheticQuery({ ...chunk(3), text: 'Too short.' }, seededRandom(1), 0.8)).toBeUndefined();
  });
});

describe('calibrateFusion', () => {
  it('chooses a weight from synthetic queries, reproducibly', async () => {
    const embedder = new HashingEmbedder();
    const index = await ChunkIndex.open(path.join(await temporaryDirectory(), 'index'), embedder, { create: true });
    const chunks = Array.from({ length: 60 }, (_, number) => chunk(number));
    await index.replaceDocuments(await Promise.all(chunks.map(async (entry) => ({ documentId: entry.documentId, chunks: [entry], vectors: await embedder.embedDocuments([entry.text]) }))));
    await index.refreshIndexes();
    const first = await calibrateFusion(index, embedder, { queries: 90 });
    const second = await calibrateFusion(index, embedder, { queries: 90 });
    expect(first.queries).toBe(90);
    expect(first.vectorWeight).toBeGreaterThanOrEqual(0);
    expect(first.vectorWeight).toBeLessThanOrEqual(1);
    expect(Object.keys(first.scores)).toHaveLength(21);
    expect(second.vectorWeight).toBe(first.vectorWeight);
    expect(first.chunkCount).toBe(60);
    const tooFew = await calibrateFusion(index, embedder, { queries: 10 });
    expect(tooFew).toMatchObject({ queries: 10, vectorWeight: 0.25, scores: {} });
    index.close();
  });
});
