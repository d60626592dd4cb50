import type { GroupMembers } from './effective-readers.js';
import { ConfluenceRequestError, type ConfluenceClient } from './http-client.js';
import { walkPages } from './paging.js';
import type { WireUser } from './wire-types.js';

/**
 * Reads a group's members with `GET /rest/api/group/{name}/member` (paged), each group
 * once per run and only when a restricted page needs it. A group the token's user may
 * not list (403) or that no longer exists (404) has unknown members, which admits no one
 * through it; the run log says so once. Other failures stop the run, since skipping them
 * would silently narrow who may read.
 */
export function groupMembersReader(client: ConfluenceClient, pageSize: number, signal: AbortSignal, log: (message: string) => void): GroupMembers {
  const known = new Map<string, Promise<ReadonlySet<string> | undefined>>();
  return (group) => {
    let members = known.get(group);
    if (members === undefined) {
      members = readMembers(client, group, pageSize, signal).catch((error: unknown) => {
        if (error instanceof ConfluenceRequestError && (error.status === 403 || error.status === 404)) {
          log(`members of Confluence group ${group} cannot be read (HTTP ${error.status}); nobody is admitted through it`);
          return undefined;
        }
        throw error;
      });
      known.set(group, members);
    }
    return members;
  };
}

async function readMembers(client: ConfluenceClient, group: string, pageSize: number, signal: AbortSignal): Promise<ReadonlySet<string>> {
  const members = new Set<string>();
  for await (const users of walkPages<WireUser>(client, `/rest/api/group/${encodeURIComponent(group)}/member`, { start: 0, limit: pageSize }, signal)) {
    for (const user of users) if (user.username !== undefined) members.add(user.username.toLowerCase());
  }
  return members;
}
