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
   * The normal form of a link found at `base`, or undefined when it is not a web page
   * address (`mailto:`, `javascript:`, malformed). Lower-case scheme and host and the
   * default port come from the WHATWG URL parser; the fragment, tracking parameters and
   * an empty query go; the rest follows the configured rules.
   */
  normalise(link: string, base?: string): string | undefined {
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
    const kept = [...url.searchParams].filter(([name]) => !this.isTracking(name));
    if (this.rules.sortQueryParameters) kept.sort(([first], [second]) => (first < second ? -1 : first > second ? 1 : 0));
    url.search = kept.length === 0 ? '' : new URLSearchParams(kept).toString();
    url.pathname = this.applyTrailingSlash(url.pathname);
    return url.href;
  }

  /** Same origin and, when a prefix is set, under it. Takes a normalised URL. */
  contains(normalisedUrl: string): boolean {
    const url = new URL(normalisedUrl);
    if (url.origin !== this.origin) return false;
    return this.pathPrefix === undefined || url.pathname.startsWith(this.pathPrefix);
  }

  /** Same origin, whatever the path: where redirects and canonical links may point. */
  isSameSite(normalisedUrl: string): boolean {
    return new URL(normalisedUrl).origin === this.origin;
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
