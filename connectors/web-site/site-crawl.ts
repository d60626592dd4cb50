import type { ConnectorItem, SyncContext } from '../../src/core/connector.js';
import { DocentError } from '../../src/core/errors.js';
import { pageRecord, type KnownPage, type PageRecord, type PreviousRun, type WebSiteCheckpoint } from './checkpoint.js';
import type { WebSiteConfig } from './config.js';
import { CrawlFrontier, type FrontierPage } from './crawl-frontier.js';
import { documentKindOf, documentName, mayBeDocument } from './document-kind.js';
import { readPageLinks } from './html-links.js';
import { mapConcurrently } from './map-concurrently.js';
import type { FetchOutcome, PageFetcher } from './page-fetcher.js';
import type { PageReaders } from './page-readers.js';
import { pageVersion, validatorsOf } from './page-version.js';
import type { RequestPacer } from './request-pacer.js';
import { robotsHeaderDirectives } from './robots-header.js';
import { readRobotsRules, type RobotsRules } from './robots-rules.js';
import type { SiteScope } from './site-scope.js';
import { readSitemaps } from './sitemap-reader.js';

export interface SiteCrawlOptions {
  sourceId: string;
  config: WebSiteConfig;
  scope: SiteScope;
  fetcher: PageFetcher;
  pacer: RequestPacer;
  /** Who may read each page; their fingerprint is the last part of the page's version. */
  readers: PageReaders;
  /** Pages larger than this are reported as `file_too_large` and not downloaded. */
  maxDocumentBytes: number;
  /** Where that limit is set, for the failure message. */
  maxDocumentBytesSetting?: string;
  /** The time, for the checkpoint's `startedAt`. */
  now(): number;
}

// Sitemap dates come from the site's clock, `startedAt` from ours.
const clockSkewMilliseconds = 60 * 60 * 1000;

/** What a finished crawl knows besides what it yielded. */
export interface SiteCrawlResult {
  checkpoint: WebSiteCheckpoint;
  /** Every document the site has now, changed or not (the input of `listIds`). */
  documentIds: string[];
}

interface PageVisit {
  items: ConnectorItem[];
  /** Whether the page answered at all (a document, unchanged, gone): for telling a dead seed. */
  answered: boolean;
  error?: DocentError;
}

/**
 * One run over a site: robots.txt first, then sitemaps, then the pages breadth first
 * from the start URLs, the sitemap entries and every page the previous run knew (at
 * the depth it had then, since a page answering 304 shows no links to follow).
 *
 * A known page is requested conditionally when the index still holds the version the
 * checkpoint recorded; a 304 then yields nothing but keeps the page listed. A page that
 * answers 404 or 410, moves off the site or out of scope, becomes disallowed, noindex or
 * something other than a document is no longer listed, so the sync deletes it. Any other
 * failure (a server error, a timeout, a refusal) keeps a known page listed and reports a
 * failure: what cannot be read now is not taken for gone.
 */
export class SiteCrawl {
  private readonly frontier: CrawlFrontier;
  private readonly next: Record<string, PageRecord> = {};
  private readonly documentIds = new Set<string>();
  /** The pages the previous run requested, by identity. */
  private readonly previousByIdentity = new Map<string, KnownPage>();
  /** Sitemap `<lastmod>` by page identity, for `trustSitemapLastmod`. */
  private readonly sitemapLastModified = new Map<string, number>();
  /** Identities of the configured start pages. */
  private readonly seeds = new Set<string>();
  /** Canonical URLs some page of this run already stood for: later duplicates yield nothing. */
  private readonly claimed = new Set<string>();
  private robots: RobotsRules | undefined;
  private skippedByRobots = 0;
  private skippedBySitemap = 0;

  constructor(
    private readonly options: SiteCrawlOptions,
    private readonly previous: PreviousRun,
    private readonly context: SyncContext,
    /** Aborts with the run and when the consumer stops early, so that no request outlives the run. */
    private readonly signal: AbortSignal,
  ) {
    this.frontier = new CrawlFrontier(options.config.maxDepth, options.config.maxPages);
  }

  async *run(): AsyncGenerator<ConnectorItem, SiteCrawlResult, undefined> {
    const { config, scope, pacer } = this.options;
    const startedAt = this.options.now();
    this.robots = await readRobotsRules(scope.origin, config.userAgent, this.options.fetcher, this.signal);
    if (this.robots.crawlDelaySeconds !== undefined) pacer.atLeast(this.robots.crawlDelaySeconds * 1000);
    this.context.log(`robots.txt read; requests to ${scope.origin} are spaced by ${pacer.interval} ms`);

    const startUrls = config.startUrls.map((url) => scope.resolve(url)!);
    for (const url of startUrls) {
      this.seeds.add(scope.identify(url));
      this.enqueue(url, 0);
    }
    const sitemaps = await this.readSitemaps();
    for (const page of sitemaps.pages) {
      if (page.lastModified !== undefined) this.sitemapLastModified.set(scope.identify(page.url), page.lastModified);
      this.enqueue(page.url, 0);
    }
    for (const [url, page] of this.previous.pages) {
      this.previousByIdentity.set(scope.identify(url), page);
      this.enqueue(url, page.depth);
    }

    const seedErrors: DocentError[] = [...sitemaps.errors];
    let seedAnswered = sitemaps.read > 0;
    // Level 0 always runs its course, even empty, so that a site with no page left to
    // request (robots.txt now disallows the start pages) fails instead of deleting all.
    for (let depth = 0; depth < Math.max(1, this.frontier.levelCount); depth += 1) {
      const visits = mapConcurrently(this.frontier.level(depth), config.concurrency, async (page) => ({ page, visit: await this.visit(page, depth) }));
      for await (const { page, visit } of visits) {
        if (this.seeds.has(page.identity)) {
          if (visit.answered) seedAnswered = true;
          else if (visit.error !== undefined) seedErrors.push(visit.error);
        }
        yield* visit.items;
      }
      if (depth === 0 && !seedAnswered) throw this.deadSiteError(seedErrors);
    }

    if (!this.frontier.budgetLeft && this.frontier.pending > 0) {
      this.context.log(`page limit of ${config.maxPages} reached; ${this.frontier.pending} pages found were not visited`);
    }
    if (this.skippedByRobots > 0) this.context.log(`${this.skippedByRobots} links not followed: robots.txt disallows them`);
    if (this.skippedBySitemap > 0) this.context.log(`${this.skippedBySitemap} pages not requested: their sitemap lastmod is older than the previous run`);
    return { checkpoint: { format: 1, startedAt, pages: this.next }, documentIds: [...this.documentIds] };
  }

  private async readSitemaps(): Promise<{ pages: { url: string; lastModified?: number }[]; errors: DocentError[]; read: number }> {
    const { config, scope } = this.options;
    const configured = config.sitemaps.map((url) => scope.resolve(url)!);
    const fromRobots = config.sitemapsFromRobots
      ? this.robots!.sitemaps.map((url) => scope.resolve(url)).filter((url): url is string => url !== undefined && scope.isSameSite(url))
      : [];
    if (configured.length === 0 && fromRobots.length === 0) return { pages: [], errors: [], read: 0 };
    const result = await readSitemaps([...configured, ...fromRobots], {
      fetcher: this.options.fetcher,
      scope,
      allows: (url) => this.robots!.allows(url),
      signal: this.signal,
    });
    for (const failure of result.failures) this.context.log(`sitemap ${failure.url} not read: ${failure.error.message}`);
    const configuredSet = new Set(configured);
    const errors = result.failures.filter((failure) => configuredSet.has(failure.url)).map((failure) => failure.error);
    const read = result.read.filter((url) => configuredSet.has(url)).length;
    this.context.log(`${result.pages.length} pages listed in ${result.read.length} sitemaps`);
    return { pages: result.pages, errors, read };
  }

  /** Queues a resolved URL if it is in scope, may be a document and robots.txt allows it. */
  private enqueue(url: string, depth: number): void {
    if (!this.options.scope.contains(url) || !mayBeDocument(url)) return;
    if (!this.robots!.allows(url)) {
      this.skippedByRobots += 1;
      return;
    }
    this.frontier.add(this.options.scope.identify(url), url, depth);
  }

  private documentId(canonical: string): string {
    return `${this.options.sourceId}:${canonical}`;
  }

  /**
   * Requests one page and decides what it means for the index. Checkpoint records are
   * kept under the URL requested and looked up by identity, so a page linked as `/a/`
   * this time and `/a` last time is still recognised.
   */
  private async visit(page: FrontierPage, depth: number): Promise<PageVisit> {
    const { identity, requestUrl } = page;
    const known = this.previousByIdentity.get(identity);
    const knownCanonical = known?.canonical ?? identity;
    const knownId = this.documentId(knownCanonical);
    const duplicate = known?.duplicateVersion !== undefined;
    // The version the page stands for in the index: only for pages the previous run
    // requested, whose links are therefore known too (a 304 shows none).
    const indexedVersion = known !== undefined && !duplicate ? this.context.indexedVersion(knownId) : undefined;
    const fingerprint = this.options.readers.of(knownCanonical).fingerprint;
    // "Changed since?" is asked about the copy the index holds (a page whose indexing
    // failed has none there and is fetched whole), or a duplicate's own: unchanged, it
    // still points at the same canonical page, which is all there is to know about it.
    const validatorVersion = known?.duplicateVersion ?? indexedVersion;
    const validators = validatorVersion === undefined ? undefined : validatorsOf(validatorVersion, fingerprint);
    const record = known === undefined ? undefined : pageRecord(known);
    if (indexedVersion !== undefined && hasReaders(indexedVersion, fingerprint) && this.unchangedBySitemap(identity)) {
      this.skippedBySitemap += 1;
      this.next[requestUrl] = record!;
      this.claim(knownCanonical);
      return { items: [], answered: true };
    }

    const outcome = await this.options.fetcher.fetch(requestUrl, {
      ...(validators === undefined ? {} : { validators }),
      maxBytes: this.options.maxDocumentBytes,
      ...(this.options.maxDocumentBytesSetting === undefined ? {} : { maxBytesSetting: this.options.maxDocumentBytesSetting }),
      wants: (mediaType, target) => documentKindOf(mediaType, target) !== undefined,
      mayFollow: (target) => this.options.scope.contains(target) && this.robots!.allows(target),
      signal: this.signal,
    });
    if (outcome.kind !== 'failed' && outcome.url !== requestUrl) this.frontier.markReached(this.options.scope.identify(outcome.url));

    switch (outcome.kind) {
      case 'not-modified':
        this.next[requestUrl] = record!;
        if (!duplicate) this.claim(knownCanonical);
        return { items: [], answered: true };
      case 'fetched':
        return this.fetched(page, depth, outcome);
      case 'gone':
        this.context.log(`${requestUrl} answered ${outcome.status}${indexedVersion === undefined ? '' : '; it is removed from the index'}`);
        return { items: [], answered: false, error: new DocentError('source_unreachable', `${requestUrl} answered ${outcome.status}`, { retryable: false }) };
      case 'unwanted':
        if (indexedVersion !== undefined) this.context.log(`${requestUrl} is now ${outcome.mediaType || 'of no media type'}, not a document; it is removed from the index`);
        return { items: [], answered: true };
      case 'redirected-away':
        this.context.log(`${requestUrl} redirects to ${outcome.location}, outside what this connector may crawl; not indexed`);
        return { items: [], answered: true };
      case 'failed':
        // Kept, and asked for again next run (and reported again), even when the page
        // linking to it answers 304; an indexed copy stays listed: not read is not gone.
        this.next[requestUrl] = record ?? depth;
        if (indexedVersion !== undefined) this.documentIds.add(knownId);
        return { items: [{ failure: { documentId: indexedVersion !== undefined ? knownId : this.documentId(identity), location: requestUrl, error: outcome.error } }], answered: false, error: outcome.error };
    }
  }

  private fetched(page: FrontierPage, depth: number, outcome: Extract<FetchOutcome, { kind: 'fetched' }>): PageVisit {
    const { scope } = this.options;
    const kind = documentKindOf(outcome.mediaType, outcome.url)!;
    // The address a person opens (as served, or as the canonical link writes it) and the identity the index knows it by.
    let address = outcome.url;
    const charset = charsetOf(outcome.headers.get('content-type'));
    // The header is how a PDF or Office file says noindex; a page may say it either way.
    let { noIndex, noFollow } = robotsHeaderDirectives(outcome.headers.get('x-robots-tag'), this.options.config.userAgent);
    if (kind === 'html') {
      const links = readPageLinks(outcome.content, charset);
      const base = (links.base === undefined ? undefined : scope.resolve(links.base, outcome.url)) ?? outcome.url;
      if (links.canonical !== undefined) {
        const declared = scope.resolve(links.canonical, base);
        if (declared !== undefined && scope.isSameSite(declared)) address = declared;
      }
      noIndex ||= links.noIndex;
      noFollow ||= links.noFollow;
      if (!noFollow) {
        for (const link of links.links) {
          const target = scope.resolve(link, base);
          if (target !== undefined) this.enqueue(target, depth + 1);
        }
        if (address !== outcome.url) this.enqueue(address, depth + 1);
      }
    }
    const requestUrl = page.requestUrl;
    if (noIndex) {
      // Still visited next time, for its links; never listed, so a page that turned noindex is deleted.
      this.next[requestUrl] = depth;
      return { items: [], answered: true };
    }
    const canonical = scope.identify(address);
    const readers = this.options.readers.of(canonical);
    const version = pageVersion(outcome.headers, outcome.content, readers.fingerprint);
    if (!this.claim(canonical)) {
      this.next[requestUrl] = [depth, canonical, version];
      return { items: [], answered: true };
    }
    this.next[requestUrl] = canonical === page.identity ? depth : [depth, canonical];
    const id = this.documentId(canonical);
    if (this.context.indexedVersion(id) === version) return { items: [], answered: true };
    const modifiedAt = isoDate(outcome.headers.get('last-modified'));
    return {
      answered: true,
      items: [
        {
          document: {
            id,
            sourceId: this.options.sourceId,
            uri: address,
            name: documentName(address, kind),
            content: outcome.content,
            ...(charset === undefined ? {} : { charset }),
            access: [...readers.principals],
            version,
            ...(modifiedAt === undefined ? {} : { modifiedAt }),
          },
        },
      ],
    };
  }

  /** Whether the sitemap vouches that an indexed page has not changed since the previous run (start pages are always asked). */
  private unchangedBySitemap(identity: string): boolean {
    if (!this.options.config.trustSitemapLastmod || this.previous.startedAt === undefined || this.seeds.has(identity)) return false;
    const lastModified = this.sitemapLastModified.get(identity);
    return lastModified !== undefined && lastModified < this.previous.startedAt - clockSkewMilliseconds;
  }

  /** Lists a canonical URL's document; false when another page of this run already stood for it. */
  private claim(canonical: string): boolean {
    if (this.claimed.has(canonical)) return false;
    this.claimed.add(canonical);
    this.documentIds.add(this.documentId(canonical));
    return true;
  }

  private deadSiteError(errors: DocentError[]): DocentError {
    const first = errors[0];
    if (first !== undefined && errors.every((error) => error.code === 'credentials_rejected')) {
      return new DocentError('credentials_rejected', `the site refused every start page: ${first.message}`);
    }
    const reason = first === undefined ? 'no start page or sitemap could be requested (robots.txt, scope or depth leave none)' : first.message;
    return new DocentError('source_unreachable', `no start page or sitemap of ${this.options.scope.origin} could be read: ${reason}`, {
      retryable: errors.some((error) => error.retryable),
    });
  }
}

/** Whether a version was made for these readers (see `pageVersion`). */
function hasReaders(version: string, fingerprint: string): boolean {
  return version.endsWith(`;access=${fingerprint}`);
}

function charsetOf(contentType: string | null): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '');
  return match?.[1];
}

function isoDate(httpDate: string | null): string | undefined {
  if (httpDate === null) return undefined;
  const time = Date.parse(httpDate);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
