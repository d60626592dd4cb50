import { DocentError } from '../../src/core/errors.js';
import type { SpaceViewers } from './effective-readers.js';
import { ConfluenceRequestError, type ConfluenceClient } from './http-client.js';
import type { WireSpacePermission, WireSpacePermissionSet, WireUser } from './wire-types.js';

/**
 * Who may view a space. Confluence Server / Data Center has no one way to read this
 * across 7.x to 9.x: the space resource's `expand=permissions` is a Cloud feature, so
 * - Data Center 9.1 and later: `GET /rest/api/space/{key}/permissions`, whose `read`
 *   grants name groups by name and users by user key only (CONFSERVER-100505), each key
 *   then looked up once per run with `GET /rest/api/user?key=`;
 * - earlier versions (where that resource answers 404): the remote API's
 *   `getSpacePermissionSets` over JSON-RPC, whose `VIEWSPACE` set names users and groups.
 * Both need the token's user to be an administrator of the space. Without that the run
 * stops with `credentials_rejected`: indexing pages without knowing who may read them
 * would either leak them or hide them from everyone.
 */
export async function readSpaceViewers(client: ConfluenceClient, spaceKey: string, signal: AbortSignal, userNames: UserNameLookup): Promise<SpaceViewers> {
  let permissions: WireSpacePermission[];
  try {
    permissions = await client.getJson<WireSpacePermission[]>(`/rest/api/space/${encodeURIComponent(spaceKey)}/permissions`, {}, signal);
  } catch (error) {
    if (error instanceof ConfluenceRequestError && error.status === 404) return readViewersOverJsonRpc(client, spaceKey, signal);
    throw explained(error, spaceKey);
  }
  const viewers = emptyViewers();
  for (const permission of Array.isArray(permissions) ? permissions : []) {
    if (permission.operation?.operationKey !== 'read' || permission.operation?.targetType !== 'space') continue;
    const subject = permission.subject ?? { type: '' };
    if (subject.type === 'group' && subject.name !== undefined) viewers.groups.add(subject.name.toLowerCase());
    else if (subject.type === 'anonymous') viewers.anonymous = true;
    else if (subject.type === 'user') {
      const name = subject.username ?? (subject.userKey === undefined ? undefined : await userNames(subject.userKey));
      if (name !== undefined) viewers.users.add(name.toLowerCase());
    }
  }
  return viewers;
}

async function readViewersOverJsonRpc(client: ConfluenceClient, spaceKey: string, signal: AbortSignal): Promise<SpaceViewers> {
  let answer: WireSpacePermissionSet[] | { error?: { message?: string } };
  try {
    answer = await client.postJson<typeof answer>('/rpc/json-rpc/confluenceservice-v2/getSpacePermissionSets', [spaceKey], signal);
  } catch (error) {
    if (error instanceof ConfluenceRequestError && error.status === 404) {
      throw new DocentError('source_unreachable', `Confluence offers neither GET /rest/api/space/${spaceKey}/permissions (9.1+) nor the JSON-RPC remote API, so who may view space ${spaceKey} cannot be read`, {
        retryable: false,
      });
    }
    throw explained(error, spaceKey);
  }
  if (!Array.isArray(answer)) {
    // JSON-RPC reports failures in the body with HTTP 200; the usual one is a missing space admin permission.
    throw new DocentError('credentials_rejected', `Confluence would not tell who may view space ${spaceKey}: ${answer.error?.message ?? 'no reason given'}; the token's user must be an administrator of the space`, {
      retryable: false,
    });
  }
  const viewers = emptyViewers();
  for (const set of answer) {
    if (set.type !== 'VIEWSPACE') continue;
    for (const grant of set.spacePermissions ?? []) {
      if (grant.userName) viewers.users.add(grant.userName.toLowerCase());
      else if (grant.groupName) viewers.groups.add(grant.groupName.toLowerCase());
      else viewers.anonymous = true;
    }
  }
  return viewers;
}

function emptyViewers(): SpaceViewers & { users: Set<string>; groups: Set<string> } {
  return { users: new Set(), groups: new Set(), anonymous: false };
}

function explained(error: unknown, spaceKey: string): unknown {
  if (error instanceof ConfluenceRequestError && error.status === 403) {
    return new ConfluenceRequestError('credentials_rejected', `the token's user may not read who may view space ${spaceKey} (HTTP 403); make it an administrator of the space`, 403, {
      retryable: false,
    });
  }
  return error;
}

/** A user's name from their user key, or undefined for a key that names no one (a deleted user). */
export type UserNameLookup = (userKey: string) => Promise<string | undefined>;

/** Looks user keys up with `GET /rest/api/user?key=`, each key once per run. */
export function userNameLookup(client: ConfluenceClient, signal: AbortSignal): UserNameLookup {
  const known = new Map<string, Promise<string | undefined>>();
  return (userKey) => {
    let name = known.get(userKey);
    if (name === undefined) {
      name = client.getJson<WireUser>('/rest/api/user', { key: userKey }, signal).then(
        (user) => user.username,
        (error: unknown) => {
          if (error instanceof ConfluenceRequestError && error.status === 404) return undefined;
          throw error;
        },
      );
      known.set(userKey, name);
    }
    return name;
  };
}
