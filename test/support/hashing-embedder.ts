import { createHash } from 'node:crypto';
import type { Embedder } from '../../src/core/embedder.js';

/**
 * A deterministic embedder for tests that need many vectors fast: each word adds a fixed
 * pseudo-random direction, so texts sharing words are close. Implements the real
 * interface and records every call.
 */
export class HashingEmbedder implements Embedder {
  readonly modelId = 'test-hashing-embedder';
  readonly calls: string[][] = [];

  constructor(readonly dimensions = 32) {}

  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    this.calls.push(texts);
    return texts.map((text) => this.vectorOf(text));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return this.vectorOf(text);
  }

  async dispose(): Promise<void> {}

  get embeddedTexts(): number {
    return this.calls.reduce((sum, call) => sum + call.length, 0);
  }

  private vectorOf(text: string): Float32Array {
    const vector = new Float32Array(this.dimensions);
    for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
      const digest = createHash('sha256').update(word).digest();
      for (let index = 0; index < this.dimensions; index++) vector[index]! += (digest[index % digest.length]! - 127.5) / 127.5;
    }
    const norm = Math.hypot(...vector) || 1;
    return vector.map((value) => value / norm);
  }
}
