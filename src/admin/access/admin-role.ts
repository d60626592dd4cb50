/**
 * Roles in the admin API and console. They are not ranked by the routes: every route
 * lists the roles that may call it (see `admin-route-guard.ts`), so what a role may do
 * is read in one place per route.
 *
 * - `admin`: everything, including changes (connectors, channel mappings) and the audit log.
 * - `auditor`: the audit log and feedback (search, export, verify) and the status page.
 * - `viewer`: the status page and the configuration read-only (connectors, sources, models, channels).
 */
export type AdminRole = 'admin' | 'auditor' | 'viewer';

/** Strongest first: someone whose directory groups match several roles gets the first. */
export const adminRoles: readonly AdminRole[] = ['admin', 'auditor', 'viewer'];

export function isAdminRole(value: string): value is AdminRole {
  return (adminRoles as readonly string[]).includes(value);
}

/** Who may call a route; routes name one of these rather than spelling lists out. */
export const routeRoles = {
  /** The overview: counts, models, failures. */
  everyone: ['admin', 'auditor', 'viewer'],
  /** Reading how Docent is configured and how its connectors run. */
  operationsReaders: ['admin', 'viewer'],
  /** Reading, exporting and verifying the audit log and feedback. */
  auditReaders: ['admin', 'auditor'],
  /** Changing anything. */
  administrators: ['admin'],
} as const satisfies Record<string, readonly AdminRole[]>;
