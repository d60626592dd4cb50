/**
 * Which URLs belong to the crawled site, and the one spelling each page gets, so that
 * `/Docs/?utm_source=mail#top` and `/Docs/` are the same document.
 */
export interface UrlRules {
  /** Query parameter names dropped from URLs; a trailing `*` matches a prefix (`utm_*`). */
  trackingParameters: readonly string[];
  /** Sort the remaining query parameters by name (stable for repeated names). */
  sortQueryParameters: boolean;
  /** What a trailing slash means; see the config's `trailingSlash`. */
  trailingSlash: 'keep' | 'strip' | 'add';
}

export class SiteScope {
  /** `https://intranet.example.com`: scheme, lower-case host and port. */
  readonly origin: string;
  private readonly exactTracking: ReadonlySet<string>;
  private readonly trackingPrefixes: readonly string[];

  constructor(
    origin: string,
    /** Only paths starting with this are in scope; undefined for the whole origin. */
    readonly pathPrefix: string | undefined,
    private readonly rules: UrlRules,
  ) {
    this.origin = new URL(origin).origin;
    const lowerCase = rules.trackingParameters.map((name) => name.toLowerCase());
    this.exactTracking = new Set(lowerCase.filter((name) => !name.endsWith('*')));
    this.trackingPrefixes = lowerCase.filter((name) => name.endsWith('*')).map((name) => name.slice(0, -1));
  }

  /**
   * The URL to request for a link found at `base`, or undefined when it is not a web
   * page address (`mailto:`, `javascript:`, malformed): absolute, with lower-case scheme
   * and host and no default port (the WHATWG URL parser's doing), without the fragment,
   * user info, tracking parameters or an empty query. Otherwise as linked: a server may
   * tell `/a` from `/a/`, so only {@link identify} goes further.
   */
  resolve(link: string, base?: string): string | undefined {
    let url: URL;
    try {
      url = base === undefined ? new URL(link.trim()) : new URL(link.trim(), base);
    } catch {
      return undefined;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    url.hash = '';
    url.username = '';
    url.password = '';
    const parameters = [...url.searchParams];
    const kept = parameters.filter(([name]) => !this.isTracking(name));
    if (kept.length !== parameters.length) url.search = new URLSearchParams(kept).toString();
    if (url.search === '?' || url.search === '') url.search = '';
    return url.href;
  }

  /**
   * The one spelling of a page, its identity in document ids and checkpoints, for a URL
   * from {@link resolve}: query parameters sorted and the trailing slash rule applied, as
   * configured. Never requested as such (`/a.html/` need not exist).
   */
  identify(resolvedUrl: string): string {
    const url = new URL(resolvedUrl);
    if (this.rules.sortQueryParameters && url.search !== '') {
      const sorted = [...url.searchParams].sort(([first], [second]) => (first < second ? -1 : first > second ? 1 : 0));
      url.search = new URLSearchParams(sorted).toString();
    }
    url.pathname = this.applyTrailingSlash(url.pathname);
    return url.href;
  }

  /** {@link identify} of {@link resolve}. */
  normalise(link: string, base?: string): string | undefined {
    const resolved = this.resolve(link, base);
    return resolved === undefined ? undefined : this.identify(resolved);
  }

  /** Same origin and, when a prefix is set, under it. Takes a resolved URL. */
  contains(resolvedUrl: string): boolean {
    const url = new URL(resolvedUrl);
    if (url.origin !== this.origin) return false;
    return this.pathPrefix === undefined || url.pathname.startsWith(this.pathPrefix);
  }

  /** Same origin, whatever the path: where redirects and canonical links may point. */
  isSameSite(resolvedUrl: string): boolean {
    return new URL(resolvedUrl).origin === this.origin;
  }

  private isTracking(name: string): boolean {
    const lower = name.toLowerCase();
    return this.exactTracking.has(lower) || this.trackingPrefixes.some((prefix) => lower.startsWith(prefix));
  }

  private applyTrailingSlash(pathname: string): string {
    if (pathname === '/' || this.rules.trailingSlash === 'keep') return pathname;
    if (this.rules.trailingSlash === 'strip') return pathname.replace(/\/+$/, '') || '/';
    return pathname.endsWith('/') ? pathname : `${pathname}/`;
  }
}
