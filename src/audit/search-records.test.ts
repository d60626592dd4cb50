import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { AuditLog } from './audit-log.js';
import { parseTimeBound } from './record-filter.js';
import { searchRecords } from './search-records.js';
import { answerContent } from '../../test/support/audit-records.js';

async function logOverThreeDays(): Promise<string> {
  const directory = path.join(await temporaryDirectory(), 'audit');
  let now = new Date('2026-11-23T12:00:00.000Z');
  const log = await AuditLog.open({ directory, now: () => now });
  for (const day of [23, 24, 25]) {
    now = new Date(`2026-11-${day}T12:00:00.000Z`);
    await log.append(answerContent({ question: `question on the ${day}th`, asker: { id: `U${day}`, principals: [] } }));
    await log.append({ type: 'admin', actor: 'cli:alice', action: 'model.change', details: { day } });
  }
  await log.close();
  return directory;
}

describe('searchRecords', () => {
  it('returns the matches oldest first, with the count of all of them', async () => {
    const directory = await logOverThreeDays();
    const result = await searchRecords(directory, { type: 'answer' });
    expect(result.matched).toBe(3);
    expect(result.records.map(({ record }) => record.sequence)).toEqual([1, 3, 5]);
    expect(result.records[0]).toMatchObject({ file: '000000000001-2026-11-23.jsonl', lineNumber: 1 });
  });

  it('keeps the newest matches when there are more than the limit', async () => {
    const directory = await logOverThreeDays();
    const result = await searchRecords(directory, {}, 2);
    expect(result.matched).toBe(6);
    expect(result.records.map(({ record }) => record.sequence)).toEqual([5, 6]);
  });

  it('combines a time range with other criteria', async () => {
    const directory = await logOverThreeDays();
    const result = await searchRecords(directory, { from: parseTimeBound('2026-11-24', 'from'), to: parseTimeBound('2026-11-24', 'to'), user: 'cli:alice' });
    expect(result.records.map(({ record }) => record.sequence)).toEqual([4]);
    expect((await searchRecords(directory, { text: 'on the 25th' })).records.map(({ record }) => record.sequence)).toEqual([5]);
  });

  it('finds nothing, without failing, where no log exists yet', async () => {
    const directory = path.join(await temporaryDirectory(), 'audit');
    expect(await searchRecords(directory, {})).toEqual({ records: [], matched: 0, unreadable: 0 });
  });
});
