import { describeError, isDocentError } from '../core/errors.js';
import type { AuditLog } from './audit-log.js';
import type { AdminContent, AuditRecord } from './audit-record.js';

/** Who did something through the admin API, the console or a command. */
export interface AdminActor {
  /** The token's name, the signed-in user's login, or the local user for commands. */
  name: string;
  /** `admin`, `auditor` or `viewer`; commands run with the machine's own authority (`operator`). */
  role: string;
  /** `token` (admin API bearer token), `sso` (signed in through the single sign-on proxy) or `cli`. */
  via: 'token' | 'sso' | 'cli';
}

/** One admin action to record: what was done to what. */
export interface AdminActionEntry {
  actor: AdminActor;
  /** Dotted verb: `channels.set`, `connector.run`, `admin.token.create`, `audit.export`. */
  action: string;
  /** What it acted on, e.g. `slack channel C0123ABCD` or a connector id. */
  target: string;
  /** The change itself (new settings, filters); never secrets. `actorRole` and `target` are set from the fields above. */
  details?: Record<string, unknown>;
}

/** The audit record's `actor` field: `token:<name>`, `sso:<login>` or `cli:<user>`. */
export function actorLabel(actor: AdminActor): string {
  return `${actor.via}:${actor.name}`;
}

/** `details` holds the entry's own details plus `actorRole` and `target`, which no detail can overwrite. */
export function adminActionContent(entry: AdminActionEntry): AdminContent {
  return { type: 'admin', actor: actorLabel(entry.actor), action: entry.action, details: { ...entry.details, actorRole: entry.actor.role, target: entry.target } };
}

/** Appends the action's record and resolves once it is on disk. */
export function recordAdminAction(log: AuditLog, entry: AdminActionEntry): Promise<AuditRecord> {
  return log.append(adminActionContent(entry));
}

/**
 * Records an action, then carries it out: no change ever takes effect unrecorded (a
 * failure to record fails the action before anything changes). An action that fails
 * after its record was written gets a second record saying so, naming the first, so
 * the log never claims a change that did not happen.
 */
export async function performAdminAction<T>(log: AuditLog, entry: AdminActionEntry, work: () => Promise<T>): Promise<T> {
  const record = await recordAdminAction(log, entry);
  try {
    return await work();
  } catch (error) {
    const failure = { recordId: record.id, outcome: 'failed', error: isDocentError(error) ? { code: error.code, message: error.message } : { code: 'internal', message: describeError(error) } };
    await recordAdminAction(log, { ...entry, action: `${entry.action}.failed`, details: failure }).catch(() => undefined);
    throw error;
  }
}
