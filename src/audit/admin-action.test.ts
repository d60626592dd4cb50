import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { DocentError } from '../core/errors.js';
import { performAdminAction, recordAdminAction, type AdminActionEntry } from './admin-action.js';
import { AuditLog } from './audit-log.js';
import { searchRecords } from './search-records.js';
import { verifyLog } from './verify-log.js';

const entry: AdminActionEntry = {
  actor: { name: 'ops-team', role: 'admin', via: 'token' },
  action: 'channels.set',
  target: 'slack channel C0HR',
  details: { sourceIds: ['folder:hr'] },
};

describe('admin action records', () => {
  it('names who did what to what, and the record verifies and is found by actor', async () => {
    const directory = path.join(await temporaryDirectory(), 'audit');
    const log = await AuditLog.open({ directory });
    const record = await recordAdminAction(log, entry);
    await log.close();
    expect(record).toMatchObject({ type: 'admin', actor: 'token:ops-team', action: 'channels.set', details: { actorRole: 'admin', target: 'slack channel C0HR', sourceIds: ['folder:hr'] } });
    expect((await verifyLog(directory)).ok).toBe(true);
    const found = await searchRecords(directory, { user: 'token:ops-team', type: 'admin' });
    expect(found.records.map((stored) => stored.record.id)).toEqual([record.id]);
  });

  it('records before the change and adds a failure record when the change fails', async () => {
    const directory = path.join(await temporaryDirectory(), 'audit');
    const log = await AuditLog.open({ directory });
    const seenBeforeWork: number[] = [];
    const result = await performAdminAction(log, entry, async () => {
      seenBeforeWork.push((await searchRecords(directory, { type: 'admin' })).matched);
      return 'done';
    });
    expect(result).toBe('done');
    expect(seenBeforeWork).toEqual([1]);

    await expect(
      performAdminAction(log, { ...entry, action: 'channels.remove' }, async () => {
        throw new DocentError('invalid_request', 'no such channel');
      }),
    ).rejects.toThrow('no such channel');
    await log.close();
    const records = (await searchRecords(directory, { type: 'admin' })).records.map((stored) => stored.record);
    expect(records.map((record) => record.type === 'admin' && record.action)).toEqual(['channels.set', 'channels.remove', 'channels.remove.failed']);
    const failed = records[2]!;
    expect(failed.type === 'admin' && failed.details).toMatchObject({ recordId: records[1]!.id, outcome: 'failed', error: { code: 'invalid_request', message: 'no such channel' } });
  });

  it('does not change anything when the record cannot be written', async () => {
    const directory = path.join(await temporaryDirectory(), 'audit');
    const log = await AuditLog.open({ directory });
    await log.close();
    let ran = false;
    await expect(
      performAdminAction(log, entry, async () => {
        ran = true;
      }),
    ).rejects.toThrow(/closed/);
    expect(ran).toBe(false);
  });
});
