/**
 * The slices of Confluence Server / Data Center REST API v1 JSON this connector reads, as
 * the server sends them (`/rest/api/...`, Confluence 7.x to 9.x). Fields are optional
 * where the server leaves them out unless asked for with `expand`.
 */

/** Links that come with every entity and every page of results. */
export interface WireLinks {
  /** Absolute address of the site, context path included (`https://wiki.example.com/confluence`). */
  base?: string;
  /** Context path (`/confluence`), or empty. */
  context?: string;
  /** The next page of results, relative to `base`; absent on the last page. */
  next?: string;
  /** Page a person opens, relative to `base` (`/display/ENG/Runbook`). */
  webui?: string;
  /** An attachment's bytes, relative to `base` (`/download/attachments/123/a.pdf?version=2&api=v2`). */
  download?: string;
  self?: string;
}

/** One page of a listing (`PageResponse`): the paging fields of every list in this API. */
export interface WirePage<T> {
  results: T[];
  /** Index of the first result. */
  start?: number;
  /** Most results this page could hold (the server's cap may be below the `limit` asked for). */
  limit?: number;
  /** Results in this page. */
  size?: number;
  _links?: WireLinks;
}

/** A user as the REST API shows one (`type` is `known`, `anonymous` or `unknown`). */
export interface WireUser {
  type?: string;
  /** Login name: what Docent's principals use. */
  username?: string;
  /** Stable internal key; space permissions on 9.1+ name users by it alone. */
  userKey?: string;
  displayName?: string;
}

export interface WireGroup {
  type?: 'group';
  name: string;
}

/** Who a restriction admits, for one operation (`read`). */
export interface WireRestriction {
  operation?: string;
  restrictions?: {
    user?: WirePage<WireUser>;
    group?: WirePage<WireGroup>;
  };
}

export interface WireVersion {
  /** Starts at 1, grows with every edit; restriction changes leave it alone. */
  number: number;
  /** ISO 8601 with the server's offset. */
  when?: string;
  by?: WireUser;
}

export interface WireSpace {
  key: string;
  name?: string;
  type?: 'global' | 'personal';
  status?: string;
  _links?: WireLinks;
}

/** A page, blog post or attachment (`Content`). */
export interface WireContent {
  id: string;
  type: string;
  status?: string;
  title: string;
  space?: WireSpace;
  version?: WireVersion;
  /** Root first; each expandable like the content itself. */
  ancestors?: WireContent[];
  body?: {
    storage?: { value: string; representation?: string };
    export_view?: { value: string; representation?: string };
  };
  /** Expanded with `restrictions.read.restrictions.user,restrictions.read.restrictions.group`. */
  restrictions?: { read?: WireRestriction };
  /** Expanded with `children.attachment`. */
  children?: { attachment?: WirePage<WireContent> };
  /** An attachment's page, expanded with `container`. */
  container?: WireContent;
  /** An attachment's media type and size. */
  extensions?: { mediaType?: string; fileSize?: number; comment?: string };
  metadata?: { mediaType?: string };
  _links?: WireLinks;
}

/** One space permission from `GET /rest/api/space/{key}/permissions` (Data Center 9.1+). */
export interface WireSpacePermission {
  operation: { operationKey: string; targetType: string };
  /** `{type: "group", name}`, `{type: "user", userKey}` or `{type: "anonymous"}`. */
  subject: { type: string; name?: string; userKey?: string; username?: string };
  spaceKey?: string;
}

/** One permission set from the JSON-RPC `getSpacePermissionSets` (Confluence 7.x to 9.0). */
export interface WireSpacePermissionSet {
  /** `VIEWSPACE`, `EDITSPACE`, ... */
  type: string;
  /** A grant to a user (`userName`), a group (`groupName`), or anonymous users (both null). */
  spacePermissions: Array<{ type?: string; userName: string | null; groupName: string | null }>;
}
