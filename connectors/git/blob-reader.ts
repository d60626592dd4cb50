import { DocentError } from '../../src/core/errors.js';
import { completion, startGit, type GitChild, type GitRepositoryHandle } from './git-process.js';

/** Reads blobs by id through one long-lived `git cat-file --batch`, instead of a process per file. */
export interface BlobReader {
  /** The blob's bytes, or undefined when the object is missing from the repository. */
  read(objectId: string): Promise<Buffer | undefined>;
  /** Ends the git process. */
  close(): Promise<void>;
}

export function openBlobReader(repository: GitRepositoryHandle, signal: AbortSignal): BlobReader {
  let session: BatchSession | undefined;
  return {
    async read(objectId) {
      session ??= new BatchSession(repository, signal);
      try {
        return await session.read(objectId);
      } catch (error) {
        // A git that died mid-answer leaves the stream out of step: the next read starts afresh.
        const broken = session;
        session = undefined;
        await broken.close();
        throw error;
      }
    },
    async close() {
      await session?.close();
      session = undefined;
    },
  };
}

/**
 * One `cat-file --batch` process. Requests go one at a time: write `<id>\n`, then read
 * `<id> <type> <size>\n<bytes>\n` or `<id> missing\n`.
 */
class BatchSession {
  private readonly child: GitChild;
  private readonly exited: Promise<number>;
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private wake: (() => void) | undefined;
  private ended = false;

  constructor(private readonly repository: GitRepositoryHandle, signal: AbortSignal) {
    this.child = startGit(repository, ['cat-file', '--batch'], signal, 'pipe');
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      this.notify();
    });
    this.child.stderr.resume();
    this.exited = completion(this.child, repository, { signal, operation: 'reading files of', timed: false }).finally(() => {
      this.ended = true;
      this.notify();
    });
    // Surfaced by the read that is waiting, or by close(); never an unhandled rejection.
    this.exited.catch(() => undefined);
  }

  async read(objectId: string): Promise<Buffer | undefined> {
    if (!/^[0-9a-f]{40,64}$/.test(objectId)) throw new DocentError('internal', `not an object id: ${objectId}`);
    this.child.stdin!.write(`${objectId}\n`);
    const header = (await this.takeLine()).toString('utf8');
    const [, type, size] = header.split(' ');
    if (type === 'missing' || type === 'ambiguous' || size === undefined) return undefined;
    const content = await this.take(Number(size) + 1);
    return content.subarray(0, content.length - 1);
  }

  async close(): Promise<void> {
    this.child.stdin!.end();
    await this.exited.catch(() => undefined);
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private async waitForData(): Promise<void> {
    if (this.ended) {
      await this.exited;
      throw new DocentError('file_unreadable', `git stopped while reading files of ${this.repository.label}`);
    }
    await new Promise<void>((resolve) => (this.wake = resolve));
  }

  private async takeLine(): Promise<Buffer> {
    for (;;) {
      const joined = this.joinBuffered();
      const end = joined.indexOf(0x0a);
      if (end >= 0) return this.consume(end + 1).subarray(0, end);
      await this.waitForData();
    }
  }

  private async take(length: number): Promise<Buffer> {
    while (this.buffered < length) await this.waitForData();
    return this.consume(length);
  }

  private joinBuffered(): Buffer {
    if (this.chunks.length > 1) {
      const joined = Buffer.concat(this.chunks);
      this.chunks.length = 0;
      this.chunks.push(joined);
    }
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private consume(length: number): Buffer {
    const joined = this.joinBuffered();
    const taken = joined.subarray(0, length);
    const rest = joined.subarray(length);
    this.chunks.length = 0;
    if (rest.length > 0) this.chunks.push(rest);
    this.buffered = rest.length;
    return Buffer.from(taken);
  }
}
