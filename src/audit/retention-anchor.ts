import { readFile } from 'node:fs/promises';

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

export async function readAnchor(file: string): Promise<RetentionAnchor | 'unreadable' | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const anchor = JSON.parse(text) as RetentionAnchor;
    if ([anchor.firstSequence, anchor.retentionSequence].every((value) => Number.isInteger(value)) && typeof anchor.previousHash === 'string' && typeof anchor.retentionHash === 'string') return anchor;
  } catch {
    // fall through
  }
  return 'unreadable';
}
