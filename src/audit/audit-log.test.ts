import { spawnSync } from 'node:child_process';
import { appendFile, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { AuditLog } from './audit-log.js';
import type { AdminContent, AuditRecord } from './audit-record.js';
import { readRecords } from './record-reader.js';
import { genesisHash } from './record-chain.js';
import { verifyLog } from './verify-log.js';

function action(number: number): AdminContent {
  return { type: 'admin', actor: 'cli:test', action: 'test.append', details: { number } };
}

async function all(directory: string): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  for await (const { record } of readRecords(directory)) records.push(record);
  return records;
}

async function segmentNames(directory: string): Promise<string[]> {
  return (await readdir(path.join(directory, 'segments'))).sort();
}

describe('AuditLog', () => {
  it('chains records: sequence numbers from 1, each naming the previous hash', async () => {
    const directory = path.join(await temporaryDirectory(), 'audit');
    const log = await AuditLog.open({ directory });
    const first = await log.append(action(1));
    const second = await log.append(action(2));
    await log.close();
    expect(first).toMatchObject({ sequence: 1, previousHash: genesisHash, type: 'admin', details: { number: 1 } });
    expect(second).toMatchObject({ sequence: 2, previousHash: first.hash });
    expect(await all(directory)).toEqual([first, second]);
    expect(await verifyLog(directory)).toMatchObject({ ok: true, records: 2, firstSequence: 1, lastSequence: 2, lastHash: second.hash });
  });

  it('writes concurrent appends together, fewer fsyncs than records, in the order they arrived', async () => {
    const directory = path.join(await temporaryDirectory(), 'audit');
    const log = await AuditLog.open({ directory });
    const records = await Promise.all(Array.from({ length: 300 }, (_, index) => log.append(action(index))));
    const { commits } = log.statistics;
    await log.close();
    expect(records.map((record) => record.sequence)).toEqual(Array.from({ length: 300 }, (_, index) => index + 1));
    expect(records.map((record) => (record as AdminContent).details.number)).toEqual(Array.from({ length: 300 }, (_, index) => index));
    expect(commits).toBeLessThan(300);
    expect((await verifyLog(directory)).ok).toBe(true);
  });

  it('starts a new segment file after the configured number of records and at UTC midnight', async () => {
    const directory = path.join(await temporaryDirectory(), 'audit');
    let now = new Date('2026-11-24T23:59:59.000Z');
    const log = await AuditLog.open({ directory, segmentRecords: 10, now: () => now });
    for (let index = 0; index < 3; index++) await log.append(action(index));
    now = new Date('2026-11-25T00:00:01.000Z');
    await Promise.all(Array.from({ length: 25 }, (_, index) => log.append(action(index))));
    await log.close();
    expect(await segmentNames(directory)).toEqual(['000000000001-2026-11-24.jsonl', '000000000004-2026-11-25.jsonl', '000000000014-2026-11-25.jsonl', '000000000024-2026-11-25.jsonl']);
    expect(await verifyLog(directory)).toMatchObject({ ok: true, records: 28, files: 4 });
  });

  it('continues the chain when opened again', async () => {
    const directory = path.join(await temporaryDirectory(), 'audit');
    const first = await AuditLog.open({ directory });
    const last = await first.append(action(1));
    await first.close();
    const second = await AuditLog.open({ directory });
    expect(await second.append(action(2))).toMatchObject({ sequence: 2, previousHash: last.hash });
    await second.close();
    expect((await verifyLog(directory)).ok).toBe(true);
  });

  it('cuts off an incomplete last line when opened, and records the repair', async () => {
    const directory = path.join(await temporaryDirectory(), 'audit');
    const log = await AuditLog.open({ directory });
    await log.append(action(1));
    await log.close();
    const [segment] = await segmentNames(directory);
    const file = path.join(directory, 'segments', segment!);
    const torn = '{"action":"test.append","actor":"cli:te';
    await appendFile(file, torn);

    const before = await verifyLog(directory);
    expect(before.ok).toBe(true);
    expect(before.warnings.join('\n')).toMatch(/line 2: an incomplete last line \(39 bytes\)/);

    const reopened = await AuditLog.open({ directory });
    await reopened.close();
    const records = await all(directory);
    expect(records.map((record) => record.type)).toEqual(['admin', 'repair']);
    expect(records[1]).toMatchObject({ sequence: 2, file: segment, removedBytes: torn.length, reason: expect.stringMatching(/incomplete/) });
    expect(await readFile(file, 'utf8')).not.toContain('cli:te"');
    expect(await verifyLog(directory)).toMatchObject({ ok: true, records: 2, warnings: [] });
  });

  it('removes a segment file that holds only an incomplete line, and records that too', async () => {
    const directory = path.join(await temporaryDirectory(), 'audit');
    let now = new Date('2026-11-24T12:00:00.000Z');
    const log = await AuditLog.open({ directory, now: () => now });
    await log.append(action(1));
    await log.close();
    await writeFile(path.join(directory, 'segments', '000000000002-2026-11-25.jsonl'), '{"act');
    now = new Date('2026-11-25T12:00:00.000Z');
    const reopened = await AuditLog.open({ directory, now: () => now });
    await reopened.append(action(2));
    await reopened.close();
    expect((await all(directory)).map((record) => [record.sequence, record.type])).toEqual([
      [1, 'admin'],
      [2, 'repair'],
      [3, 'admin'],
    ]);
    expect((await verifyLog(directory)).ok).toBe(true);
  });

  it('refuses to append after a damaged last record instead of extending a broken chain', async () => {
    const directory = path.join(await temporaryDirectory(), 'audit');
    const log = await AuditLog.open({ directory });
    await log.append(action(1));
    await log.close();
    const [segment] = await segmentNames(directory);
    const file = path.join(directory, 'segments', segment!);
    await writeFile(file, (await readFile(file, 'utf8')).replace('test.append', 'test.edited'));
    await expect(AuditLog.open({ directory })).rejects.toMatchObject({ code: 'audit_corrupt', message: expect.stringMatching(/changed after it was written/) });
  });

  it('opened on first use, touches nothing until it must record, then refuses a damaged last record on ready() and append', async () => {
    const directory = path.join(await temporaryDirectory(), 'audit');
    const unused = AuditLog.openOnFirstUse({ directory });
    await unused.close();
    await expect(readdir(directory)).rejects.toMatchObject({ code: 'ENOENT' });
    const first = AuditLog.openOnFirstUse({ directory });
    await first.append(action(1));
    await first.append(action(2));
    await first.close();
    const [segment] = await segmentNames(directory);
    const file = path.join(directory, 'segments', segment!);
    const text = await readFile(file, 'utf8');
    // The last record cut short, yet ending in a newline: not a crash mid-write that open may repair.
    await writeFile(file, `${text.slice(0, text.length - 40)}\n`);
    const damaged = AuditLog.openOnFirstUse({ directory });
    await expect(damaged.ready()).rejects.toMatchObject({ code: 'audit_corrupt', message: expect.stringMatching(new RegExp(`the last record of the audit log \\(${segment}, byte \\d+\\) .*docent audit verify`)) });
    await expect(damaged.append(action(3))).rejects.toMatchObject({ code: 'audit_corrupt' });
    await damaged.close();
    expect(await readFile(file, 'utf8')).toBe(`${text.slice(0, text.length - 40)}\n`);
  });

  it('lets two writers share the log: each waits for the other to let go of the lock', async () => {
    const directory = path.join(await temporaryDirectory(), 'audit');
    const first = await AuditLog.open({ directory, idleReleaseMs: 10 });
    const second = await AuditLog.open({ directory, idleReleaseMs: 10 });
    for (let round = 0; round < 5; round++) {
      await Promise.all([first.append(action(round)), second.append(action(100 + round))]);
    }
    await Promise.all([first.close(), second.close()]);
    expect(await verifyLog(directory)).toMatchObject({ ok: true, records: 10 });
  });

  it('lets another writer in while a busy one keeps appending', async () => {
    const directory = path.join(await temporaryDirectory(), 'audit');
    const busy = await AuditLog.open({ directory, maximumHoldMs: 50 });
    let running = true;
    const appending = (async () => {
      while (running) await busy.append(action(1));
    })();
    const admin = await AuditLog.open({ directory, lockTimeoutMs: 2000 });
    const record = await admin.append(action(2));
    running = false;
    await appending;
    await Promise.all([busy.close(), admin.close()]);
    expect(record.sequence).toBeGreaterThan(1);
    expect((await verifyLog(directory)).ok).toBe(true);
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const directory = path.join(await temporaryDirectory(), 'audit');
    const finished = spawnSync(process.execPath, ['-e', '0']);
    const log = await AuditLog.open({ directory });
    await log.close();
    await writeFile(path.join(directory, 'lock'), JSON.stringify({ pid: finished.pid, host: (await import('node:os')).hostname(), token: 'dead', since: '2026-01-01T00:00:00.000Z' }));
    const reopened = await AuditLog.open({ directory, lockTimeoutMs: 1000 });
    await reopened.append(action(1));
    await reopened.close();
    expect((await verifyLog(directory)).ok).toBe(true);
  });

  it('fails appends with audit_unavailable when a live process holds the lock too long', async () => {
    const directory = path.join(await temporaryDirectory(), 'audit');
    const holder = await AuditLog.open({ directory });
    const waiting = await AuditLog.open({ directory, lockTimeoutMs: 100 }).catch((error: unknown) => error);
    await holder.close();
    expect(waiting).toMatchObject({ code: 'audit_unavailable', message: expect.stringMatching(/locked by process \d+/) });
  });

  it('rejects appends it could not write, and refuses to go on when the files have vanished', async () => {
    const directory = path.join(await temporaryDirectory(), 'audit');
    const log = await AuditLog.open({ directory, segmentRecords: 1 });
    await log.append(action(1));
    await rm(path.join(directory, 'segments'), { recursive: true });
    await expect(log.append(action(2))).rejects.toMatchObject({ code: 'audit_unavailable' });
    await expect(log.append(action(3))).rejects.toMatchObject({ code: 'audit_corrupt', message: expect.stringMatching(/segment files are missing/) });
    await log.close();
  });

  it('rejects appends once closed', async () => {
    const directory = path.join(await temporaryDirectory(), 'audit');
    const log = await AuditLog.open({ directory });
    await log.close();
    await expect(log.append(action(1))).rejects.toMatchObject({ code: 'audit_unavailable', message: 'the audit log is closed' });
  });
});
