import { readMarkerFile } from './json-marker-file.js';

/**
 * Where the chain starts once retention has removed its oldest records: the first kept
 * sequence number and the hash it must name as its previous one. Written after the
 * retention record and before any file is removed; `verify` checks it against that
 * record, so editing it to hide further removals shows.
 */
export interface RetentionAnchor {
  firstSequence: number;
  previousHash: string;
  /** The retention record that removed the records before `firstSequence`. */
  retentionSequence: number;
  retentionHash: string;
}

export function readAnchor(file: string): Promise<RetentionAnchor | 'unreadable' | undefined> {
  return readMarkerFile<RetentionAnchor>(file, (anchor) => [anchor.firstSequence, anchor.retentionSequence].every((value) => Number.isInteger(value)) && typeof anchor.previousHash === 'string' && typeof anchor.retentionHash === 'string');
}
