import { readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * The log is a series of JSON Lines segment files in `<audit directory>/segments`, one
 * per UTC day and at most a set number of records each, so that retention removes whole
 * files. A file's name is the sequence number of its first record and its day:
 * `000000000001-2026-11-25.jsonl`; sorting by that number gives the log's order.
 */
export interface SegmentFile {
  name: string;
  path: string;
  firstSequence: number;
  /** UTC day (YYYY-MM-DD) every record in the file was written on. */
  day: string;
}

const segmentNamePattern = /^(\d{12})-(\d{4}-\d{2}-\d{2})\.jsonl$/;

export function segmentsDirectoryOf(auditDirectory: string): string {
  return path.join(auditDirectory, 'segments');
}

export function segmentName(firstSequence: number, day: string): string {
  return `${String(firstSequence).padStart(12, '0')}-${day}.jsonl`;
}

export function parseSegmentName(name: string): { firstSequence: number; day: string } | undefined {
  const match = segmentNamePattern.exec(name);
  return match ? { firstSequence: Number(match[1]), day: match[2]! } : undefined;
}

/** UTC day of an ISO time: what decides which file a record goes to. */
export function dayOf(time: string): string {
  return time.slice(0, 10);
}

export interface SegmentListing {
  segments: SegmentFile[];
  /** Files in the segments folder that are not segments: reported by verify, never read. */
  strangers: string[];
}

export async function listSegments(auditDirectory: string): Promise<SegmentListing> {
  const directory = segmentsDirectoryOf(auditDirectory);
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { segments: [], strangers: [] };
    throw error;
  }
  const segments: SegmentFile[] = [];
  const strangers: string[] = [];
  for (const name of names) {
    const parsed = parseSegmentName(name);
    if (parsed) segments.push({ name, path: path.join(directory, name), ...parsed });
    else strangers.push(name);
  }
  segments.sort((a, b) => a.firstSequence - b.firstSequence);
  return { segments, strangers: strangers.sort() };
}
