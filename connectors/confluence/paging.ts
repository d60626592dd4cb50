import type { ConfluenceClient, Query } from './http-client.js';
import type { WirePage } from './wire-types.js';

/**
 * Walks a paged listing, one batch of results per request, following `_links.next` as
 * the server writes it (start/limit on most resources, a cursor on newer search
 * endpoints): the server knows its own caps better than the `limit` we asked for. Lists
 * without links (restriction subjects, group members on some versions) continue by
 * `start` while a page comes back full.
 */
export async function* walkPages<T>(client: ConfluenceClient, path: string, query: Query, signal: AbortSignal): AsyncGenerator<T[]> {
  let next: { path: string; query: Query } | undefined = { path, query };
  const seen = new Set<string>();
  while (next !== undefined) {
    const url = client.resolve(next.path, next.query).toString();
    if (seen.has(url)) return; // a server repeating its own next link would loop forever
    seen.add(url);
    const page: WirePage<T> = await client.getJson<WirePage<T>>(next.path, next.query, signal);
    const results = page.results ?? [];
    if (results.length > 0) yield results;
    next = followingPage(page, path, query, results.length);
  }
}

function followingPage<T>(page: WirePage<T>, path: string, query: Query, received: number): { path: string; query: Query } | undefined {
  if (page._links?.next !== undefined) return { path: page._links.next, query: {} };
  if (page._links !== undefined || received === 0) return undefined;
  const limit = page.limit ?? Number(query.limit ?? Number.NaN);
  if (!Number.isFinite(limit) || received < limit) return undefined;
  const start = (page.start ?? Number(query.start ?? 0)) + received;
  return { path, query: { ...query, start } };
}
