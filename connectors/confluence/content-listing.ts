import type { ConfluenceClient } from './http-client.js';
import { walkPages } from './paging.js';
import type { WireContent, WireSpace } from './wire-types.js';

/** What a listing asks for along with each page. */
export interface ListingOptions {
  /** Extra expansions (`version`, restrictions, `children.attachment`, ...). */
  expand: string[];
  pageSize: number;
}

/** The keys of the spaces the token's user can see: global ones, and personal ones when asked. */
export async function* listSpaceKeys(client: ConfluenceClient, includePersonal: boolean, pageSize: number, signal: AbortSignal): AsyncGenerator<WireSpace> {
  for await (const spaces of walkPages<WireSpace>(client, '/rest/api/space', { type: includePersonal ? undefined : 'global', start: 0, limit: pageSize }, signal)) {
    yield* spaces;
  }
}

/**
 * Every current page of a space, paged with start/limit. Trashed and draft pages are not
 * `current` and so are absent, which is how deletion finds them.
 */
export async function* listPages(client: ConfluenceClient, spaceKey: string, options: ListingOptions, signal: AbortSignal): AsyncGenerator<WireContent> {
  const query = { spaceKey, type: 'page', status: 'current', expand: options.expand.join(','), start: 0, limit: options.pageSize };
  for await (const pages of walkPages<WireContent>(client, '/rest/api/content', query, signal)) yield* pages;
}

/** Content found by a CQL query, paged as the search resource pages it. */
export async function* searchContent(client: ConfluenceClient, cql: string, options: ListingOptions, signal: AbortSignal): AsyncGenerator<WireContent> {
  const query = { cql, expand: options.expand.join(','), start: 0, limit: options.pageSize };
  for await (const results of walkPages<WireContent>(client, '/rest/api/content/search', query, signal)) yield* results;
}

/**
 * A page's attachments. A listing expanded with `children.attachment` brings the first
 * ones inline; when that list may go on, the page's attachment resource is walked from
 * the start instead.
 */
export async function* attachmentsOf(client: ConfluenceClient, page: WireContent, pageSize: number, signal: AbortSignal): AsyncGenerator<WireContent> {
  const inline = page.children?.attachment;
  const complete = inline !== undefined && inline._links?.next === undefined && (inline.limit === undefined || inline.results.length < inline.limit);
  if (complete) {
    yield* inline.results;
    return;
  }
  const query = { expand: 'version', start: 0, limit: pageSize };
  for await (const attachments of walkPages<WireContent>(client, `/rest/api/content/${encodeURIComponent(page.id)}/child/attachment`, query, signal)) yield* attachments;
}

/** Whether an attachment's file name ends in one of the indexed extensions. */
export function isIndexedAttachment(attachment: WireContent, extensions: ReadonlySet<string>): boolean {
  const match = /\.([A-Za-z0-9]+)$/.exec(attachment.title);
  return match !== null && extensions.has(match[1]!.toLowerCase());
}
