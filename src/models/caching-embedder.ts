import { LRUCache } from 'lru-cache';
import type { Embedder } from '../core/embedder.js';

export interface CachingEmbedderOptions {
  /** Memory the remembered vectors may take, in bytes, above 0 (default 32 MiB: 16,000 vectors of 512 dimensions). */
  maxBytes?: number;
}

const defaultMaxBytes = 32 * 1024 * 1024;

/**
 * Remembers the vectors of texts it has embedded recently, for the question side of the
 * engine: answering a question embeds the question twice (for retrieval and for choosing
 * sentences) and every sentence of the top passages, and on a CPU those sentences cost
 * ten times the rest of the answer. Questions about the same topics retrieve the same
 * passages, so their sentences are embedded once; the same text asked for by two
 * questions at once is embedded once too. Embedding is deterministic (a text's vector does
 * not depend on the batch around it), so a remembered vector is the vector.
 *
 * Vectors are shared between callers and must not be modified. Indexing uses the inner
 * embedder directly: document chunks are embedded once and would only push out sentences.
 * `dispose()` forgets the vectors; the inner embedder belongs to whoever made it.
 */
export class CachingEmbedder implements Embedder {
  private readonly vectors: LRUCache<string, Float32Array>;
  /** Vectors being computed, by key, so that a concurrent request for the same text waits for them. */
  private readonly pending = new Map<string, Promise<Float32Array>>();

  constructor(
    private readonly inner: Embedder,
    options: CachingEmbedderOptions = {},
  ) {
    this.vectors = new LRUCache({ maxSize: options.maxBytes ?? defaultMaxBytes, sizeCalculation: (vector, key) => vector.byteLength + key.length * 2 });
  }

  get modelId(): string {
    return this.inner.modelId;
  }

  get dimensions(): number {
    return this.inner.dimensions;
  }

  get languages(): readonly string[] | undefined {
    return this.inner.languages;
  }

  /** Vectors remembered now (for tests and diagnostics). */
  get size(): number {
    return this.vectors.size;
  }

  embedQuery(text: string): Promise<Float32Array> {
    // Queries and passages are kept apart: some models encode them differently.
    const key = `query\u0000${text}`;
    const known = this.known(key);
    if (known) return known;
    return this.track(key, this.inner.embedQuery(text));
  }

  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    const keys = texts.map((text) => `document\u0000${text}`);
    const missing = new Map<string, string>();
    keys.forEach((key, index) => {
      if (!this.known(key) && !missing.has(key)) missing.set(key, texts[index]!);
    });
    if (missing.size > 0) {
      // One batch for everything new keeps the inner embedder's batching.
      const batch = this.inner.embedDocuments([...missing.values()]);
      [...missing.keys()].forEach((key, index) => void this.track(key, batch.then((vectors) => vectors[index]!)));
    }
    return Promise.all(keys.map((key) => this.known(key)!));
  }

  async dispose(): Promise<void> {
    this.vectors.clear();
  }

  private known(key: string): Promise<Float32Array> | undefined {
    const vector = this.vectors.get(key);
    return vector ? Promise.resolve(vector) : this.pending.get(key);
  }

  private track(key: string, computing: Promise<Float32Array>): Promise<Float32Array> {
    this.pending.set(key, computing);
    // A failure is not remembered: the next request tries again. Callers see it through `computing`.
    computing.then(
      (vector) => this.vectors.set(key, vector),
      () => undefined,
    ).finally(() => this.pending.delete(key));
    return computing;
  }
}
