import type { ParsedDocument } from '../../core/document.js';
import { DocentError } from '../../core/errors.js';
import { WorkerPool, siblingScript } from '../../models/worker-pool.js';
import type { ParseInput } from './parse-document.js';

export interface ParserPoolOptions {
  /** Parser threads; two keep one slow file from holding up the rest. */
  threads?: number;
  /** Hard limit per file, past the parsers' own limit; the stuck thread is replaced. */
  timeoutMs?: number;
}

/**
 * Parses documents on worker threads. The main thread stays free for the indexing run,
 * and a file that sends a parser into an endless synchronous loop costs one thread for
 * `timeoutMs`, then a clear `file_corrupt` failure, instead of hanging the run.
 */
export class ParserPool {
  private readonly pool: WorkerPool<ParsedDocument>;
  private readonly timeoutMs: number;

  constructor(options: ParserPoolOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 90_000;
    this.pool = new WorkerPool(siblingScript(import.meta.url, 'parse-worker'), { size: options.threads ?? 2, errorCode: 'file_corrupt' });
  }

  parse(input: ParseInput): Promise<ParsedDocument> {
    return this.pool.run(input, {
      timeoutMs: this.timeoutMs,
      onTimeout: () => new DocentError('file_corrupt', `parsing took longer than ${Math.round(this.timeoutMs / 1000)} s and was stopped; the file is probably malformed`),
    });
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
