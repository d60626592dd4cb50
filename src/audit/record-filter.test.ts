import { describe, expect, it } from 'vitest';
import { matchesFilter, parseTimeBound } from './record-filter.js';
import { answerContent, sealedRecord } from '../../test/support/audit-records.js';

const answer = sealedRecord(answerContent(), 1, '2026-11-25T10:00:00.000Z');
const feedback = sealedRecord({ type: 'feedback', answerId: 'record-1', asker: { id: 'U999', principals: ['user:u999'] }, rating: 'down', comment: 'The deadline changed last month', redactions: [] }, 2, '2026-11-26T08:00:00.000Z');
const admin = sealedRecord({ type: 'admin', actor: 'cli:alice', action: 'connector.create', details: { connector: 'confluence', space: 'HR' } }, 3, '2026-11-27T00:00:00.000Z');

describe('parseTimeBound', () => {
  it('reads a date as the whole UTC day and a date-time as that instant', () => {
    expect(parseTimeBound('2026-11-25', 'from').toISOString()).toBe('2026-11-25T00:00:00.000Z');
    expect(parseTimeBound('2026-11-25', 'to').toISOString()).toBe('2026-11-25T23:59:59.999Z');
    expect(parseTimeBound('2026-11-25T09:30:00+09:00', 'to').toISOString()).toBe('2026-11-25T00:30:00.000Z');
  });

  it('names the option and the expected form when the value is not a time', () => {
    expect(() => parseTimeBound('last week', 'from')).toThrow('--from last week: expected a date (2026-11-25) or a date and time (2026-11-25T09:30:00Z)');
  });
});

describe('matchesFilter', () => {
  it('keeps records inside the time range, bounds included', () => {
    const filter = { from: parseTimeBound('2026-11-25', 'from'), to: parseTimeBound('2026-11-26', 'to') };
    expect([answer, feedback, admin].filter((record) => matchesFilter(record, filter)).map((record) => record.sequence)).toEqual([1, 2]);
    expect(matchesFilter(answer, { from: new Date('2026-11-25T10:00:00.001Z') })).toBe(false);
    expect(matchesFilter(answer, { to: new Date('2026-11-25T10:00:00.000Z') })).toBe(true);
  });

  it('matches a user by id, by principal, or as the actor of an admin action, ignoring case', () => {
    expect(matchesFilter(answer, { user: 'u123' })).toBe(true);
    expect(matchesFilter(answer, { user: 'group:Finance' })).toBe(true);
    expect(matchesFilter(answer, { user: 'U12' })).toBe(false);
    expect(matchesFilter(feedback, { user: 'U999' })).toBe(true);
    expect(matchesFilter(admin, { user: 'cli:alice' })).toBe(true);
    expect(matchesFilter(admin, { user: 'U123' })).toBe(false);
  });

  it('matches a channel exactly, and only answers', () => {
    expect(matchesFilter(answer, { channel: 'c-finance' })).toBe(true);
    expect(matchesFilter(answer, { channel: 'C-FIN' })).toBe(false);
    expect(matchesFilter(admin, { channel: 'C-FINANCE' })).toBe(false);
  });

  it('matches a document by part of its id, chunk id, title or URI, retrieved or cited', () => {
    expect(matchesFilter(answer, { document: 'expenses.md' })).toBe(true);
    expect(matchesFilter(answer, { document: 'Expense policy' })).toBe(true);
    expect(matchesFilter(answer, { document: 'travel.md' })).toBe(false);
    const retrievedOnly = sealedRecord(answerContent({ cited: [] }));
    expect(matchesFilter(retrievedOnly, { document: 'expenses.md#2' })).toBe(true);
  });

  it('finds words in questions, answers, comments and admin actions, ignoring case', () => {
    expect(matchesFilter(answer, { text: 'EXPENSE REPORT' })).toBe(true);
    expect(matchesFilter(answer, { text: '30 days' })).toBe(true);
    expect(matchesFilter(answer, { text: 'vacation' })).toBe(false);
    expect(matchesFilter(feedback, { text: 'deadline changed' })).toBe(true);
    expect(matchesFilter(admin, { text: 'confluence' })).toBe(true);
  });

  it('requires every criterion given', () => {
    expect(matchesFilter(answer, { user: 'U123', text: 'expense', type: 'answer' })).toBe(true);
    expect(matchesFilter(answer, { user: 'U123', text: 'vacation' })).toBe(false);
    expect(matchesFilter(answer, { type: 'feedback' })).toBe(false);
  });
});
