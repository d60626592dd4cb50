import { createHash } from 'node:crypto';
import type { Principal } from '../../src/core/access.js';
import type { Connector, ConnectorEnvironment, ConnectorItem, SyncContext } from '../../src/core/connector.js';
import { connectorSourceId } from '../../src/core/connector.js';
import { DocentError, describeError, isDocentError } from '../../src/core/errors.js';
import { formatBytes } from '../../src/core/format-bytes.js';
import { secretFromEnvironment } from '../config-fields.js';
import { mapConcurrently } from './bounded-concurrency.js';
import type { ConfluenceConfig } from './config.js';
import { attachmentsOf, isIndexedAttachment, listPages, listSpaceKeys, searchContent } from './content-listing.js';
import { cqlDate, modifiedSinceQuery } from './cql.js';
import { attachmentDocumentId, attachmentVersion, pageDocumentId, pageVersion } from './document-versions.js';
import { effectiveReaders, type GroupMembers, type SpaceViewers } from './effective-readers.js';
import { groupMembersReader } from './group-members.js';
import { ConfluenceClient, ConfluenceRequestError } from './http-client.js';
import { pageHtml } from './page-html.js';
import { RestrictionReader, restrictionExpansions } from './restrictions.js';
import { defaultRetryPolicy } from './retry-policy.js';
import { readSpaceViewers, userNameLookup, type UserNameLookup } from './space-viewers.js';
import type { WireContent, WireSpace, WireUser } from './wire-types.js';

export const confluenceKind = 'confluence';

/** The bookmark between runs, in the server's clock (ISO 8601), never ours. */
export type ConfluenceCheckpoint = {
  /** When the run that wrote it began: the next incremental run asks for changes since then, less a margin. */
  startedAt: string;
  /** When the latest full scan began, which re-read every page's readers. */
  fullScanAt: string;
  /** The spaces covered by that full scan and the incremental runs since: a space added later gets a full scan of its own. */
  spaces: string[];
  /** A digest of the settings that decide which documents exist and their bytes; a change forces a full scan. */
  scope: string;
};

/** Knobs for tests: a real deployment uses the defaults. */
export interface ConfluenceConnectorOptions {
  /** First retry delay (default 500 ms). */
  retryBaseDelayMs?: number;
}

/** What one load or listing shares while it runs: one client, and lookups made once per run. */
interface Run {
  client: ConfluenceClient;
  signal: AbortSignal;
  restrictions: RestrictionReader;
  groupMembers: GroupMembers;
  userNames: UserNameLookup;
}

/** A space as a run sees it: its key, its name, and who may view it. */
interface SpaceInRun {
  key: string;
  name: string | undefined;
  viewers: SpaceViewers;
}

/**
 * Confluence Server / Data Center through REST API v1 and a personal access token. Pages
 * and their attachments become documents readable by whoever Confluence lets read them:
 * the space's viewers, narrowed by every read restriction on the way down to the page.
 *
 * How often restrictions are re-read: on every full scan, for every page in scope. They
 * arrive inline with the page listing (expansions), so that costs one request per
 * `pageSize` pages plus, per run, one space permission read per space and one member
 * listing per group that a restricted page needs; a page's body is fetched only when its
 * version (edit number + readers) differs from the index's. By default every run is a
 * full scan, so a permission change is applied by the next sync. For very large sites,
 * `fullScanIntervalMinutes` makes the runs between full scans incremental: CQL lists only
 * content modified since the last run, and restriction changes wait for the next full scan.
 */
export class ConfluenceConnector implements Connector<ConfluenceCheckpoint> {
  readonly sourceId: string;
  readonly allowEmpty: boolean;
  private readonly extensions: ReadonlySet<string>;

  constructor(
    private readonly config: ConfluenceConfig,
    private readonly environment: ConnectorEnvironment,
    private readonly options: ConfluenceConnectorOptions = {},
  ) {
    this.sourceId = environment.sourceId ?? connectorSourceId(confluenceKind, environment.name);
    this.allowEmpty = config.allowEmpty;
    this.extensions = new Set(config.attachments.extensions.map((extension) => extension.toLowerCase()));
  }

  async validate(signal: AbortSignal): Promise<void> {
    const run = this.startRun(signal, () => undefined);
    const user = await run.client.getJson<WireUser>('/rest/api/user/current', {}, signal);
    if (user.type === 'anonymous' || user.username === undefined) {
      throw new DocentError('credentials_rejected', `Confluence at ${this.config.baseUrl} took the token for an anonymous user; check the personal access token in ${this.config.tokenEnv}`, {
        retryable: false,
      });
    }
    for (const space of await this.spacesInScope(run)) await this.spaceInRun(run, space);
  }

  async *load(checkpoint: ConfluenceCheckpoint | undefined, context: SyncContext): AsyncGenerator<ConnectorItem, ConfluenceCheckpoint, undefined> {
    try {
      return yield* this.loadSpaces(checkpoint, context);
    } catch (error) {
      if (!context.signal.aborted) throw error;
      // Stopped on purpose: end quietly. The sync keeps no checkpoint from an aborted run;
      // should one be kept anyway, this one claims nothing new.
      context.log('interrupted');
      return checkpoint ?? { startedAt: new Date(0).toISOString(), fullScanAt: new Date(0).toISOString(), spaces: [], scope: this.scopeDigest() };
    }
  }

  private async *loadSpaces(checkpoint: ConfluenceCheckpoint | undefined, context: SyncContext): AsyncGenerator<ConnectorItem, ConfluenceCheckpoint, undefined> {
    const run = this.startRun(context.signal, context.log);
    const spaces = await this.spacesInScope(run);
    const startedAt = run.client.serverTime ?? new Date();
    const scope = this.scopeDigest();
    const fullScanDue = this.isFullScanDue(checkpoint, startedAt, scope);
    const since = checkpoint === undefined ? undefined : cqlDate(new Date(Date.parse(checkpoint.startedAt) - this.config.incrementalMarginMinutes * 60_000), this.config.timeZone);

    for (const wireSpace of spaces) {
      const space = await this.spaceInRun(run, wireSpace);
      const incremental = !fullScanDue && since !== undefined && checkpoint!.spaces.includes(space.key);
      context.log(incremental ? `space ${space.key}: content modified since ${since}` : `space ${space.key}: full scan`);
      const pages = incremental
        ? searchContent(run.client, modifiedSinceQuery(space.key, 'page', since), { expand: this.summaryExpansions(), pageSize: this.config.pageSize }, run.signal)
        : listPages(run.client, space.key, { expand: this.summaryExpansions(), pageSize: this.config.pageSize }, run.signal);
      const pagesDone = new Set<string>();
      for await (const items of mapConcurrently(pages, this.config.concurrency, (page) => {
        pagesDone.add(page.id);
        return this.pageItems(run, space, page, context);
      })) {
        if (run.signal.aborted) throw run.signal.reason;
        yield* items;
      }
      if (incremental && this.config.attachments.enabled) {
        yield* this.attachmentsModifiedSince(run, space, since, pagesDone, context);
      }
    }
    context.log(`${run.client.requestCount} requests to Confluence, ${run.restrictions.fetchedCount} restrictions read on their own`);
    const fullScanAt = fullScanDue ? startedAt.toISOString() : checkpoint!.fullScanAt;
    // Every space of this run is covered now: by an earlier full scan kept up incrementally, or by its own.
    return { startedAt: startedAt.toISOString(), fullScanAt, spaces: spaces.map((space) => space.key).sort(), scope };
  }

  async *listIds(context: SyncContext): AsyncIterable<string> {
    try {
      yield* this.listSpaceIds(context);
    } catch (error) {
      if (context.signal.aborted) throw new DocentError('source_unreachable', 'listing was interrupted; nothing was deleted', { retryable: true, cause: error });
      throw error;
    }
  }

  private async *listSpaceIds(context: SyncContext): AsyncGenerator<string> {
    const run = this.startRun(context.signal, context.log);
    const expand = this.config.attachments.enabled ? ['children.attachment'] : [];
    for (const space of await this.spacesInScope(run)) {
      for await (const page of listPages(run.client, space.key, { expand, pageSize: this.config.pageSize }, run.signal)) {
        yield pageDocumentId(this.sourceId, page.id);
        if (!this.config.attachments.enabled) continue;
        for await (const attachment of attachmentsOf(run.client, page, this.config.pageSize, run.signal)) {
          if (isIndexedAttachment(attachment, this.extensions)) yield attachmentDocumentId(this.sourceId, attachment.id);
        }
      }
    }
  }

  private startRun(signal: AbortSignal, log: (message: string) => void): Run {
    const token = secretFromEnvironment(this.environment.env, this.config.tokenEnv, 'the Confluence personal access token');
    const client = new ConfluenceClient({
      baseUrl: this.config.baseUrl,
      token: token.trim(),
      requestTimeoutMs: this.config.requestTimeoutSeconds * 1000,
      retry: { ...defaultRetryPolicy, maxAttempts: this.config.maxAttempts, baseDelayMs: this.options.retryBaseDelayMs ?? defaultRetryPolicy.baseDelayMs },
    });
    return {
      client,
      signal,
      restrictions: new RestrictionReader(client, this.config.pageSize, signal),
      groupMembers: groupMembersReader(client, this.config.pageSize, signal, log),
      userNames: userNameLookup(client, signal),
    };
  }

  /** The configured spaces (each checked to exist), or every space the token's user can see. */
  private async spacesInScope(run: Run): Promise<WireSpace[]> {
    if (this.config.spaces === undefined) {
      const spaces: WireSpace[] = [];
      for await (const space of listSpaceKeys(run.client, this.config.includePersonalSpaces, this.config.pageSize, run.signal)) spaces.push(space);
      return spaces;
    }
    const spaces: WireSpace[] = [];
    for (const key of this.config.spaces) {
      try {
        spaces.push(await run.client.getJson<WireSpace>(`/rest/api/space/${encodeURIComponent(key)}`, {}, run.signal));
      } catch (error) {
        if (error instanceof ConfluenceRequestError && error.status === 404) {
          throw new DocentError('config_invalid', `Confluence has no space ${key}, or the token's user may not see it`, { retryable: false });
        }
        throw error;
      }
    }
    return spaces;
  }

  private async spaceInRun(run: Run, space: WireSpace): Promise<SpaceInRun> {
    return { key: space.key, name: space.name, viewers: await readSpaceViewers(run.client, space.key, run.signal, run.userNames) };
  }

  private summaryExpansions(): string[] {
    return ['version', 'ancestors', ...restrictionExpansions, ...(this.config.attachments.enabled ? ['children.attachment.version'] : [])];
  }

  private isFullScanDue(checkpoint: ConfluenceCheckpoint | undefined, now: Date, scope: string): boolean {
    if (checkpoint === undefined || this.config.fullScanIntervalMinutes === 0 || checkpoint.scope !== scope) return true;
    const lastFullScan = Date.parse(checkpoint.fullScanAt);
    if (Number.isNaN(lastFullScan) || Number.isNaN(Date.parse(checkpoint.startedAt))) return true;
    return now.getTime() - lastFullScan >= this.config.fullScanIntervalMinutes * 60_000;
  }

  private scopeDigest(): string {
    const { bodyFormat, attachments } = this.config;
    const settings = { bodyFormat, attachments: { ...attachments, extensions: [...this.extensions].sort() }, anonymousAccess: this.config.anonymousAccess };
    return createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 16);
  }

  /** A page's document when its version changed, and its attachments' when theirs did. */
  private async pageItems(run: Run, space: SpaceInRun, page: WireContent, context: SyncContext): Promise<ConnectorItem[]> {
    const documentId = pageDocumentId(this.sourceId, page.id);
    const location = this.webUrl(page);
    let readers: Principal[];
    try {
      readers = await this.readersOf(run, space, page);
    } catch (error) {
      return [this.failure(documentId, location, error, run.signal)];
    }
    const items: ConnectorItem[] = [];
    const version = pageVersion(page.version?.number ?? 0, readers, this.config.bodyFormat);
    if (context.indexedVersion(documentId) !== version) items.push(await this.pageItem(run, space, page, readers, context));
    if (this.config.attachments.enabled) items.push(...(await this.attachmentItems(run, page, readers, context)));
    return items;
  }

  private async readersOf(run: Run, space: SpaceInRun, page: WireContent): Promise<Principal[]> {
    const levels = await run.restrictions.levelsOf(page);
    return effectiveReaders(space.viewers, levels, run.groupMembers, { anonymousIsEveryone: this.config.anonymousAccess === 'everyone' });
  }

  private async pageItem(run: Run, space: SpaceInRun, page: WireContent, readers: Principal[], context: SyncContext): Promise<ConnectorItem> {
    const documentId = pageDocumentId(this.sourceId, page.id);
    const location = this.webUrl(page);
    const format = this.config.bodyFormat;
    try {
      // The body comes with its own version: an edit between the listing and now is indexed as what it is.
      const full = await run.client.getJson<WireContent>(`/rest/api/content/${encodeURIComponent(page.id)}`, { expand: `body.${format},version` }, run.signal);
      const body = full.body?.[format]?.value ?? '';
      const versionNumber = full.version?.number ?? page.version?.number ?? 0;
      const modifiedAt = isoDate(full.version?.when ?? page.version?.when);
      const content = pageHtml({ title: page.title, body, representation: format, ...(space.name === undefined ? {} : { spaceName: space.name }) });
      if (content.byteLength > this.environment.maxDocumentBytes) {
        const limit = this.environment.maxDocumentBytes;
        return { failure: { documentId, location, error: new DocentError('file_too_large', `the page is ${formatBytes(content.byteLength)} as HTML, over the ${formatBytes(limit)} limit (${this.limitSetting(limit)})`) } };
      }
      return {
        document: {
          id: documentId,
          sourceId: this.sourceId,
          uri: location,
          name: `${page.title}.html`,
          content,
          access: readers,
          version: pageVersion(versionNumber, readers, format),
          ...(modifiedAt === undefined ? {} : { modifiedAt }),
        },
      };
    } catch (error) {
      context.log(`page ${page.id} (${page.title}) failed: ${describeError(error)}`);
      return this.failure(documentId, location, error, run.signal);
    }
  }

  private async attachmentItems(run: Run, page: WireContent, readers: Principal[], context: SyncContext): Promise<ConnectorItem[]> {
    const items: ConnectorItem[] = [];
    try {
      for await (const attachment of attachmentsOf(run.client, page, this.config.pageSize, run.signal)) {
        if (!isIndexedAttachment(attachment, this.extensions)) continue;
        const item = await this.attachmentItem(run, page, attachment, readers, context);
        if (item !== undefined) items.push(item);
      }
    } catch (error) {
      items.push(this.failure(`${pageDocumentId(this.sourceId, page.id)}/attachments`, this.webUrl(page), error, run.signal));
    }
    return items;
  }

  private async attachmentItem(run: Run, page: WireContent, attachment: WireContent, readers: Principal[], context: SyncContext): Promise<ConnectorItem | undefined> {
    const documentId = attachmentDocumentId(this.sourceId, attachment.id);
    const version = attachmentVersion(attachment.version?.number ?? 0, readers);
    if (context.indexedVersion(documentId) === version) return undefined;
    const location = this.webUrl(attachment);
    const limit = Math.min(this.config.attachments.maxBytes, this.environment.maxDocumentBytes);
    const size = attachment.extensions?.fileSize;
    if (size !== undefined && size > limit) {
      return { failure: { documentId, location, error: new DocentError('file_too_large', `${attachment.title} is ${formatBytes(size)}, over the ${formatBytes(limit)} limit (${this.limitSetting(limit)})`) } };
    }
    const download = attachment._links?.download;
    if (download === undefined) {
      return { failure: { documentId, location, error: new DocentError('file_unreadable', `Confluence gave no download link for ${attachment.title}`, { retryable: false }) } };
    }
    try {
      const content = await run.client.getBytes(download, limit, run.signal);
      const modifiedAt = isoDate(attachment.version?.when);
      return {
        document: {
          id: documentId,
          sourceId: this.sourceId,
          uri: location,
          name: attachment.title,
          content,
          access: readers,
          version,
          // No parentId: the sync reads it as "embedded in the parent's bytes" and keeps such
          // children while the parent is listed, so an attachment deleted from an unchanged
          // page would never leave the index. Attachments are listed by listIds on their own.
          ...(modifiedAt === undefined ? {} : { modifiedAt }),
        },
      };
    } catch (error) {
      context.log(`attachment ${attachment.id} (${attachment.title}) failed: ${describeError(error)}`);
      return this.failure(documentId, location, error, run.signal);
    }
  }

  /**
   * Incremental runs: attachments added or replaced since `since` on pages that were not
   * themselves modified (adding an attachment does not edit its page). Each such page is
   * read once, for its readers.
   */
  private async *attachmentsModifiedSince(run: Run, space: SpaceInRun, since: string, pagesDone: Set<string>, context: SyncContext): AsyncGenerator<ConnectorItem> {
    const pages = new Map<string, Promise<WireContent | undefined>>();
    const pageOf = (pageId: string) => {
      let page = pages.get(pageId);
      if (page === undefined) {
        page = run.client
          .getJson<WireContent>(`/rest/api/content/${encodeURIComponent(pageId)}`, { expand: ['version', 'ancestors', ...restrictionExpansions].join(',') }, run.signal)
          .catch((error: unknown) => {
            if (error instanceof ConfluenceRequestError && error.status === 404) return undefined; // the page is gone; deletion handles it
            throw error;
          });
        pages.set(pageId, page);
      }
      return page;
    };
    const attachments = searchContent(run.client, modifiedSinceQuery(space.key, 'attachment', since), { expand: ['version', 'container'], pageSize: this.config.pageSize }, run.signal);
    for await (const item of mapConcurrently(attachments, this.config.concurrency, async (attachment): Promise<ConnectorItem | undefined> => {
      const pageId = attachment.container?.id;
      if (pageId === undefined || pagesDone.has(pageId) || !isIndexedAttachment(attachment, this.extensions)) return undefined;
      try {
        const page = await pageOf(pageId);
        if (page === undefined || page.type !== 'page') return undefined;
        const readers = await this.readersOf(run, space, page);
        return await this.attachmentItem(run, page, attachment, readers, context);
      } catch (error) {
        return this.failure(attachmentDocumentId(this.sourceId, attachment.id), this.webUrl(attachment), error, run.signal);
      }
    })) {
      if (run.signal.aborted) throw run.signal.reason;
      if (item !== undefined) yield item;
    }
  }

  /**
   * A failure that belongs to one document, or a rethrow when it is really the whole
   * source failing: the run was stopped, the token was rejected (401), the server keeps
   * rate limiting (429), or it cannot be reached at all. A 5xx, 403 or 404 on one page
   * or attachment, and a body that cannot be converted, stay with that document.
   */
  private failure(documentId: string, location: string, error: unknown, signal: AbortSignal): ConnectorItem {
    if (signal.aborted) throw signal.reason;
    if (error instanceof ConfluenceRequestError && (error.status === undefined || error.status === 401 || error.status === 429)) throw error;
    let documentError: DocentError;
    if (error instanceof ConfluenceRequestError && error.status === 403) {
      documentError = new DocentError('file_unreadable', `the token's user may not read it (${describeError(error)})`, { retryable: false, cause: error });
    } else if (isDocentError(error)) {
      documentError = error;
    } else {
      documentError = new DocentError('file_corrupt', `could not be converted: ${describeError(error)}`, { cause: error });
    }
    return { failure: { documentId, location, error: documentError } };
  }

  /** Where the limit that applied is set, for the admin reading the failure. */
  private limitSetting(limit: number): string {
    if (limit === this.config.attachments.maxBytes && limit < this.environment.maxDocumentBytes) return 'setting attachments.maxBytes of this connector';
    return this.environment.maxDocumentBytesSetting ?? 'the installation\'s document size limit';
  }

  /** The address a person opens: the configured base URL (not the server's idea of itself) plus the web link. */
  private webUrl(content: WireContent): string {
    const link = content._links?.webui ?? `/pages/viewpage.action?pageId=${encodeURIComponent(content.id)}`;
    return `${this.config.baseUrl}${link.startsWith('/') ? '' : '/'}${link}`;
  }
}

function isoDate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
