import { recordAdminAction, type AdminActor } from './admin-action.js';
import type { AuditLog } from './audit-log.js';
import type { AuditRecord } from './audit-record.js';

/** What an admin did to a connector; stored as the `action` of an admin record. Never renamed once written. */
export const connectorActions = {
  add: 'connector.add',
  configure: 'connector.configure',
  pause: 'connector.pause',
  resume: 'connector.resume',
  remove: 'connector.remove',
  /** An admin asked for a run (scheduled and watch runs are not admin actions; their history is in the connector store). */
  run: 'connector.run',
  /** The asked-for run could not start (another run held the connector) or failed as a whole; names the `connector.run` record. */
  runFailed: 'connector.run.failed',
} as const;

export type ConnectorAction = (typeof connectorActions)[keyof typeof connectorActions];

/** The details an admin record of a connector action holds. Settings hold no secret (only names of variables). */
export interface ConnectorActionDetails {
  name: string;
  kind: string;
  sourceId: string;
  /** Settings after the action (add, configure). */
  config?: Record<string, unknown>;
  /** Settings before a change (configure), so the record shows what changed. */
  previousConfig?: Record<string, unknown>;
  schedule?: unknown;
  previousSchedule?: unknown;
  /** Documents removed from the index with the connector (remove). */
  documentsDeleted?: number;
  /** The record of the action that failed (`connector.run.failed`). */
  recordId?: string;
  error?: { code: string; message: string };
}

/**
 * Records an admin's action on a connector in the audit log, as exports and legal holds
 * are recorded: one admin record, written (and fsynced) before the change is made, so no
 * change goes unrecorded. The target is the connector.
 */
export async function recordConnectorAction(log: AuditLog, action: ConnectorAction, actor: AdminActor, details: ConnectorActionDetails): Promise<AuditRecord> {
  const stored: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) if (value !== undefined) stored[key] = value;
  return recordAdminAction(log, { actor, action, target: `connector ${details.name}`, details: stored });
}
