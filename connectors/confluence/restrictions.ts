import type { ReadLevel } from './effective-readers.js';
import type { ConfluenceClient } from './http-client.js';
import type { WireContent, WirePage, WireRestriction } from './wire-types.js';

/** Expansions that bring a content's read restrictions, and its ancestors', along with it in a listing. */
export const restrictionExpansions = [
  'restrictions.read.restrictions.user',
  'restrictions.read.restrictions.group',
  'ancestors.restrictions.read.restrictions.user',
  'ancestors.restrictions.read.restrictions.group',
];

/**
 * A content's read restriction. Listings carry it inline (see {@link restrictionExpansions}),
 * so restrictions cost nothing beyond the listing itself; only when the inline lists are
 * missing or look cut short (a page as full as its limit, or a `next` link) is the full
 * restriction read from `GET /rest/api/content/{id}/restriction/byOperation/read`, page by
 * page, once per content per run.
 */
export class RestrictionReader {
  private readonly fetched = new Map<string, Promise<ReadLevel>>();
  /** Contents whose restriction needed its own requests: for the run log and tests. */
  fetchedCount = 0;

  constructor(
    private readonly client: ConfluenceClient,
    private readonly pageSize: number,
    private readonly signal: AbortSignal,
  ) {}

  /** The read levels on the way down to `content`: each ancestor's, root first, then its own. */
  async levelsOf(content: WireContent): Promise<ReadLevel[]> {
    return Promise.all([...(content.ancestors ?? []), content].map((item) => this.levelOf(item)));
  }

  async levelOf(content: WireContent): Promise<ReadLevel> {
    const inline = inlineLevel(content.restrictions?.read);
    if (inline !== undefined) return inline;
    let level = this.fetched.get(content.id);
    if (level === undefined) {
      this.fetchedCount++;
      level = this.fetch(content.id);
      this.fetched.set(content.id, level);
    }
    return level;
  }

  private async fetch(contentId: string): Promise<ReadLevel> {
    const users = new Set<string>();
    const groups = new Set<string>();
    let restricted = false;
    // start and limit page the users and the groups of a restriction together.
    for (let start = 0; ; start += this.pageSize) {
      const restriction = await this.client.getJson<WireRestriction>(
        `/rest/api/content/${encodeURIComponent(contentId)}/restriction/byOperation/read`,
        { expand: 'restrictions.user,restrictions.group', start, limit: this.pageSize },
        this.signal,
      );
      const userPage = restriction.restrictions?.user;
      const groupPage = restriction.restrictions?.group;
      for (const user of userPage?.results ?? []) if (user.username !== undefined) users.add(user.username.toLowerCase());
      for (const group of groupPage?.results ?? []) groups.add(group.name.toLowerCase());
      restricted ||= (userPage?.results.length ?? 0) + (groupPage?.results.length ?? 0) > 0;
      if (!mayContinue(userPage, this.pageSize) && !mayContinue(groupPage, this.pageSize)) break;
    }
    return { users, groups, restricted };
  }
}

/** The level a listing brought inline, or undefined when it is missing or possibly incomplete. */
function inlineLevel(restriction: WireRestriction | undefined): ReadLevel | undefined {
  const userPage = restriction?.restrictions?.user;
  const groupPage = restriction?.restrictions?.group;
  if (userPage?.results === undefined || groupPage?.results === undefined) return undefined;
  if (mayContinue(userPage) || mayContinue(groupPage)) return undefined;
  return {
    users: new Set(userPage.results.flatMap((user) => (user.username === undefined ? [] : [user.username.toLowerCase()]))),
    groups: new Set(groupPage.results.map((group) => group.name.toLowerCase())),
    restricted: userPage.results.length + groupPage.results.length > 0,
  };
}

function mayContinue<T>(page: WirePage<T> | undefined, limit = page?.limit): boolean {
  if (page === undefined) return false;
  if (page._links?.next !== undefined) return true;
  return limit !== undefined && page.results.length > 0 && page.results.length >= limit;
}
