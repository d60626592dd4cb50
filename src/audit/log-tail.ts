import type { FileHandle } from 'node:fs/promises';

export interface FileTail {
  size: number;
  /** Offset just past the last newline: where the next record goes once an incomplete line is cut off. */
  completeLength: number;
  /** The last complete line, without its newline; absent when the file has none. */
  lastLine?: Buffer;
  /** Byte offset of `lastLine`. */
  lastLineOffset?: number;
}

/** Reads a segment's end backwards: the writer needs only the last record, not the whole file. */
export async function readTail(handle: FileHandle): Promise<FileTail> {
  const { size } = await handle.stat();
  let window = 64 * 1024;
  for (;;) {
    const start = Math.max(0, size - window);
    const buffer = Buffer.alloc(size - start);
    await readFully(handle, buffer, start);
    const lastNewline = buffer.lastIndexOf(10);
    if (lastNewline < 0) {
      if (start === 0) return { size, completeLength: 0 };
      window *= 4;
      continue;
    }
    const completeLength = start + lastNewline + 1;
    const previousNewline = lastNewline === 0 ? -1 : buffer.lastIndexOf(10, lastNewline - 1);
    if (previousNewline < 0 && start > 0) {
      window *= 4;
      continue;
    }
    const lineStart = previousNewline + 1;
    return { size, completeLength, lastLine: buffer.subarray(lineStart, lastNewline), lastLineOffset: start + lineStart };
  }
}

export async function readFully(handle: FileHandle, buffer: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buffer.length) {
    const { bytesRead } = await handle.read(buffer, done, buffer.length - done, position + done);
    if (bytesRead === 0) throw new Error(`file ended at byte ${position + done}, expected ${position + buffer.length}`);
    done += bytesRead;
  }
}
