import type { AuditRecord } from './audit-record.js';
import { readRecords } from './record-reader.js';
import { matchesFilter, type RecordFilter } from './record-filter.js';
import { segmentDaysFor } from './search-records.js';

export type ExportFormat = 'csv' | 'jsonl';

export const csvColumns = [
  'sequence', 'id', 'time', 'type', 'platform', 'channel', 'thread', 'visibility', 'asker', 'principals',
  'question', 'query', 'answer', 'generator', 'prompt_version', 'not_found', 'notice', 'failure', 'latency_ms',
  'retrieved', 'cited', 'answer_id', 'rating', 'comment', 'actor', 'action', 'details', 'redactions', 'previous_hash', 'hash',
] as const;

type CsvRow = Partial<Record<(typeof csvColumns)[number], string | number | boolean | undefined>>;

/** One row per record, every type in the same columns; lists are `; `-separated. */
export function csvRowOf(record: AuditRecord): CsvRow {
  const row: CsvRow = { sequence: record.sequence, id: record.id, time: record.time, type: record.type, previous_hash: record.previousHash, hash: record.hash };
  switch (record.type) {
    case 'answer':
      Object.assign(row, {
        platform: record.platform,
        channel: record.channelId,
        thread: record.threadId,
        visibility: record.visibility,
        asker: record.asker.id,
        principals: record.asker.principals.join('; '),
        question: record.question,
        query: record.query,
        answer: record.answer,
        generator: record.generator,
        prompt_version: record.promptVersion,
        not_found: record.notFound,
        notice: record.notice,
        failure: record.failure ? `${record.failure.code}: ${record.failure.message}` : undefined,
        latency_ms: record.latencyMs,
        retrieved: record.retrieved.map((passage) => `${passage.chunkId} ${passage.contentHash ?? ''}`.trim()).join('; '),
        cited: record.cited.map((passage) => `[${passage.number}] ${passage.chunkId} ${passage.contentHash ?? ''}`.trim()).join('; '),
        redactions: record.redactions.map(({ field, kind, count }) => `${field}: ${kind} × ${count}`).join('; '),
      });
      break;
    case 'feedback':
      Object.assign(row, {
        platform: record.platform,
        asker: record.asker.id,
        principals: record.asker.principals.join('; '),
        answer_id: record.answerId,
        rating: record.rating,
        comment: record.comment,
        redactions: record.redactions.map(({ field, kind, count }) => `${field}: ${kind} × ${count}`).join('; '),
      });
      break;
    case 'admin':
      Object.assign(row, { actor: record.actor, action: record.action, details: JSON.stringify(record.details) });
      break;
    case 'repair': {
      const { type: _type, sequence: _sequence, id: _id, time: _time, previousHash: _previous, hash: _hash, ...details } = record;
      Object.assign(row, { action: 'audit.repair', details: JSON.stringify(details) });
      break;
    }
    case 'retention': {
      const { type: _type, sequence: _sequence, id: _id, time: _time, previousHash: _previous, hash: _hash, actor, ...details } = record;
      Object.assign(row, { actor, action: 'audit.retention', details: JSON.stringify(details) });
      break;
    }
  }
  return row;
}

/**
 * RFC 4180 quoting. Text that a spreadsheet would run as a formula (a question starting
 * with "=", "+", "-" or "@") gets a leading apostrophe: exports are opened in Excel, and
 * the JSON Lines export is the byte-exact one.
 */
export function csvCell(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(row: CsvRow): string {
  return `${csvColumns.map((column) => csvCell(row[column])).join(',')}\r\n`;
}

/**
 * Writes the matching records, oldest first. JSON Lines are the stored lines verbatim,
 * so every exported record still checks against its hash; CSV starts with a byte order
 * mark so that spreadsheet programs read Korean text as UTF-8.
 */
export async function exportRecords(directory: string, filter: RecordFilter, format: ExportFormat, write: (text: string) => Promise<void> | void): Promise<{ records: number }> {
  let records = 0;
  const options: Parameters<typeof readRecords>[1] = {};
  const includeSegment = segmentDaysFor(filter);
  if (includeSegment) options.includeSegment = includeSegment;
  if (format === 'csv') await write(`\uFEFF${csvColumns.join(',')}\r\n`);
  for await (const stored of readRecords(directory, options)) {
    if (!matchesFilter(stored.record, filter)) continue;
    records++;
    await write(format === 'jsonl' ? `${stored.line}\n` : csvLine(csvRowOf(stored.record)));
  }
  return { records };
}
