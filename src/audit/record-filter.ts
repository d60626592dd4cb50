import { DocentError } from '../core/errors.js';
import type { AuditRecord, AuditRecordType } from './audit-record.js';

/** What `docent audit search` and `export` select; every given criterion must hold. */
export interface RecordFilter {
  /** Records written at or after this instant. */
  from?: Date;
  /** Records written at or before this instant. */
  to?: Date;
  /** The asker's id or one of their principals; the actor of admin actions. */
  user?: string;
  /** The channel (or web session) an answer was asked in. */
  channel?: string;
  /** Part of a document id, chunk id, title or URI the answer retrieved or cited. */
  document?: string;
  /** Words in the question, query, answer, notice, comment or admin action (case does not matter). */
  text?: string;
  type?: AuditRecordType;
}

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads a `--from`/`--to` value: an ISO date means that whole UTC day (from its first
 * millisecond, to its last), so `--from 2026-11-01 --to 2026-11-30` covers November.
 */
export function parseTimeBound(value: string, side: 'from' | 'to'): Date {
  const isDay = dayPattern.test(value);
  const parsed = new Date(isDay ? `${value}T00:00:00.000Z` : value);
  if (Number.isNaN(parsed.getTime())) {
    throw new DocentError('invalid_request', `--${side} ${value}: expected a date (2026-11-25) or a date and time (2026-11-25T09:30:00Z)`);
  }
  return isDay && side === 'to' ? new Date(parsed.getTime() + 24 * 60 * 60 * 1000 - 1) : parsed;
}

/** Filter criteria as text, the way a command line or a query string gives them. */
export interface FilterOptions {
  from?: string;
  to?: string;
  user?: string;
  channel?: string;
  document?: string;
  text?: string;
  type?: AuditRecordType;
}

/**
 * Builds a filter from text criteria; `optionPrefix` is how the caller names its options
 * in error messages (`--` on the command line, nothing in a query string).
 */
export function filterOf(options: FilterOptions, optionPrefix = '--'): RecordFilter {
  const bound = (value: string, side: 'from' | 'to'): Date => {
    try {
      return parseTimeBound(value, side);
    } catch (error) {
      if (error instanceof DocentError) throw new DocentError('invalid_request', error.message.replace(/^--/, optionPrefix));
      throw error;
    }
  };
  const filter: RecordFilter = {};
  if (options.from) filter.from = bound(options.from, 'from');
  if (options.to) filter.to = bound(options.to, 'to');
  if (filter.from && filter.to && filter.from > filter.to) throw new DocentError('invalid_request', `${optionPrefix}from ${options.from} is after ${optionPrefix}to ${options.to}`);
  for (const key of ['user', 'channel', 'document', 'text', 'type'] as const) {
    if (options[key]) (filter as Record<string, unknown>)[key] = options[key];
  }
  return filter;
}

/** The filter as plain strings, for the record an export leaves. */
export function describeFilter(filter: RecordFilter): Record<string, string> {
  const described: Record<string, string> = {};
  for (const [key, value] of Object.entries(filter)) described[key] = value instanceof Date ? value.toISOString() : String(value);
  return described;
}

export function matchesFilter(record: AuditRecord, filter: RecordFilter): boolean {
  if (filter.type && record.type !== filter.type) return false;
  if (filter.from || filter.to) {
    const time = Date.parse(record.time);
    if (filter.from && time < filter.from.getTime()) return false;
    if (filter.to && time > filter.to.getTime()) return false;
  }
  if (filter.user && !matchesUser(record, filter.user.toLowerCase())) return false;
  if (filter.channel && !(record.type === 'answer' && record.channelId?.toLowerCase() === filter.channel.toLowerCase())) return false;
  if (filter.document && !matchesDocument(record, filter.document)) return false;
  if (filter.text && !searchableText(record).toLowerCase().includes(filter.text.toLowerCase())) return false;
  return true;
}

function matchesUser(record: AuditRecord, user: string): boolean {
  switch (record.type) {
    case 'answer':
    case 'feedback':
      return record.asker.id.toLowerCase() === user || record.asker.principals.some((principal) => principal.toLowerCase() === user || principal.toLowerCase() === `user:${user}`);
    case 'admin':
    case 'retention':
      return record.actor.toLowerCase() === user;
    default:
      return false;
  }
}

function matchesDocument(record: AuditRecord, document: string): boolean {
  if (record.type !== 'answer') return false;
  const values = [...record.retrieved.flatMap((passage) => [passage.documentId, passage.chunkId]), ...record.cited.flatMap((passage) => [passage.documentId, passage.chunkId, passage.title, passage.uri])];
  return values.some((value) => value.includes(document));
}

function searchableText(record: AuditRecord): string {
  switch (record.type) {
    case 'answer':
      return [record.question, record.query, record.answer, record.notice, record.failure?.message].filter(Boolean).join('\n');
    case 'feedback':
      return record.comment ?? '';
    case 'admin':
      return `${record.action}\n${JSON.stringify(record.details)}`;
    case 'repair':
      return record.reason;
    case 'retention':
      return 'retention';
  }
}
