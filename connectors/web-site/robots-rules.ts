import robotsParserModule from 'robots-parser';
import { DocentError } from '../../src/core/errors.js';
import type { PageFetcher } from './page-fetcher.js';

/** What the site's robots.txt says to this crawler's user agent. */
export interface RobotsRules {
  /** Whether a URL of the site may be fetched. */
  allows(url: string): boolean;
  /** The Crawl-delay for this user agent (or `*`), in seconds, when given. */
  crawlDelaySeconds: number | undefined;
  /** Sitemaps the file names, in its order. */
  sitemaps: string[];
}

// The package's typings declare an ES default export, but it is a CommonJS module whose
// `module.exports` is the function itself, which is what Node's default import gives.
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default;

// RFC 9309 asks crawlers to parse at least the first 500 KiB; a larger file is a mistake.
const robotsMaxBytes = 512 * 1024;

/**
 * Reads `<origin>/robots.txt` as RFC 9309 says: a missing file (any 4xx) allows
 * everything; a server error or no answer means nothing may be crawled yet, so the run
 * stops with a retryable `source_unreachable` (which also keeps every indexed page: a
 * run that reads nothing deletes nothing).
 */
export async function readRobotsRules(origin: string, userAgent: string, fetcher: PageFetcher, signal: AbortSignal): Promise<RobotsRules> {
  const robotsUrl = `${origin}/robots.txt`;
  const outcome = await fetcher.fetch(robotsUrl, { maxBytes: robotsMaxBytes, wants: () => true, mayFollow: () => true, signal });
  if (outcome.kind === 'fetched') return parseRobotsRules(robotsUrl, Buffer.from(outcome.content).toString('utf8'), userAgent);
  if (outcome.kind === 'gone' || outcome.kind === 'unwanted' || outcome.kind === 'redirected-away') return allowEverything;
  if (outcome.kind === 'failed' && outcome.status !== undefined && outcome.status >= 400 && outcome.status < 500 && outcome.status !== 429) return allowEverything;
  const reason = outcome.kind === 'failed' ? outcome.error.message : `unexpected answer (${outcome.kind})`;
  throw new DocentError('source_unreachable', `cannot read ${robotsUrl}, so nothing may be crawled: ${reason}`, { retryable: true });
}

export function parseRobotsRules(robotsUrl: string, text: string, userAgent: string): RobotsRules {
  const robots = robotsParser(robotsUrl, text);
  // robots-parser matches groups by the product token (`docentbot` for `DocentBot/0.1`).
  const delay = robots.getCrawlDelay(userAgent);
  return {
    // Undefined means the URL is on another host, which the crawl never requests anyway.
    allows: (url) => robots.isAllowed(url, userAgent) !== false,
    crawlDelaySeconds: typeof delay === 'number' && Number.isFinite(delay) && delay >= 0 ? delay : undefined,
    sitemaps: robots.getSitemaps(),
  };
}

const allowEverything: RobotsRules = { allows: () => true, crawlDelaySeconds: undefined, sitemaps: [] };
