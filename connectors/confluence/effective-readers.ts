import { everyone, groupPrincipal, userPrincipal, type Principal } from '../../src/core/access.js';

/** Who one permission level admits: user names and group names, lower case. */
export interface ReadLevel {
  users: ReadonlySet<string>;
  groups: ReadonlySet<string>;
  /**
   * Whether a restriction exists at this level. Usually it names someone in `users` or
   * `groups`; it can also name only users this connector cannot name (deleted accounts),
   * and then it still restricts: it must not read as "no restriction".
   */
  restricted?: boolean;
}

/** Who may view a space: its `read`/VIEWSPACE grants. */
export interface SpaceViewers extends ReadLevel {
  /** Whether anonymous users were granted view. */
  anonymous: boolean;
}

/**
 * Members (user names, lower case) of a group, or undefined when they cannot be read: a
 * group whose members are unknown never admits anyone beyond what the other levels
 * name, since not knowing must never widen who may read.
 */
export type GroupMembers = (group: string) => Promise<ReadonlySet<string> | undefined>;

export interface EffectiveReadersOptions {
  /** Whether an anonymous grant on the space makes its unrestricted pages readable by every Docent user. */
  anonymousIsEveryone: boolean;
}

/**
 * The principals that may read a page, as Confluence decides it: a person must be allowed
 * to view the space *and* pass every read restriction on the way down, the page's own and
 * each ancestor's (restrictions are inherited and only ever narrow). A level without a
 * restriction admits everyone who passes the others.
 *
 * Docent's principals are a list any one of which admits a reader, so the intersection is
 * written in those terms, exactly:
 * - a group named by every level stays a group: whoever is in it, now or later, passes;
 * - a group named by only some levels becomes those of its members who pass the others.
 *   It is not kept as a group even when all of today's members pass: someone who joins
 *   it later would be admitted by Docent before Confluence's other levels were checked
 *   for them, and an error here must only ever leave someone out, until the next sync;
 * - a user named by a restriction is kept when they pass every level, by name or through
 *   a group.
 * Members are looked up only for the groups a decision needs, and a page without
 * restrictions costs no lookup at all.
 */
export async function effectiveReaders(space: SpaceViewers, restrictions: readonly ReadLevel[], members: GroupMembers, options: EffectiveReadersOptions): Promise<Principal[]> {
  const restricting = restrictions.filter((level) => level.restricted ?? (level.users.size > 0 || level.groups.size > 0));
  const spaceIsOpen = space.anonymous && options.anonymousIsEveryone;
  if (restricting.length === 0) {
    if (spaceIsOpen) return [everyone];
    return sortedPrincipals(space.users, space.groups);
  }

  const levels: ReadLevel[] = spaceIsOpen ? [...restricting] : [space, ...restricting];
  const passes = async (user: string, level: ReadLevel): Promise<boolean> => {
    if (level.users.has(user)) return true;
    for (const group of level.groups) {
      if ((await members(group))?.has(user) === true) return true;
    }
    return false;
  };
  const passesAll = async (user: string): Promise<boolean> => {
    for (const level of levels) {
      if (!(await passes(user, level))) return false;
    }
    return true;
  };

  const users = new Set<string>();
  const groups = new Set<string>();
  const candidateGroups = new Set(restricting.flatMap((level) => [...level.groups]));
  for (const group of candidateGroups) {
    const namedEverywhere = levels.every((level) => level.groups.has(group));
    if (namedEverywhere) {
      groups.add(group);
      continue;
    }
    for (const member of (await members(group)) ?? []) {
      if (await passesAll(member)) users.add(member);
    }
  }
  const candidateUsers = new Set(restricting.flatMap((level) => [...level.users]));
  for (const user of candidateUsers) {
    if (await passesAll(user)) users.add(user);
  }
  return sortedPrincipals(users, groups);
}

function sortedPrincipals(users: Iterable<string>, groups: Iterable<string>): Principal[] {
  const principals = new Set<Principal>([...[...users].map(userPrincipal), ...[...groups].map(groupPrincipal)]);
  return [...principals].sort();
}
