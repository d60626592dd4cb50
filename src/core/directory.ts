import type { Principal } from './access.js';

/**
 * Identity: who a person on a chat platform is in the organisation's directory, and so
 * which principals (user and group) they hold when Docent filters documents for them.
 */

/** A person as a chat platform or the web chat presents them. */
export interface ChatIdentity {
  /** `slack`, `teams`, `web` or `cli`. */
  platform: string;
  /**
   * The platform's stable id: Slack user id (U012AB3CD), Teams AAD object id, or the
   * web login name. Matched only against ids recorded for the same platform.
   */
  userId: string;
  /** E-mail address the platform verified (Slack profile e-mail), when it gives one. */
  email?: string;
  /** User principal name (Teams, Azure AD), e.g. `ann@corp.example.com`. */
  upn?: string;
}

/** What the directory knows about a person. */
export interface ResolvedIdentity {
  /**
   * Whether the directory holds this person. An unknown person (a guest, an external
   * member of a shared channel) holds no principals and reads only documents open to everyone.
   */
  found: boolean;
  /** `user:<id>` for each identifier of the person, and `group:<name>` for every group, nested ones included. */
  principals: Principal[];
  /** Name to show in the audit log and the admin console. */
  displayName?: string;
}

/**
 * Resolves chat identities to principals: a static mapping file, LDAP / Active
 * Directory, or none. Implementations throw `DocentError` `directory_unavailable` when
 * they cannot answer (server unreachable, file unreadable); callers fail closed.
 */
export interface Directory {
  /** `none`, `static` or `ldap`; for messages and the admin console. */
  readonly kind: string;
  resolve(identity: ChatIdentity, options?: { signal?: AbortSignal }): Promise<ResolvedIdentity>;
  /** Releases connections; the directory is not used afterwards. */
  close(): Promise<void>;
}
