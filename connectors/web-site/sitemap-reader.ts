import { DocentError, describeError } from '../../src/core/errors.js';
import type { PageFetcher } from './page-fetcher.js';
import { parseSitemap, sitemapMaxBytes } from './sitemap.js';
import type { SiteScope } from './site-scope.js';

export interface SitemapReaderOptions {
  fetcher: PageFetcher;
  scope: SiteScope;
  /** robots.txt's verdict on a URL. */
  allows(url: string): boolean;
  signal: AbortSignal;
}

export interface SitemapReading {
  /** Pages of the site, resolved (see `SiteScope.resolve`), each once, in the order the sitemaps list them. */
  pages: { url: string; lastModified?: number }[];
  /** Sitemaps that were read (resolved URLs). */
  read: string[];
  /** Sitemaps that could not be read, and why. */
  failures: { url: string; error: DocentError }[];
}

// A sitemap index lists sitemaps, which the protocol forbids to be indexes again; one
// more level is tolerated for generators that nest anyway, and no more, so that a loop of
// indexes ends.
const maximumNesting = 2;
// The protocol allows 50,000 sitemaps per index; a site that needs more than this many
// files per run is beyond a one-machine crawler.
const maximumSitemaps = 1000;

/**
 * Reads sitemaps and the sitemaps their indexes name, breadth first, each once. Entries on
 * other sites are ignored (a sitemap may list only its own site's pages).
 */
export async function readSitemaps(locations: string[], options: SitemapReaderOptions): Promise<SitemapReading> {
  const reading: SitemapReading = { pages: [], read: [], failures: [] };
  const pages = new Set<string>();
  const seen = new Set<string>();
  let level: string[] = [...new Set(locations)];
  for (let nesting = 0; level.length > 0 && nesting <= maximumNesting; nesting += 1) {
    const nextLevel: string[] = [];
    for (const url of level) {
      if (seen.has(url) || seen.size >= maximumSitemaps) continue;
      seen.add(url);
      if (!options.allows(url)) {
        reading.failures.push({ url, error: new DocentError('config_invalid', `robots.txt disallows the sitemap ${url}`) });
        continue;
      }
      const outcome = await options.fetcher.fetch(url, {
        maxBytes: sitemapMaxBytes,
        wants: () => true,
        mayFollow: options.allows,
        signal: options.signal,
      });
      if (outcome.kind !== 'fetched') {
        reading.failures.push({ url, error: sitemapError(url, outcome) });
        continue;
      }
      let content;
      try {
        content = parseSitemap(outcome.content, url);
      } catch (error) {
        reading.failures.push({ url, error: error instanceof DocentError ? error : new DocentError('file_corrupt', describeError(error)) });
        continue;
      }
      reading.read.push(url);
      for (const page of content.pages) {
        const resolved = options.scope.resolve(page.url);
        if (resolved !== undefined && options.scope.isSameSite(resolved) && !pages.has(resolved)) {
          pages.add(resolved);
          reading.pages.push(page.lastModified === undefined ? { url: resolved } : { url: resolved, lastModified: page.lastModified });
        }
      }
      for (const sitemap of content.sitemaps) {
        const resolved = options.scope.resolve(sitemap, url);
        if (resolved !== undefined && options.scope.isSameSite(resolved)) nextLevel.push(resolved);
      }
    }
    level = nextLevel;
  }
  return reading;
}

function sitemapError(url: string, outcome: Awaited<ReturnType<PageFetcher['fetch']>>): DocentError {
  switch (outcome.kind) {
    case 'failed':
      return outcome.error;
    case 'gone':
      return new DocentError('source_unreachable', `the sitemap ${url} answered ${outcome.status}`, { retryable: false });
    case 'redirected-away':
      return new DocentError('source_unreachable', `the sitemap ${url} redirects off the site, to ${outcome.location}`, { retryable: false });
    default:
      return new DocentError('internal', `the sitemap ${url} gave an unexpected answer (${outcome.kind})`);
  }
}
