import { open } from 'node:fs/promises';

export interface StoredLine {
  /** The line's bytes without its newline; valid until the next line is taken. */
  bytes: Buffer;
  /** 1-based line number in the file. */
  lineNumber: number;
  /** Byte offset of the line's first byte. */
  offset: number;
  /** False for a last line with no newline after it: a write that did not finish. */
  complete: boolean;
}

const chunkBytes = 4 * 1024 * 1024;

/**
 * Reads a JSON Lines file line by line in large chunks, as bytes: hashing the stored
 * bytes directly is what makes verification fast, and byte offsets locate torn lines.
 */
export async function* readStoredLines(file: string): AsyncGenerator<StoredLine> {
  const handle = await open(file, 'r');
  try {
    let carry = Buffer.alloc(0);
    let carryOffset = 0;
    let lineNumber = 0;
    let position = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(chunkBytes);
      const { bytesRead } = await handle.read(chunk, 0, chunkBytes, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      let start = 0;
      for (;;) {
        const newline = data.indexOf(10, start);
        if (newline < 0) break;
        lineNumber++;
        yield { bytes: data.subarray(start, newline), lineNumber, offset: carryOffset + start, complete: true };
        start = newline + 1;
      }
      carryOffset += start;
      carry = Buffer.from(data.subarray(start));
    }
    if (carry.length > 0) yield { bytes: carry, lineNumber: lineNumber + 1, offset: carryOffset, complete: false };
  } finally {
    await handle.close();
  }
}
