import { groupPrincipal, userPrincipal, type Principal } from '../core/access.js';

/**
 * The principals of a person the directory knows: `user:<identifier>` for each of their
 * identifiers (account name, e-mail addresses, UPN), because connectors name users in
 * document permissions by whichever of these their source system uses, and
 * `group:<name>` for every group they belong to, directly or through nesting.
 */
export function identityPrincipals(identifiers: Iterable<string | undefined>, groups: Iterable<string>): Principal[] {
  const principals = new Set<Principal>();
  for (const identifier of identifiers) if (identifier && identifier.trim()) principals.add(userPrincipal(identifier.trim()));
  for (const group of groups) if (group.trim()) principals.add(groupPrincipal(group.trim()));
  return [...principals];
}
