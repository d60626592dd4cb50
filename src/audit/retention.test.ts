import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { AuditLog } from './audit-log.js';
import type { AuditRecord, RetentionContent } from './audit-record.js';
import { activeHolds, collectHolds, placeHold, releaseHold } from './legal-holds.js';
import { readRecords } from './record-reader.js';
import { applyRetention } from './retention.js';
import { answerContent } from '../../test/support/audit-records.js';
import { verifyLog } from './verify-log.js';

interface Fixture {
  directory: string;
  log: AuditLog;
  records: AuditRecord[];
  setNow(time: string): void;
}

/** Two answers a day from 20 to 24 November; the clock then stands at 25 November, noon. */
async function fiveDaysOfRecords(): Promise<Fixture> {
  const directory = path.join(await temporaryDirectory(), 'audit');
  let now = new Date('2026-11-20T09:00:00.000Z');
  const log = await AuditLog.open({ directory, now: () => now, idleReleaseMs: 5 });
  const records: AuditRecord[] = [];
  for (const day of [20, 21, 22, 23, 24]) {
    for (const hour of ['09', '15']) {
      now = new Date(`2026-11-${day}T${hour}:00:00.000Z`);
      records.push(await log.append(answerContent({ question: `asked on the ${day}th at ${hour}` })));
    }
  }
  now = new Date('2026-11-25T12:00:00.000Z');
  return { directory, log, records, setNow: (time) => (now = new Date(time)) };
}

async function stored(directory: string): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  for await (const { record } of readRecords(directory)) records.push(record);
  return records;
}

const now = new Date('2026-11-25T12:00:00.000Z');

describe('applyRetention', () => {
  it('removes whole days older than the cutoff, records it, and the log still verifies', async () => {
    const { directory, log, records } = await fiveDaysOfRecords();
    const result = await applyRetention(log, { olderThanDays: 2, actor: 'cli:compliance', now });
    await log.close();
    expect(result).toMatchObject({ cutoff: '2026-11-23T12:00:00.000Z', removedRecords: 6, fromSequence: 1, throughSequence: 6, keptHeld: 0, dryRun: false });
    expect(result.removedFiles).toEqual(['000000000001-2026-11-20.jsonl', '000000000003-2026-11-21.jsonl', '000000000005-2026-11-22.jsonl']);
    expect(await readdir(path.join(directory, 'segments'))).toEqual(['000000000007-2026-11-23.jsonl', '000000000009-2026-11-24.jsonl', '000000000011-2026-11-25.jsonl']);
    const retention = result.record as AuditRecord & RetentionContent;
    expect(retention).toMatchObject({ type: 'retention', sequence: 11, actor: 'cli:compliance', olderThanDays: 2, removedRecords: 6, lastRemovedHash: records[5]!.hash, keptHeld: [] });
    expect(JSON.parse(await readFile(path.join(directory, 'anchor.json'), 'utf8'))).toEqual({ firstSequence: 7, previousHash: records[5]!.hash, retentionSequence: 11, retentionHash: retention.hash });
    expect(await verifyLog(directory)).toMatchObject({ ok: true, records: 5, firstSequence: 7, lastSequence: 11, warnings: [] });
  });

  it('changes nothing on a dry run', async () => {
    const { directory, log } = await fiveDaysOfRecords();
    const result = await applyRetention(log, { olderThanDays: 2, actor: 'cli:compliance', now, dryRun: true });
    await log.close();
    expect(result).toMatchObject({ removedRecords: 6, dryRun: true });
    expect(result.record).toBeUndefined();
    expect(await stored(directory)).toHaveLength(10);
  });

  it('keeps the current day and the file being written, however old', async () => {
    const { log } = await fiveDaysOfRecords();
    const result = await applyRetention(log, { olderThanDays: 1, actor: 'cli:compliance', now: new Date('2027-06-01T00:00:00.000Z') });
    await log.close();
    expect(result.removedFiles).toHaveLength(4);
    expect(result.removedFiles).not.toContain('000000000009-2026-11-24.jsonl');
  });

  it('keeps records under legal hold, verbatim, until they are released', async () => {
    const { directory, log, records, setNow } = await fiveDaysOfRecords();
    const held = records[2]!;
    await placeHold(log, held.id, 'matter 2026-114', 'cli:counsel');
    expect([...(await activeHolds(directory)).keys()]).toEqual([held.id]);

    const first = await applyRetention(log, { olderThanDays: 2, actor: 'cli:compliance', now });
    expect(first).toMatchObject({ removedRecords: 5, keptHeld: 1 });
    expect((first.record as RetentionContent).keptHeld).toEqual([{ sequence: held.sequence, id: held.id, hash: held.hash }]);
    expect((first.record as RetentionContent).activeHolds).toMatchObject([{ recordId: held.id, reason: 'matter 2026-114', heldBy: 'cli:counsel' }]);
    expect(await log.findRecord(held.id)).toEqual(held);
    expect((await stored(directory)).map((record) => record.sequence)).toEqual([3, 7, 8, 9, 10, 11, 12]);
    expect(await verifyLog(directory)).toMatchObject({ ok: true, records: 7 });

    // The hold survives the removal of the record that placed it.
    setNow('2026-11-30T12:00:00.000Z');
    await applyRetention(log, { olderThanDays: 1, actor: 'cli:compliance', now: new Date('2026-11-30T12:00:00.000Z') });
    expect([...(await activeHolds(directory)).keys()]).toEqual([held.id]);
    expect(await log.findRecord(held.id)).toEqual(held);

    await releaseHold(log, held.id, 'matter closed', 'cli:counsel');
    setNow('2026-12-05T12:00:00.000Z');
    await log.append(answerContent());
    setNow('2026-12-06T12:00:00.000Z');
    await applyRetention(log, { olderThanDays: 1, actor: 'cli:compliance', now: new Date('2026-12-06T12:00:00.000Z') });
    await log.close();
    expect(await readFile(path.join(directory, 'held.jsonl'), 'utf8')).toBe('');
    expect(await stored(directory).then((all) => all.some((record) => record.id === held.id))).toBe(false);
    expect((await verifyLog(directory)).ok).toBe(true);
  });

  it('catches up with holds placed and released after an earlier scan, reading only what is new', async () => {
    const { directory, log, records } = await fiveDaysOfRecords();
    await placeHold(log, records[0]!.id, 'matter 1', 'cli:counsel');
    const first = await collectHolds(directory);
    expect([...first.holds.keys()]).toEqual([records[0]!.id]);
    expect(first.throughSequence).toBe(11);
    await placeHold(log, records[1]!.id, 'matter 2', 'cli:counsel');
    await releaseHold(log, records[0]!.id, undefined, 'cli:counsel');
    const second = await collectHolds(directory, first);
    await log.close();
    expect([...second.holds.keys()]).toEqual([records[1]!.id]);
    expect(second.throughSequence).toBe(13);
  });

  it('refuses to hold a record that is not there, and to release one that is not held', async () => {
    const { log, records } = await fiveDaysOfRecords();
    await expect(placeHold(log, 'no-such-record', 'x', 'cli:counsel')).rejects.toMatchObject({ code: 'audit_record_not_found' });
    await expect(placeHold(log, records[0]!.id, ' ', 'cli:counsel')).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(releaseHold(log, records[0]!.id, undefined, 'cli:counsel')).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/not under legal hold/) });
    await placeHold(log, records[0]!.id, 'matter 1', 'cli:counsel');
    await expect(placeHold(log, records[0]!.id, 'matter 2', 'cli:counsel')).rejects.toMatchObject({ message: expect.stringMatching(/already under legal hold .*matter 1/) });
    await log.close();
  });

  it('refuses to run on a log that does not verify', async () => {
    const { directory, log } = await fiveDaysOfRecords();
    const file = path.join(directory, 'segments', '000000000003-2026-11-21.jsonl');
    await writeFile(file, (await readFile(file, 'utf8')).replace('asked on the 21th', 'asked on the 22th'));
    await expect(applyRetention(log, { olderThanDays: 2, actor: 'cli:compliance', now })).rejects.toMatchObject({ code: 'audit_corrupt', message: expect.stringMatching(/retention refused: .*record 3/) });
    await log.close();
    expect(await readdir(path.join(directory, 'segments'))).toHaveLength(5);
  });

  it('finishes the removal a crash interrupted, without a second record', async () => {
    const { directory, log } = await fiveDaysOfRecords();
    const copy = `${directory}-before`;
    await cp(path.join(directory, 'segments'), copy, { recursive: true });
    await applyRetention(log, { olderThanDays: 2, actor: 'cli:compliance', now });
    // As if the process died after writing the anchor, before removing the files.
    // Files go oldest first: a crash after the first leaves the later ones.
    for (const name of ['000000000003-2026-11-21.jsonl', '000000000005-2026-11-22.jsonl']) await cp(path.join(copy, name), path.join(directory, 'segments', name));
    const interrupted = await verifyLog(directory);
    expect(interrupted.ok).toBe(true);
    expect(interrupted.warnings.join('\n')).toMatch(/records 3 to 6 were released by retention but their files are still there/);

    const again = await applyRetention(log, { olderThanDays: 2, actor: 'cli:compliance', now });
    await log.close();
    expect(again.record).toBeUndefined();
    expect(await readdir(path.join(directory, 'segments'))).toHaveLength(3);
    expect(await verifyLog(directory)).toMatchObject({ ok: true, warnings: [] });
    await rm(copy, { recursive: true });
  });

  it('lets verify notice when the retained log is tampered with', async () => {
    const { directory, log, records } = await fiveDaysOfRecords();
    await placeHold(log, records[0]!.id, 'matter', 'cli:counsel');
    await applyRetention(log, { olderThanDays: 2, actor: 'cli:compliance', now });
    await log.close();
    const anchorFile = path.join(directory, 'anchor.json');
    const anchor = await readFile(anchorFile, 'utf8');

    // Moving the anchor forward to hide the removal of another day.
    await writeFile(anchorFile, anchor.replace('"firstSequence":7', '"firstSequence":9'));
    expect((await verifyLog(directory)).problem).toMatchObject({ sequence: 12, file: 'anchor.json', message: 'anchor.json does not match retention record 12: the start of the log was moved' });
    await writeFile(anchorFile, anchor);

    // Removing the first remaining day.
    await cp(path.join(directory, 'segments', '000000000007-2026-11-23.jsonl'), `${directory}.day`);
    await rm(path.join(directory, 'segments', '000000000007-2026-11-23.jsonl'));
    expect((await verifyLog(directory)).problem).toMatchObject({ sequence: 9, message: expect.stringMatching(/records 7 to 8 are missing/) });
    await cp(`${directory}.day`, path.join(directory, 'segments', '000000000007-2026-11-23.jsonl'));

    // Dropping the record kept under legal hold.
    const heldFile = path.join(directory, 'held.jsonl');
    const heldCopy = await readFile(heldFile, 'utf8');
    await writeFile(heldFile, '');
    expect((await verifyLog(directory)).problem).toMatchObject({ sequence: 1, file: 'held.jsonl', message: expect.stringMatching(/kept under legal hold .* is missing/) });
    await writeFile(heldFile, heldCopy.replace('asked on the 20th', 'asked on the 19th'));
    expect((await verifyLog(directory)).problem).toMatchObject({ sequence: 1, file: 'held.jsonl', line: 1, message: expect.stringMatching(/changed after it was written/) });
    await writeFile(heldFile, heldCopy);
    expect((await verifyLog(directory)).ok).toBe(true);
  });
});
