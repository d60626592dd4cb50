import { access } from 'node:fs/promises';
import type { AuditRecord } from './audit-record.js';
import { auditPaths } from './audit-paths.js';
import { readStoredLines } from './read-lines.js';
import { listSegments } from './segment-files.js';

export interface StoredRecord {
  record: AuditRecord;
  /** The stored line, without its newline: exports hand it on verbatim so its hash still checks. */
  line: string;
  /** `held.jsonl` or the segment file's name. */
  file: string;
  lineNumber: number;
}

export interface ReadOptions {
  /** Called for a complete line that is not JSON; such lines are skipped (`verify` says why). */
  onUnreadable?: (file: string, lineNumber: number) => void;
  /** Segment files to read; all when absent (search narrows them by day). */
  includeSegment?: (day: string) => boolean;
  /** Only records from this sequence number on; files wholly before it are not read. */
  fromSequence?: number;
  /** Cheap test on a line's bytes before it is parsed: lines it rejects are skipped unparsed. */
  prefilter?: (line: Buffer) => boolean;
}

/**
 * Every record, oldest first: first the legal-hold copies of records whose files
 * retention removed, then the segment files. Reads without checking hashes, for search
 * and export; `verify` is the check. An incomplete last line (a write in progress or a
 * crash not yet repaired) is not a record and is skipped.
 */
export async function* readRecords(directory: string, options: ReadOptions = {}): AsyncGenerator<StoredRecord> {
  const paths = auditPaths(directory);
  const heldSequences = new Set<number>();
  if (await exists(paths.held)) {
    for await (const stored of readFile(paths.held, 'held.jsonl', options)) {
      if (stored.record.sequence < (options.fromSequence ?? 0)) continue;
      heldSequences.add(stored.record.sequence);
      yield stored;
    }
  }
  const { segments } = await listSegments(directory);
  const fromSequence = options.fromSequence ?? 0;
  for (const [index, segment] of segments.entries()) {
    if (options.includeSegment && !options.includeSegment(segment.day)) continue;
    const next = segments[index + 1];
    if (next && next.firstSequence <= fromSequence) continue;
    for await (const stored of readFile(segment.path, segment.name, options)) {
      // A held copy and its original coexist only while retention is being finished.
      if (stored.record.sequence >= fromSequence && !heldSequences.has(stored.record.sequence)) yield stored;
    }
  }
}

async function* readFile(file: string, name: string, options: ReadOptions): AsyncGenerator<StoredRecord> {
  for await (const { bytes, lineNumber, complete } of readStoredLines(file)) {
    if (!complete || (options.prefilter && !options.prefilter(bytes))) continue;
    const line = bytes.toString('utf8');
    let record: AuditRecord;
    try {
      record = JSON.parse(line) as AuditRecord;
    } catch {
      options.onUnreadable?.(name, lineNumber);
      continue;
    }
    yield { record, line, file: name, lineNumber };
  }
}

/** Finds one record by id, newest files first, matching raw bytes before parsing anything. */
export async function findRecordById(directory: string, id: string): Promise<AuditRecord | undefined> {
  const paths = auditPaths(directory);
  const needle = Buffer.from(`"id":${JSON.stringify(id)}`);
  const { segments } = await listSegments(directory);
  const files = segments.map((segment) => segment.path).reverse();
  if (await exists(paths.held)) files.push(paths.held);
  for (const file of files) {
    for await (const { bytes, complete } of readStoredLines(file)) {
      if (!complete || bytes.indexOf(needle) < 0) continue;
      try {
        const record = JSON.parse(bytes.toString('utf8')) as AuditRecord;
        // The same text also appears in retention records that list held records.
        if (record.id === id) return record;
      } catch {
        // not a record; verify reports it
      }
    }
  }
  return undefined;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
