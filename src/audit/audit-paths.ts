import path from 'node:path';
import { segmentsDirectoryOf } from './segment-files.js';

/** Where each part of the audit log lives inside `<dataDir>/audit`. */
export interface AuditPaths {
  directory: string;
  /** Segment files: the records, one JSON line each. */
  segments: string;
  /** The last committed record's sequence and hash: reveals records cut from the end. */
  head: string;
  /** Where the chain starts after retention removed the oldest records. */
  anchor: string;
  /** Records under legal hold whose segment files retention removed, kept verbatim. */
  held: string;
  /** Held by the process appending; see log-lock.ts. */
  lock: string;
}

export function auditPaths(directory: string): AuditPaths {
  return {
    directory,
    segments: segmentsDirectoryOf(directory),
    head: path.join(directory, 'head.json'),
    anchor: path.join(directory, 'anchor.json'),
    held: path.join(directory, 'held.jsonl'),
    lock: path.join(directory, 'lock'),
  };
}

export function auditDirectoryOf(config: { dataDir: string }): string {
  return path.join(path.resolve(config.dataDir), 'audit');
}
