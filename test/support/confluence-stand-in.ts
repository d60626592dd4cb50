/**
 * A local stand-in of the Confluence Server / Data Center REST API v1 (`/rest/api/...`),
 * a real HTTP server speaking the documented wire format, so the connector's real HTTP
 * client can be tested without a Confluence:
 *
 * - Bearer personal access tokens: anything else is answered 401;
 * - listings as `PageResponse` objects (`results`, `start`, `limit`, `size`, `_links`
 *   with `base`, `context` and a `next` relative to `base`), the server capping `limit`;
 * - `expand` honoured: only expanded fields are sent, others appear under `_expandable`;
 * - `GET /rest/api/content` (by space and type, `current` only), `GET /rest/api/content/{id}`,
 *   `GET /rest/api/content/search` with a CQL subset (`space`, `type`, `id`, `container`,
 *   `lastmodified` compared to the minute, read in the server's time zone, clauses joined
 *   by `and`), child attachments, `/download/attachments/...`;
 * - read restrictions inline (`restrictions.read.restrictions.user`) and by operation
 *   (`/restriction/byOperation/read`, paged by start/limit);
 * - who may view a space as Data Center 9.1+ tells it (`GET /rest/api/space/{key}/permissions`,
 *   users by user key only) or, emulating earlier versions, only through the JSON-RPC
 *   `getSpacePermissionSets`;
 * - users by key, group members, the current user;
 * - a `Date` header from the stand-in's own clock, which tests move;
 * - scripted failures (a 429 with `Retry-After`, a 500 on one page) answered before routing.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInUser {
  username: string;
  userKey: string;
  displayName: string;
  groups: string[];
}

export interface StandInSpace {
  key: string;
  name: string;
  type: 'global' | 'personal';
  /** VIEWSPACE grants. */
  viewers: { users: string[]; groups: string[]; anonymous: boolean };
}

export interface StandInPage {
  id: string;
  spaceKey: string;
  title: string;
  parentId?: string;
  /** Storage-format body. */
  body: string;
  version: number;
  modifiedAt: Date;
  status: 'current' | 'trashed';
  /** Read restriction set on this page itself (user names and group names). */
  restrictions: { users: string[]; groups: string[] };
}

export interface StandInAttachment {
  id: string;
  pageId: string;
  title: string;
  mediaType: string;
  content: Buffer;
  version: number;
  modifiedAt: Date;
  status: 'current' | 'trashed';
}

/** A failure answered instead of the real response to matching requests. */
export interface ScriptedFailure {
  /** Requests whose path (after the context path) starts with this, or matches it. */
  path: string | RegExp;
  status: number;
  headers?: Record<string, string>;
  /** How many matching requests fail; default 1. Infinity for a permanent failure. */
  times?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path after the context path (`/rest/api/content`). */
  path: string;
  query: Record<string, string>;
}

export interface ConfluenceStandInOptions {
  /** The one personal access token accepted. */
  token: string;
  /** The token's owner; an administrator of every space. Default `docent-bot`. */
  serviceUser?: string;
  /** `rest`: Data Center 9.1+ (space permissions over REST). `json-rpc`: earlier versions. Default `rest`. */
  spacePermissionsApi?: 'rest' | 'json-rpc';
  /** Default `/confluence`. */
  contextPath?: string;
  /** The server's cap on `limit`. Default 100. */
  maxLimit?: number;
  /** Users or groups a restriction expansion inlines at most. Default 100. */
  inlineRestrictionLimit?: number;
  /** Attachments a `children.attachment` expansion inlines at most. Default 25. */
  inlineAttachmentLimit?: number;
  /** The server's time zone, as an offset from UTC in minutes (CQL dates are read in it). Default 0. */
  timeZoneOffsetMinutes?: number;
  /** The clock's start. Default 2024-05-01T10:00:00Z. */
  now?: Date;
  /** Whether the token's owner administers every space (needed to read space permissions). Default true. */
  serviceUserIsSpaceAdmin?: boolean;
  /**
   * Answer attachment downloads with a 302 to a second origin (an object store holding the
   * bytes behind a signed URL), as Data Center can with S3 attachment storage. Default false.
   */
  redirectDownloads?: boolean;
}

type Expansion = Map<string, Expansion>;

export class ConfluenceStandIn {
  /** Base URL, context path included, as an admin would configure it. */
  url = '';
  readonly requests: RecordedRequest[] = [];
  readonly failures: ScriptedFailure[] = [];
  readonly users = new Map<string, StandInUser>();
  readonly spaces = new Map<string, StandInSpace>();
  readonly pages = new Map<string, StandInPage>();
  readonly attachments = new Map<string, StandInAttachment>();
  /** The server's clock: every edit is stamped with it and every response's `Date` header shows it. */
  now: Date;
  /** The Authorization header (or undefined) of each request the object store received. */
  readonly objectStoreAuthorizations: Array<string | undefined> = [];
  private objectStore: http.Server | undefined;
  private objectStoreUrl = '';
  private nextId = 65537;
  private readonly server: http.Server;
  private readonly options: Required<Omit<ConfluenceStandInOptions, 'now'>>;

  private constructor(options: ConfluenceStandInOptions) {
    this.options = {
      serviceUser: 'docent-bot',
      spacePermissionsApi: 'rest',
      contextPath: '/confluence',
      maxLimit: 100,
      inlineRestrictionLimit: 100,
      inlineAttachmentLimit: 25,
      timeZoneOffsetMinutes: 0,
      serviceUserIsSpaceAdmin: true,
      redirectDownloads: false,
      ...options,
    };
    this.now = options.now ?? new Date('2024-05-01T10:00:00Z');
    this.server = http.createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) this.sendJson(response, 500, { statusCode: 500, message: String(error) });
        else response.destroy();
      });
    });
    this.addUser(this.options.serviceUser, []);
  }

  static async start(options: ConfluenceStandInOptions): Promise<ConfluenceStandIn> {
    const standIn = new ConfluenceStandIn(options);
    standIn.server.listen(0, '127.0.0.1');
    await once(standIn.server, 'listening');
    const { port } = standIn.server.address() as AddressInfo;
    standIn.url = `http://127.0.0.1:${port}${standIn.options.contextPath}`;
    if (standIn.options.redirectDownloads) await standIn.startObjectStore();
    return standIn;
  }

  async close(): Promise<void> {
    for (const server of [this.server, this.objectStore]) {
      if (server === undefined || !server.listening) continue;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** A second origin serving attachment bytes at signed URLs, which needs no token. */
  private async startObjectStore(): Promise<void> {
    this.objectStore = http.createServer((request, response) => {
      this.objectStoreAuthorizations.push(request.headers.authorization);
      const match = /^\/objects\/([^/?]+)\?signature=ok$/.exec(request.url ?? '');
      const attachment = match === null ? undefined : this.attachments.get(match[1]!);
      if (attachment === undefined) {
        response.writeHead(403, { 'content-type': 'text/plain' });
        response.end('bad signature');
        return;
      }
      response.writeHead(200, { 'content-type': attachment.mediaType, 'content-length': attachment.content.length });
      response.end(attachment.content);
    });
    this.objectStore.listen(0, '127.0.0.1');
    await once(this.objectStore, 'listening');
    this.objectStoreUrl = `http://127.0.0.1:${(this.objectStore.address() as AddressInfo).port}`;
  }

  // ---- the data, as tests arrange it ----

  addUser(username: string, groups: string[]): StandInUser {
    const user = { username, userKey: `key-${username}`, displayName: username.replace(/^./, (letter) => letter.toUpperCase()), groups };
    this.users.set(username, user);
    return user;
  }

  addSpace(key: string, name: string, viewers: Partial<StandInSpace['viewers']>, type: StandInSpace['type'] = 'global'): StandInSpace {
    const space = { key, name, type, viewers: { users: [], groups: [], anonymous: false, ...viewers } };
    this.spaces.set(key, space);
    return space;
  }

  addPage(spaceKey: string, title: string, body: string, options: { parentId?: string; restrictions?: Partial<StandInPage['restrictions']>; modifiedAt?: Date } = {}): StandInPage {
    const page: StandInPage = {
      id: String(this.nextId++),
      spaceKey,
      title,
      body,
      version: 1,
      modifiedAt: options.modifiedAt ?? this.now,
      status: 'current',
      restrictions: { users: [], groups: [], ...options.restrictions },
      ...(options.parentId === undefined ? {} : { parentId: options.parentId }),
    };
    this.pages.set(page.id, page);
    return page;
  }

  /** An edit: a new version stamped with the clock. */
  editPage(id: string, change: { title?: string; body?: string }): StandInPage {
    const page = this.page(id);
    Object.assign(page, change, { version: page.version + 1, modifiedAt: this.now });
    return page;
  }

  /** A restriction change: as in Confluence, no new version and no new modification time. */
  restrictPage(id: string, restrictions: Partial<StandInPage['restrictions']>): void {
    this.page(id).restrictions = { users: [], groups: [], ...restrictions };
  }

  trashPage(id: string): void {
    this.page(id).status = 'trashed';
  }

  addAttachment(pageId: string, title: string, mediaType: string, content: Buffer, modifiedAt: Date = this.now): StandInAttachment {
    const attachment: StandInAttachment = { id: `att${this.nextId++}`, pageId, title, mediaType, content, version: 1, modifiedAt, status: 'current' };
    this.attachments.set(attachment.id, attachment);
    return attachment;
  }

  /** Deletes an attachment: it goes to the trash, out of every listing. */
  trashAttachment(id: string): void {
    const attachment = this.attachments.get(id);
    if (attachment === undefined) throw new Error(`no attachment ${id}`);
    attachment.status = 'trashed';
  }

  advanceMinutes(minutes: number): void {
    this.now = new Date(this.now.getTime() + minutes * 60_000);
  }

  /** Recorded requests whose path starts with the prefix (or matches it). */
  requestsTo(path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((request) => matches(path, request.path));
  }

  private page(id: string): StandInPage {
    const page = this.pages.get(id);
    if (page === undefined) throw new Error(`no page ${id}`);
    return page;
  }

  // ---- HTTP ----

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const context = this.options.contextPath;
    if (!url.pathname.startsWith(context + '/')) return this.sendJson(response, 404, { statusCode: 404, message: 'not found' });
    const path = url.pathname.slice(context.length);
    const query = Object.fromEntries(url.searchParams.entries());
    this.requests.push({ method: request.method ?? 'GET', path, query });
    const body = await readBody(request);

    const failure = this.failures.find((candidate) => matches(candidate.path, path));
    if (failure !== undefined) {
      failure.times = (failure.times ?? 1) - 1;
      if (failure.times <= 0) this.failures.splice(this.failures.indexOf(failure), 1);
      return this.sendJson(response, failure.status, { statusCode: failure.status, message: 'scripted failure' }, failure.headers);
    }
    if (request.headers.authorization !== `Bearer ${this.options.token}`) {
      return this.sendJson(response, 401, { statusCode: 401, message: 'This request requires authentication.' });
    }
    const route = this.route(request.method ?? 'GET', path, query, body);
    if (route === undefined) return this.sendJson(response, 404, { statusCode: 404, message: `No resource at ${path}` });
    if (route.redirect !== undefined) {
      response.writeHead(302, { location: route.redirect, date: this.now.toUTCString() });
      response.end();
      return;
    }
    if (route.bytes !== undefined) {
      response.writeHead(200, { 'content-type': route.mediaType ?? 'application/octet-stream', 'content-length': route.bytes.length, date: this.now.toUTCString() });
      response.end(route.bytes);
      return;
    }
    this.sendJson(response, route.status ?? 200, route.json);
  }

  private route(method: string, path: string, query: Record<string, string>, body: string): { status?: number; json?: unknown; bytes?: Buffer; mediaType?: string; redirect?: string } | undefined {
    let match: RegExpExecArray | null;
    if (method === 'POST' && path === '/rpc/json-rpc/confluenceservice-v2/getSpacePermissionSets') {
      const [spaceKey] = JSON.parse(body) as [string];
      const space = this.spaces.get(spaceKey);
      if (space === undefined) return { json: { error: { code: 0, message: `com.atlassian.confluence.rpc.RemoteException: No space found for space key: ${spaceKey}` } } };
      if (!this.options.serviceUserIsSpaceAdmin) {
        return { json: { error: { code: 0, message: `com.atlassian.confluence.rpc.NotPermittedException: You don't have permission to view the permissions of space ${spaceKey}` } } };
      }
      return { json: this.permissionSets(space) };
    }
    if (method !== 'GET') return undefined;
    if (path === '/rest/api/user/current') return { json: this.userJson(this.users.get(this.options.serviceUser)!) };
    if (path === '/rest/api/user') {
      const user = [...this.users.values()].find((candidate) => candidate.userKey === query.key || candidate.username === query.username);
      return user === undefined ? { status: 404, json: { statusCode: 404, message: 'No user found' } } : { json: this.userJson(user) };
    }
    if ((match = /^\/rest\/api\/group\/([^/]+)\/member$/.exec(path))) {
      const group = decodeURIComponent(match[1]!).toLowerCase();
      const members = [...this.users.values()].filter((user) => user.groups.includes(group));
      const known = members.length > 0 || [...this.spaces.values()].some((space) => space.viewers.groups.includes(group));
      if (!known) return { status: 404, json: { statusCode: 404, message: `No group found with name ${group}` } };
      return { json: this.listing(path, query, members.map((user) => this.userJson(user))) };
    }
    if (path === '/rest/api/space') {
      const spaces = [...this.spaces.values()].filter((space) => query.type === undefined || space.type === query.type);
      return { json: this.listing(path, query, spaces.map((space) => this.spaceJson(space))) };
    }
    if ((match = /^\/rest\/api\/space\/([^/]+)(\/permissions)?$/.exec(path))) {
      const space = this.spaces.get(decodeURIComponent(match[1]!));
      if (space === undefined) return { status: 404, json: { statusCode: 404, message: `No space found with key : ${match[1]}` } };
      if (match[2] === undefined) return { json: this.spaceJson(space) };
      if (this.options.spacePermissionsApi !== 'rest') return undefined;
      if (!this.options.serviceUserIsSpaceAdmin) return { status: 403, json: { statusCode: 403, message: 'User is not permitted to view space permissions' } };
      return { json: this.spacePermissionsJson(space) };
    }
    if (path === '/rest/api/content') {
      const type = query.type ?? 'page';
      const status = query.status ?? 'current';
      const pages = [...this.pages.values()].filter((page) => type === 'page' && page.status === status && (query.spaceKey === undefined || page.spaceKey === query.spaceKey));
      const expansion = parseExpansion(query.expand);
      return { json: this.listing(path, query, pages.map((page) => this.pageJson(page, expansion))) };
    }
    if (path === '/rest/api/content/search') return this.search(path, query);
    if ((match = /^\/rest\/api\/content\/([^/]+)\/child\/attachment$/.exec(path))) {
      const page = this.pages.get(match[1]!);
      if (page === undefined || page.status !== 'current') return { status: 404, json: { statusCode: 404, message: 'No content found' } };
      const expansion = parseExpansion(query.expand);
      return { json: this.listing(path, query, this.attachmentsOf(page).map((attachment) => this.attachmentJson(attachment, expansion))) };
    }
    if ((match = /^\/rest\/api\/content\/([^/]+)\/restriction\/byOperation\/read$/.exec(path))) {
      const page = this.pages.get(match[1]!);
      if (page === undefined) return { status: 404, json: { statusCode: 404, message: 'No content found' } };
      const limit = this.limitOf(query);
      const start = Number(query.start ?? 0);
      return { json: this.restrictionJson(page, start, limit, true) };
    }
    if ((match = /^\/rest\/api\/content\/([^/]+)$/.exec(path))) {
      const page = this.pages.get(match[1]!);
      if (page === undefined || page.status !== (query.status ?? 'current')) return { status: 404, json: { statusCode: 404, message: `No content found with id: ${match[1]}` } };
      return { json: this.pageJson(page, parseExpansion(query.expand)) };
    }
    if ((match = /^\/download\/attachments\/([^/]+)\/([^/]+)$/.exec(path))) {
      const title = decodeURIComponent(match[2]!);
      const attachment = [...this.attachments.values()].find((candidate) => candidate.pageId === match![1] && candidate.title === title && candidate.status === 'current');
      if (attachment === undefined) return { status: 404, json: { statusCode: 404, message: 'attachment not found' } };
      if (this.options.redirectDownloads) return { redirect: `${this.objectStoreUrl}/objects/${attachment.id}?signature=ok` };
      return { bytes: attachment.content, mediaType: attachment.mediaType };
    }
    return undefined;
  }

  private search(path: string, query: Record<string, string>): { status?: number; json: unknown } {
    let clauses: CqlClause[];
    try {
      clauses = parseCql(query.cql ?? '');
    } catch (error) {
      return { status: 400, json: { statusCode: 400, message: `Could not parse cql : ${query.cql} (${(error as Error).message})` } };
    }
    const expansion = parseExpansion(query.expand);
    const candidates: Array<{ type: string; spaceKey: string; id: string; container?: string; modifiedAt: Date; json: () => unknown }> = [
      ...[...this.pages.values()]
        .filter((page) => page.status === 'current')
        .map((page) => ({ type: 'page', spaceKey: page.spaceKey, id: page.id, modifiedAt: page.modifiedAt, json: () => this.pageJson(page, expansion) })),
      ...[...this.attachments.values()]
        .filter((attachment) => attachment.status === 'current' && this.pages.get(attachment.pageId)?.status === 'current')
        .map((attachment) => ({
          type: 'attachment',
          spaceKey: this.pages.get(attachment.pageId)!.spaceKey,
          id: attachment.id,
          container: attachment.pageId,
          modifiedAt: attachment.modifiedAt,
          json: () => this.attachmentJson(attachment, expansion),
        })),
    ];
    const found = candidates.filter((candidate) =>
      clauses.every((clause) => {
        switch (clause.field) {
          case 'space':
            return compare(candidate.spaceKey, clause);
          case 'type':
            return compare(candidate.type, clause);
          case 'id':
            return compare(candidate.id, clause);
          case 'container':
            return candidate.container !== undefined && compare(candidate.container, clause);
          case 'lastmodified':
            return compareTimes(candidate.modifiedAt.getTime(), this.cqlInstant(clause.value), clause.operator);
          default:
            return false;
        }
      }),
    );
    const listing = this.listing(path, query, found.map((candidate) => candidate.json())) as Record<string, unknown>;
    return { json: { ...listing, totalSize: found.length, cqlQuery: query.cql, searchDuration: 3 } };
  }

  /** A CQL date ("yyyy-MM-dd HH:mm" or "yyyy-MM-dd") read in the server's zone. */
  private cqlInstant(value: string): number {
    const match = /^(\d{4})[-/](\d{2})[-/](\d{2})(?: (\d{2}):(\d{2}))?$/.exec(value);
    if (match === null) throw new Error(`bad date ${value}`);
    const [, year, month, day, hour = '00', minute = '00'] = match;
    return Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute)) - this.options.timeZoneOffsetMinutes * 60_000;
  }

  // ---- JSON shapes ----

  private get base(): string {
    return this.url;
  }

  private listing(path: string, query: Record<string, string>, all: unknown[]): unknown {
    const start = Number(query.start ?? 0);
    const limit = this.limitOf(query);
    const results = all.slice(start, start + limit);
    const links: Record<string, string> = { base: this.base, context: this.options.contextPath, self: `${this.base}${path}` };
    if (start + limit < all.length) {
      const next = new URLSearchParams({ ...query, start: String(start + limit), limit: String(limit) });
      links.next = `${path}?${next.toString()}`;
    }
    return { results, start, limit, size: results.length, _links: links };
  }

  private limitOf(query: Record<string, string>): number {
    const asked = Number(query.limit ?? 25);
    return Math.max(1, Math.min(Number.isFinite(asked) ? asked : 25, this.options.maxLimit));
  }

  private userJson(user: StandInUser): unknown {
    return {
      type: 'known',
      username: user.username,
      userKey: user.userKey,
      profilePicture: { path: '/images/icons/profilepics/default.svg', width: 48, height: 48, isDefault: true },
      displayName: user.displayName,
      _links: { self: `${this.base}/rest/api/user?key=${user.userKey}` },
      _expandable: { status: '' },
    };
  }

  private spaceJson(space: StandInSpace): unknown {
    return {
      id: 98305 + [...this.spaces.keys()].indexOf(space.key),
      key: space.key,
      name: space.name,
      type: space.type,
      _links: { webui: `/display/${space.key}`, self: `${this.base}/rest/api/space/${space.key}` },
      _expandable: { metadata: '', icon: '', description: '', homepage: `/rest/api/content/65536` },
    };
  }

  private spacePermissionsJson(space: StandInSpace): unknown[] {
    const read = { targetType: 'space', operationKey: 'read' };
    const grants: unknown[] = [
      ...space.viewers.groups.map((name) => ({ operation: read, subject: { type: 'group', name }, spaceKey: space.key, spaceId: 98305 })),
      ...space.viewers.users.map((username) => ({ operation: read, subject: { type: 'user', userKey: this.users.get(username)?.userKey ?? `missing-${username}` }, spaceKey: space.key, spaceId: 98305 })),
      ...(space.viewers.anonymous ? [{ operation: read, subject: { type: 'anonymous' }, spaceKey: space.key, spaceId: 98305 }] : []),
    ];
    // Other operations, granted to the service user, which must not be read as view grants.
    const service = this.users.get(this.options.serviceUser)!;
    for (const operation of [{ targetType: 'space', operationKey: 'administer' }, { targetType: 'page', operationKey: 'create' }]) {
      grants.push({ operation, subject: { type: 'user', userKey: service.userKey }, spaceKey: space.key, spaceId: 98305 });
      grants.push({ operation, subject: { type: 'group', name: 'space-editors' }, spaceKey: space.key, spaceId: 98305 });
    }
    return grants;
  }

  private permissionSets(space: StandInSpace): unknown[] {
    const view = [
      ...space.viewers.users.map((userName) => ({ type: 'VIEWSPACE', userName, groupName: null })),
      ...space.viewers.groups.map((groupName) => ({ type: 'VIEWSPACE', userName: null, groupName })),
      ...(space.viewers.anonymous ? [{ type: 'VIEWSPACE', userName: null, groupName: null }] : []),
    ];
    return [
      { type: 'VIEWSPACE', spacePermissions: view },
      { type: 'EDITSPACE', spacePermissions: [{ type: 'EDITSPACE', userName: null, groupName: 'space-editors' }] },
      { type: 'SETSPACEPERMISSIONS', spacePermissions: [{ type: 'SETSPACEPERMISSIONS', userName: this.options.serviceUser, groupName: null }] },
    ];
  }

  private ancestorsOf(page: StandInPage): StandInPage[] {
    const chain: StandInPage[] = [];
    let parentId = page.parentId;
    while (parentId !== undefined) {
      const parent = this.pages.get(parentId);
      if (parent === undefined) break;
      chain.unshift(parent);
      parentId = parent.parentId;
    }
    return chain;
  }

  private attachmentsOf(page: StandInPage): StandInAttachment[] {
    return [...this.attachments.values()].filter((attachment) => attachment.pageId === page.id && attachment.status === 'current');
  }

  private pageJson(page: StandInPage, expansion: Expansion): unknown {
    const json: Record<string, unknown> = {
      id: page.id,
      type: 'page',
      status: page.status,
      title: page.title,
      extensions: { position: 'none' },
      _links: {
        webui: `/display/${page.spaceKey}/${encodeURIComponent(page.title).replace(/%20/g, '+')}`,
        edit: `/pages/resumedraft.action?draftId=${page.id}`,
        tinyui: `/x/${Buffer.from(page.id).toString('base64url')}`,
        self: `${this.base}/rest/api/content/${page.id}`,
      },
    };
    const expandable: Record<string, string> = {};
    const field = (name: string, value: () => unknown, link: string) => {
      if (expansion.has(name)) json[name] = value();
      else expandable[name] = link;
    };
    field('space', () => this.spaceJson(this.spaces.get(page.spaceKey)!), `/rest/api/space/${page.spaceKey}`);
    field('version', () => this.versionJson(page.version, page.modifiedAt), '');
    field('ancestors', () => this.ancestorsOf(page).map((ancestor) => this.pageJson(ancestor, expansion.get('ancestors')!)), '');
    field('body', () => this.bodyJson(page, expansion.get('body')!), '');
    field('restrictions', () => this.restrictionsJson(page, expansion.get('restrictions')!), `/rest/api/content/${page.id}/restriction/byOperation`);
    field('children', () => this.childrenJson(page, expansion.get('children')!), `/rest/api/content/${page.id}/child`);
    json._expandable = { ...expandable, history: `/rest/api/content/${page.id}/history`, container: `/rest/api/space/${page.spaceKey}`, metadata: '', operations: '', descendants: `/rest/api/content/${page.id}/descendant` };
    return json;
  }

  private versionJson(number: number, when: Date): unknown {
    return {
      by: this.userJson(this.users.get(this.options.serviceUser)!),
      when: withOffset(when, this.options.timeZoneOffsetMinutes),
      message: '',
      number,
      minorEdit: false,
      hidden: false,
      _expandable: { content: '' },
    };
  }

  private bodyJson(page: StandInPage, expansion: Expansion): unknown {
    const body: Record<string, unknown> = {};
    if (expansion.has('storage')) body.storage = { value: page.body, representation: 'storage', _expandable: { content: `/rest/api/content/${page.id}` } };
    // export_view is Confluence's rendering; the stand-in renders macros by dropping their markup.
    if (expansion.has('export_view')) body.export_view = { value: renderExportView(page.body), representation: 'storage', _expandable: { content: `/rest/api/content/${page.id}` } };
    body._expandable = { editor: '', view: '', export_view: '', styled_view: '', storage: '', anonymous_export_view: '' };
    return body;
  }

  private restrictionsJson(page: StandInPage, expansion: Expansion): unknown {
    const json: Record<string, unknown> = { _links: { self: `${this.base}/rest/api/content/${page.id}/restriction/byOperation` } };
    if (expansion.has('read')) {
      const inner = expansion.get('read')!.get('restrictions');
      json.read = this.restrictionJson(page, 0, this.options.inlineRestrictionLimit, false, inner);
    } else {
      json._expandable = { read: `/rest/api/content/${page.id}/restriction/byOperation/read` };
    }
    json._expandable = { ...(json._expandable as object), update: `/rest/api/content/${page.id}/restriction/byOperation/update` };
    return json;
  }

  /** A read restriction; users and groups paged together by start/limit. */
  private restrictionJson(page: StandInPage, start: number, limit: number, expandAll: boolean, expansion?: Expansion): unknown {
    const subjects: Record<string, unknown> = {};
    const expandable: Record<string, string> = {};
    const users = page.restrictions.users.map((username) => this.userJson(this.users.get(username) ?? { username, userKey: `missing-${username}`, displayName: username, groups: [] }));
    const groups = page.restrictions.groups.map((name) => ({ type: 'group', name, _links: { self: `${this.base}/rest/api/group/${name}` } }));
    const slice = (items: unknown[]) => {
      const results = items.slice(start, start + limit);
      return { results, start, limit, size: results.length };
    };
    if (expandAll || expansion?.has('user') === true) subjects.user = slice(users);
    else expandable.user = `/rest/api/content/${page.id}/restriction/byOperation/read/user`;
    if (expandAll || expansion?.has('group') === true) subjects.group = slice(groups);
    else expandable.group = `/rest/api/content/${page.id}/restriction/byOperation/read/group`;
    return {
      operation: 'read',
      restrictions: { ...subjects, _expandable: expandable },
      _expandable: { content: `/rest/api/content/${page.id}` },
      _links: { self: `${this.base}/rest/api/content/${page.id}/restriction/byOperation/read`, base: this.base, context: this.options.contextPath },
    };
  }

  private childrenJson(page: StandInPage, expansion: Expansion): unknown {
    const json: Record<string, unknown> = { _links: { self: `${this.base}/rest/api/content/${page.id}/child` } };
    const expandable: Record<string, string> = { page: `/rest/api/content/${page.id}/child/page`, comment: `/rest/api/content/${page.id}/child/comment` };
    if (expansion.has('attachment')) {
      const all = this.attachmentsOf(page);
      const limit = this.options.inlineAttachmentLimit;
      const results = all.slice(0, limit).map((attachment) => this.attachmentJson(attachment, expansion.get('attachment')!));
      const links: Record<string, string> = { self: `${this.base}/rest/api/content/${page.id}/child/attachment` };
      if (all.length > limit) links.next = `/rest/api/content/${page.id}/child/attachment?limit=${limit}&start=${limit}`;
      json.attachment = { results, start: 0, limit, size: results.length, _links: links };
    } else {
      expandable.attachment = `/rest/api/content/${page.id}/child/attachment`;
    }
    json._expandable = expandable;
    return json;
  }

  private attachmentJson(attachment: StandInAttachment, expansion: Expansion): unknown {
    const page = this.pages.get(attachment.pageId)!;
    const fileName = encodeURIComponent(attachment.title);
    const json: Record<string, unknown> = {
      id: attachment.id,
      type: 'attachment',
      status: attachment.status,
      title: attachment.title,
      metadata: { mediaType: attachment.mediaType, comment: '', _expandable: { currentuser: '', properties: '', frontend: '', labels: '' } },
      extensions: { mediaType: attachment.mediaType, fileSize: attachment.content.length, comment: '' },
      _links: {
        webui: `/pages/viewpageattachments.action?pageId=${page.id}&preview=${encodeURIComponent(`/${page.id}/${attachment.id}/${attachment.title}`)}`,
        download: `/download/attachments/${page.id}/${fileName}?version=${attachment.version}&modificationDate=${attachment.modifiedAt.getTime()}&api=v2`,
        self: `${this.base}/rest/api/content/${attachment.id}`,
      },
    };
    if (expansion.has('version')) json.version = this.versionJson(attachment.version, attachment.modifiedAt);
    if (expansion.has('container')) json.container = this.pageJson(page, new Map());
    json._expandable = { ...(expansion.has('version') ? {} : { version: '' }), ...(expansion.has('container') ? {} : { container: `/rest/api/content/${page.id}` }), space: `/rest/api/space/${page.spaceKey}` };
    return json;
  }

  private sendJson(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    response.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', date: this.now.toUTCString(), ...headers });
    response.end(JSON.stringify(body));
  }
}

function matches(pattern: string | RegExp, path: string): boolean {
  return typeof pattern === 'string' ? path.startsWith(pattern) : pattern.test(path);
}

async function readBody(request: http.IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

/** `a.b,a.c,d` as a tree: {a: {b, c}, d}. */
function parseExpansion(expand: string | undefined): Expansion {
  const root: Expansion = new Map();
  for (const path of (expand ?? '').split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    let node = root;
    for (const name of path.split('.')) {
      if (!node.has(name)) node.set(name, new Map());
      node = node.get(name)!;
    }
  }
  return root;
}

interface CqlClause {
  field: string;
  operator: string;
  value: string;
}

/** The CQL subset the connector uses: `field op value` clauses joined by `and`. */
function parseCql(cql: string): CqlClause[] {
  const clauses: CqlClause[] = [];
  const pattern = /\s*([A-Za-z.]+)\s*(>=|<=|!=|=|>|<)\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^\s"']+)\s*(?:(and)\b|$)/iy;
  let position = 0;
  while (position < cql.length) {
    pattern.lastIndex = position;
    const match = pattern.exec(cql);
    if (match === null) throw new Error(`unexpected text at ${position}`);
    const raw = match[3]!;
    const value = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw.startsWith("'") ? raw.slice(1, -1) : raw;
    const field = match[1]!.toLowerCase();
    if (!['space', 'type', 'id', 'container', 'lastmodified'].includes(field)) throw new Error(`unsupported field ${field}`);
    clauses.push({ field, operator: match[2]!, value });
    position = pattern.lastIndex;
    if (match[4] === undefined && position < cql.length) throw new Error(`expected and at ${position}`);
  }
  if (clauses.length === 0) throw new Error('empty query');
  return clauses;
}

function compare(actual: string, clause: CqlClause): boolean {
  if (clause.operator === '=') return actual === clause.value;
  if (clause.operator === '!=') return actual !== clause.value;
  throw new Error(`operator ${clause.operator} does not apply to ${clause.field}`);
}

function compareTimes(actual: number, wanted: number, operator: string): boolean {
  switch (operator) {
    case '>=':
      return actual >= wanted;
    case '>':
      return actual > wanted;
    case '<=':
      return actual <= wanted;
    case '<':
      return actual < wanted;
    case '=':
      return actual === wanted;
    default:
      return actual !== wanted;
  }
}

/** An instant as Confluence writes it: ISO 8601 with milliseconds and the server's offset. */
function withOffset(instant: Date, offsetMinutes: number): string {
  const local = new Date(instant.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 23);
  if (offsetMinutes === 0) return `${local}Z`;
  const sign = offsetMinutes > 0 ? '+' : '-';
  const absolute = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}:${String(absolute % 60).padStart(2, '0')}`;
}

function renderExportView(storage: string): string {
  return storage
    .replace(/<ac:parameter[^>]*>[\s\S]*?<\/ac:parameter>/g, '')
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;'))
    .replace(/<\/?(?:ac|ri):[^>]*>/g, '');
}
