import { access, unlink } from 'node:fs/promises';
import { DocentError } from '../core/errors.js';
import type { AuditLog } from './audit-log.js';
import type { AuditRecord, RetentionContent } from './audit-record.js';
import { syncDirectory, writeFileDurably } from './durable-files.js';
import { collectHolds } from './legal-holds.js';
import { readStoredLines } from './read-lines.js';
import { readAnchor, type RetentionAnchor } from './retention-anchor.js';
import { listSegments, type SegmentFile } from './segment-files.js';
import { verifyLog } from './verify-log.js';

const dayMs = 24 * 60 * 60 * 1000;

export interface RetentionOptions {
  olderThanDays: number;
  /** Who asked, for the retention record. */
  actor: string;
  now?: Date;
  /** Only report what would be removed. */
  dryRun?: boolean;
}

export interface RetentionResult {
  cutoff: string;
  removedRecords: number;
  removedFiles: string[];
  /** Records kept because they are under legal hold (copied to held.jsonl). */
  keptHeld: number;
  fromSequence?: number;
  throughSequence?: number;
  /** The retention record; absent on a dry run or when nothing was old enough. */
  record?: AuditRecord;
  dryRun: boolean;
}

interface StoredLine {
  sequence: number;
  id: string;
  hash: string;
  line: string;
}

/**
 * Removes records older than the cutoff, a whole segment file (one UTC day) at a time,
 * from the start of the log; the file being written is never removed. Records under legal
 * hold are copied verbatim to held.jsonl first. A retention record (the hash of the last
 * removed record, the count, the files, the held records) and the anchor it justifies are
 * written before any file goes, so `verify` still passes afterwards and shows what was
 * removed, and a crash halfway leaves a log that verifies and a run that can be repeated.
 * Refuses to run on a log that does not verify: retention must not destroy evidence of
 * tampering. The log is locked only for the removal itself, not while it is read.
 */
export async function applyRetention(log: AuditLog, options: RetentionOptions): Promise<RetentionResult> {
  if (!Number.isInteger(options.olderThanDays) || options.olderThanDays < 1) throw new DocentError('invalid_request', `retention needs a whole number of days of at least 1, not ${options.olderThanDays}`);
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.olderThanDays * dayMs);
  const directory = log.paths.directory;
  // The slow reads happen before taking the lock, so that a running server keeps answering meanwhile.
  const report = await verifyLog(directory);
  if (!report.ok) throw new DocentError('audit_corrupt', `retention refused: the audit log does not verify: ${report.problem!.message}`);
  const scanned = await collectHolds(directory);
  return log.withLock(async () => {
    const anchor = await readAnchor(log.paths.anchor);
    const { segments } = await listSegments(directory);
    const candidates = segmentsOlderThan(segments, cutoff);
    // Files a crashed run already accounted for (before the anchor) go without a new record.
    const leftovers = anchor && anchor !== 'unreadable' ? candidates.filter((_segment, index) => segments[index + 1]!.firstSequence <= anchor.firstSequence) : [];
    const removable = candidates.slice(leftovers.length);
    const result: RetentionResult = { cutoff: cutoff.toISOString(), removedRecords: 0, removedFiles: [], keptHeld: 0, dryRun: options.dryRun ?? false };
    if (!options.dryRun) await removeFiles(log, leftovers);
    if (removable.length === 0) return result;

    // Holds placed or released while the log was being read.
    const { holds } = await collectHolds(directory, scanned);
    const held = new Map<number, StoredLine>();
    for await (const copy of storedLines(log.paths.held)) {
      if (holds.has(copy.id)) held.set(copy.sequence, copy);
    }
    let first: StoredLine | undefined;
    let last: StoredLine | undefined;
    for (const segment of removable) {
      for await (const line of storedLines(segment.path)) {
        first ??= line;
        last = line;
        result.removedRecords++;
        if (holds.has(line.id)) {
          held.set(line.sequence, line);
          result.keptHeld++;
        }
      }
    }
    result.removedFiles = removable.map((segment) => segment.name);
    if (!first || !last) return result;
    result.fromSequence = first.sequence;
    result.throughSequence = last.sequence;
    if (options.dryRun) return result;

    const copies = [...held.values()].sort((a, b) => a.sequence - b.sequence);
    await writeFileDurably(log.paths.held, copies.map((copy) => `${copy.line}\n`).join(''));
    const content: RetentionContent = {
      type: 'retention',
      actor: options.actor,
      olderThanDays: options.olderThanDays,
      cutoff: result.cutoff,
      fromSequence: first.sequence,
      throughSequence: last.sequence,
      removedRecords: result.removedRecords - result.keptHeld,
      lastRemovedHash: last.hash,
      removedFiles: result.removedFiles,
      keptHeld: copies.map(({ sequence, id, hash }) => ({ sequence, id, hash })),
      activeHolds: [...holds.values()],
    };
    result.removedRecords = content.removedRecords;
    const record = await log.append(content);
    result.record = record;
    const newAnchor: RetentionAnchor = { firstSequence: last.sequence + 1, previousHash: last.hash, retentionSequence: record.sequence, retentionHash: record.hash };
    await writeFileDurably(log.paths.anchor, `${JSON.stringify(newAnchor)}\n`);
    await removeFiles(log, removable);
    return result;
  });
}

/** The oldest files whose whole day ended before the cutoff, never the last (the one being written). */
function segmentsOlderThan(segments: SegmentFile[], cutoff: Date): SegmentFile[] {
  const old: SegmentFile[] = [];
  for (const segment of segments.slice(0, -1)) {
    const dayEnds = Date.parse(`${segment.day}T00:00:00.000Z`) + dayMs;
    if (dayEnds > cutoff.getTime()) break;
    old.push(segment);
  }
  return old;
}

async function removeFiles(log: AuditLog, segments: SegmentFile[]): Promise<void> {
  if (segments.length === 0) return;
  for (const segment of segments) await unlink(segment.path);
  await syncDirectory(log.paths.segments);
}

async function* storedLines(file: string): AsyncGenerator<StoredLine> {
  if (!(await access(file).then(() => true, () => false))) return;
  for await (const stored of readStoredLines(file)) {
    if (!stored.complete) continue;
    const line = stored.bytes.toString('utf8');
    const record = JSON.parse(line) as AuditRecord;
    yield { sequence: record.sequence, id: record.id, hash: record.hash, line };
  }
}
