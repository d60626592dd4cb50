/**
 * Access control. A principal is a string naming who may read: `user:<id>`,
 * `group:<name>`, or the special `everyone`. Every chunk carries the principals of its
 * document; retrieval keeps only chunks that share at least one principal with the asker.
 */
export type Principal = string;

/** The principal that every asker holds: documents carrying it are readable by all. */
export const everyone: Principal = 'everyone';

export function userPrincipal(id: string): Principal {
  return `user:${id.toLowerCase()}`;
}

export function groupPrincipal(name: string): Principal {
  return `group:${name.toLowerCase()}`;
}

/** Who is asking, as resolved by a chat surface or the CLI. */
export interface Asker {
  /** Stable identifier on the platform the question came from. */
  id: string;
  /** Principals the asker holds; `everyone` is always added by retrieval. */
  principals: Principal[];
  /** The asker's name in the directory, for the audit record and the admin console. */
  displayName?: string;
}

/**
 * Who reads an answer posted where several people see it (a channel), so that it uses
 * only what all of them may read. `public`: only documents open to `everyone`.
 * `members`: one principal set per member of the channel; a passage is used only when
 * every member may read it. A member whose principals are unknown is an empty set, which
 * leaves only documents open to everyone: not knowing someone never widens an answer.
 */
export type Audience = 'public' | { members: Principal[][] };
