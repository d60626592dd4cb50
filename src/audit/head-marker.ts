import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/**
 * The last committed record's sequence and hash, rewritten in place after every commit.
 * A hash chain cannot reveal records cut from its end; comparing the log with this marker
 * can. It is written after the records are on disk and is not synced itself: after a
 * power cut it may lag behind the log, never run ahead of it.
 */
export interface HeadMarker {
  sequence: number;
  hash: string;
}

// Fixed length, so that rewriting it in place never leaves a longer old value behind.
const markerBytes = 127;

export class HeadWriter {
  private descriptor: number | undefined;

  constructor(private readonly file: string) {}

  write(marker: HeadMarker): void {
    // No truncation on open: a crash between opening and writing must not leave it empty.
    this.descriptor ??= openSync(this.file, constants.O_WRONLY | constants.O_CREAT, 0o640);
    const text = JSON.stringify(marker).padEnd(markerBytes, ' ');
    writeSync(this.descriptor, `${text}\n`, 0);
  }

  close(): void {
    if (this.descriptor !== undefined) closeSync(this.descriptor);
    this.descriptor = undefined;
  }
}

/** The marker, `undefined` when there is none, `'unreadable'` when the file holds something else. */
export async function readHead(file: string): Promise<HeadMarker | 'unreadable' | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const marker = JSON.parse(text) as HeadMarker;
    if (typeof marker.sequence === 'number' && typeof marker.hash === 'string') return marker;
  } catch {
    // fall through
  }
  return 'unreadable';
}
