import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { readMarkerFile } from './json-marker-file.js';

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
export function readHead(file: string): Promise<HeadMarker | 'unreadable' | undefined> {
  return readMarkerFile<HeadMarker>(file, (marker) => typeof marker.sequence === 'number' && typeof marker.hash === 'string');
}
