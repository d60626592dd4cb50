import { readRecords, type StoredRecord } from './record-reader.js';
import { matchesFilter, type RecordFilter } from './record-filter.js';
import { dayOf } from './segment-files.js';

export interface SearchResult {
  /** The newest `limit` matches, oldest first. */
  records: StoredRecord[];
  /** All matches, including those beyond the limit. */
  matched: number;
  /** Lines that were not JSON; `docent audit verify` tells what happened to them. */
  unreadable: number;
}

/** Reads only the segment files whose day can hold matches. */
export function segmentDaysFor(filter: RecordFilter): ((day: string) => boolean) | undefined {
  if (!filter.from && !filter.to) return undefined;
  const first = filter.from ? dayOf(filter.from.toISOString()) : '0000-00-00';
  const last = filter.to ? dayOf(filter.to.toISOString()) : '9999-99-99';
  return (day) => day >= first && day <= last;
}

export async function searchRecords(directory: string, filter: RecordFilter, limit = Number.POSITIVE_INFINITY): Promise<SearchResult> {
  const records: StoredRecord[] = [];
  let matched = 0;
  let unreadable = 0;
  const includeSegment = segmentDaysFor(filter);
  const options: Parameters<typeof readRecords>[1] = { onUnreadable: () => unreadable++ };
  if (includeSegment) options.includeSegment = includeSegment;
  for await (const stored of readRecords(directory, options)) {
    if (!matchesFilter(stored.record, filter)) continue;
    matched++;
    records.push(stored);
    if (records.length > limit) records.shift();
  }
  return { records, matched, unreadable };
}
