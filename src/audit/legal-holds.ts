import { DocentError } from '../core/errors.js';
import type { AuditRecord, LegalHold } from './audit-record.js';
import type { AuditLog } from './audit-log.js';
import { auditPaths } from './audit-paths.js';
import { readHead } from './head-marker.js';
import { readRecords } from './record-reader.js';

export const holdAction = 'audit.hold';
export const releaseAction = 'audit.release';

/** The holds in force after the records read so far. */
export interface HoldState {
  holds: Map<string, LegalHold>;
  /** Sequence number of the last record read; 0 before any. */
  throughSequence: number;
}

const holdNeedles = [Buffer.from(`"action":"${holdAction}"`), Buffer.from(`"action":"${releaseAction}"`), Buffer.from('"type":"retention"')];

/**
 * The holds in force: the last retention record's list, then every hold and release
 * after it. Retention carries the list forward, so removing old hold records never
 * lifts a hold. Pass an earlier state to read only the records written since.
 */
export async function collectHolds(directory: string, since?: HoldState): Promise<HoldState> {
  const state: HoldState = { holds: new Map(since?.holds ?? []), throughSequence: since?.throughSequence ?? 0 };
  // Read before the files: every record up to it is on disk, so the scan below sees it.
  // (Records written during the scan may be seen or not; replaying them later in order gives the same holds.)
  const head = await readHead(auditPaths(directory).head);
  const options: Parameters<typeof readRecords>[1] = {
    fromSequence: state.throughSequence + 1,
    // Only hold, release and retention records matter: skip parsing the rest.
    prefilter: (line) => holdNeedles.some((needle) => line.indexOf(needle) >= 0),
  };
  for await (const { record } of readRecords(directory, options)) {
    state.throughSequence = Math.max(state.throughSequence, record.sequence);
    if (record.type === 'retention') state.holds = new Map(record.activeHolds.map((hold) => [hold.recordId, hold]));
    if (record.type === 'admin' && typeof record.details.recordId === 'string') {
      const recordId = record.details.recordId;
      if (record.action === holdAction) {
        state.holds.set(recordId, { recordId, sequence: Number(record.details.sequence), reason: String(record.details.reason ?? ''), heldBy: record.actor, heldAt: record.time });
      } else if (record.action === releaseAction) {
        state.holds.delete(recordId);
      }
    }
  }
  // Records the prefilter skipped count as read, so the next call starts after them.
  if (head && head !== 'unreadable') state.throughSequence = Math.max(state.throughSequence, head.sequence);
  return state;
}

export async function activeHolds(directory: string): Promise<Map<string, LegalHold>> {
  return (await collectHolds(directory)).holds;
}

/**
 * Puts a record under legal hold: retention keeps it until it is released. The hold is
 * itself a record; `context` adds details about who acted (the admin API's role and target).
 */
export async function placeHold(log: AuditLog, recordId: string, reason: string, actor: string, context: Record<string, unknown> = {}): Promise<AuditRecord> {
  if (reason.trim() === '') throw new DocentError('invalid_request', 'a legal hold needs a reason (--reason)');
  const target = await log.findRecord(recordId);
  if (!target) throw new DocentError('audit_record_not_found', `no record with id ${recordId} is in the audit log`);
  const existing = (await activeHolds(log.paths.directory)).get(recordId);
  if (existing) throw new DocentError('invalid_request', `record ${recordId} is already under legal hold (since ${existing.heldAt}, by ${existing.heldBy}: ${existing.reason})`);
  return log.append({ type: 'admin', actor, action: holdAction, details: { ...context, recordId, sequence: target.sequence, reason } });
}

export async function releaseHold(log: AuditLog, recordId: string, reason: string | undefined, actor: string, context: Record<string, unknown> = {}): Promise<AuditRecord> {
  const existing = (await activeHolds(log.paths.directory)).get(recordId);
  if (!existing) throw new DocentError('invalid_request', `record ${recordId} is not under legal hold`);
  const details: Record<string, unknown> = { ...context, recordId, sequence: existing.sequence };
  if (reason) details.reason = reason;
  return log.append({ type: 'admin', actor, action: releaseAction, details });
}
