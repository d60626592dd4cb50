import { describe, expect, it } from 'vitest';
import type { Embedder } from '../core/embedder.js';
import { CachingEmbedder } from './caching-embedder.js';

/** Vectors that name their text's length and the kind of call, with every call recorded. */
class CountingEmbedder implements Embedder {
  readonly modelId = 'counting@1';
  readonly dimensions = 2;
  readonly languages = ['en'] as const;
  readonly documentCalls: string[][] = [];
  readonly queryCalls: string[] = [];
  failNext = false;

  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    this.documentCalls.push(texts);
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (this.failNext) {
      this.failNext = false;
      throw new Error('model crashed');
    }
    return texts.map((text) => Float32Array.of(text.length, 0));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    this.queryCalls.push(text);
    return Float32Array.of(text.length, 1);
  }

  async dispose(): Promise<void> {}
}

describe('CachingEmbedder', () => {
  it('embeds each new text once, in one batch, and returns vectors in the order asked', async () => {
    const inner = new CountingEmbedder();
    const embedder = new CachingEmbedder(inner);
    const first = await embedder.embedDocuments(['a', 'bb', 'a']);
    expect(first.map((vector) => vector[0])).toEqual([1, 2, 1]);
    const second = await embedder.embedDocuments(['ccc', 'bb']);
    expect(second.map((vector) => vector[0])).toEqual([3, 2]);
    expect(inner.documentCalls).toEqual([['a', 'bb'], ['ccc']]);
    expect(embedder.size).toBe(3);
  });

  it('embeds a text asked for by two callers at once only once', async () => {
    const inner = new CountingEmbedder();
    const embedder = new CachingEmbedder(inner);
    const [one, two] = await Promise.all([embedder.embedDocuments(['shared', 'x']), embedder.embedDocuments(['shared', 'yy'])]);
    expect(one[0]).toBe(two[0]);
    expect(inner.documentCalls).toEqual([['shared', 'x'], ['yy']]);
  });

  it('keeps queries and passages apart, as some models encode them differently', async () => {
    const inner = new CountingEmbedder();
    const embedder = new CachingEmbedder(inner);
    const query = await embedder.embedQuery('same');
    const [passage] = await embedder.embedDocuments(['same']);
    expect(query[1]).toBe(1);
    expect(passage![1]).toBe(0);
    await embedder.embedQuery('same');
    expect(inner.queryCalls).toEqual(['same']);
  });

  it('does not remember a failure: every waiting caller sees it and the next request tries again', async () => {
    const inner = new CountingEmbedder();
    const embedder = new CachingEmbedder(inner);
    inner.failNext = true;
    const results = await Promise.allSettled([embedder.embedDocuments(['a']), embedder.embedDocuments(['a'])]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect((await embedder.embedDocuments(['a']))[0]![0]).toBe(1);
    expect(inner.documentCalls).toEqual([['a'], ['a']]);
  });

  it('forgets the least recently used vectors beyond its memory bound', async () => {
    const inner = new CountingEmbedder();
    // Each entry costs 8 bytes of vector and 2 per key character ("document\0" + 1): 28 bytes; room for two.
    const embedder = new CachingEmbedder(inner, { maxBytes: 60 });
    await embedder.embedDocuments(['a', 'b']);
    await embedder.embedDocuments(['a']);
    await embedder.embedDocuments(['c']);
    expect(embedder.size).toBe(2);
    await embedder.embedDocuments(['a']);
    await embedder.embedDocuments(['b']);
    expect(inner.documentCalls).toEqual([['a', 'b'], ['c'], ['b']]);
  });

  it('describes the inner model', () => {
    const embedder = new CachingEmbedder(new CountingEmbedder());
    expect([embedder.modelId, embedder.dimensions, embedder.languages]).toEqual(['counting@1', 2, ['en']]);
  });
});
