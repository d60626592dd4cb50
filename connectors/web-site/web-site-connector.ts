import { connectorSourceId, type Connector, type ConnectorEnvironment, type ConnectorItem, type SyncContext } from '../../src/core/connector.js';
import { DocentError } from '../../src/core/errors.js';
import { authHeaders } from './auth-headers.js';
import { readCheckpoint, type WebSiteCheckpoint } from './checkpoint.js';
import { systemClock, type Clock } from './clock.js';
import type { WebSiteConfig } from './config.js';
import { PageFetcher } from './page-fetcher.js';
import { PageReaders } from './page-readers.js';
import { RequestPacer } from './request-pacer.js';
import { readRobotsRules } from './robots-rules.js';
import { SiteCrawl } from './site-crawl.js';
import { SiteScope } from './site-scope.js';

/** What the connector takes from its surroundings besides its config; tests pass their own. */
export interface WebSiteDependencies {
  /** Paces requests; the system clock by default. */
  clock?: Clock;
  /** Node's fetch by default. */
  fetch?: typeof globalThis.fetch;
}

/**
 * Indexes one web site (an intranet, a documentation site) by sitemap and same-site
 * crawl. See `site-crawl.ts` for what a run does and when a page counts as gone.
 *
 * How `listIds` knows the site's pages without crawling it a second time: `load` records
 * the ids of every page it found (changed, unchanged or kept despite an error) when it
 * finishes, and `listIds` lists the record of the last finished `load` on this instance.
 * `syncConnector` calls `load` then `listIds` on the same instance, so such a sync crawls
 * once. Called on an instance whose `load` never finished (the job layer's final step,
 * which makes a fresh instance; a `load` that failed or was stopped), `listIds` crawls
 * the site itself, fetching every page, rather than list from a partial record.
 */
export class WebSiteConnector implements Connector<WebSiteCheckpoint> {
  readonly sourceId: string;
  readonly allowEmpty: boolean;
  private readonly scope: SiteScope;
  private readonly readers: PageReaders;
  private readonly clock: Clock;
  private readonly fetchFunction: typeof globalThis.fetch;
  /** Ids found by the last `load` that ran to its end, for `listIds`. */
  private lastDocumentIds: string[] | undefined;
  /**
   * One pace for every request this instance makes: a run validates, then loads, and the
   * site sees one polite client, not a new one at each step.
   */
  private readonly pacer: RequestPacer;

  constructor(
    private readonly config: WebSiteConfig,
    private readonly environment: ConnectorEnvironment,
    dependencies: WebSiteDependencies = {},
  ) {
    this.sourceId = environment.sourceId ?? connectorSourceId('web-site', environment.name);
    this.allowEmpty = config.allowEmpty;
    const firstSeed = config.startUrls[0] ?? config.sitemaps[0];
    if (firstSeed === undefined) throw new DocentError('config_invalid', 'a web-site connector needs a start URL or a sitemap');
    this.scope = new SiteScope(new URL(firstSeed).origin, config.pathPrefix, config);
    this.readers = new PageReaders(config.access, config.accessByPath);
    this.clock = dependencies.clock ?? systemClock;
    this.fetchFunction = dependencies.fetch ?? globalThis.fetch;
    this.pacer = new RequestPacer(this.clock, config.delayMilliseconds);
  }

  async validate(signal: AbortSignal): Promise<void> {
    const fetcher = this.fetcher();
    const robots = await readRobotsRules(this.scope.origin, this.config.userAgent, fetcher, signal);
    const seeds = [
      ...this.config.startUrls.map((url) => ({ url: this.scope.resolve(url)!, mayFollow: (target: string) => this.scope.contains(target) && robots.allows(target) })),
      ...this.config.sitemaps.map((url) => ({ url: this.scope.resolve(url)!, mayFollow: (target: string) => robots.allows(target) })),
    ];
    for (const { url: seed, mayFollow } of seeds) {
      if (!robots.allows(seed)) {
        throw new DocentError('config_invalid', `robots.txt of ${this.scope.origin} does not allow ${this.config.userAgent} to fetch ${seed}`);
      }
      // The body is not wanted: whether the server answers, and how, is the question.
      const outcome = await fetcher.fetch(seed, { maxBytes: 0, wants: () => false, mayFollow, signal });
      switch (outcome.kind) {
        case 'unwanted':
        case 'fetched':
        case 'not-modified':
          continue;
        case 'failed':
          throw outcome.error.code === 'credentials_rejected' || outcome.error.code === 'source_unreachable'
            ? outcome.error
            : new DocentError('source_unreachable', outcome.error.message, { retryable: outcome.error.retryable });
        case 'gone':
          throw new DocentError('source_unreachable', `${seed} answered ${outcome.status}: check the start URL or sitemap`, { retryable: false });
        case 'redirected-away':
          throw new DocentError('source_unreachable', `${seed} redirects to ${outcome.location}, off the site or to a disallowed path (a login page? check auth)`, { retryable: false });
      }
    }
  }

  async *load(checkpoint: WebSiteCheckpoint | undefined, context: SyncContext): AsyncGenerator<ConnectorItem, WebSiteCheckpoint, undefined> {
    this.lastDocumentIds = undefined;
    const fetcher = this.fetcher();
    // Stops requests still in flight when the consumer leaves early, not only on the run's abort.
    const stop = new AbortController();
    const signal = AbortSignal.any([context.signal, stop.signal]);
    const crawl = new SiteCrawl(
      {
        sourceId: this.sourceId,
        config: this.config,
        scope: this.scope,
        fetcher,
        pacer: this.pacer,
        readers: this.readers,
        maxDocumentBytes: this.environment.maxDocumentBytes,
        ...(this.environment.maxDocumentBytesSetting === undefined ? {} : { maxDocumentBytesSetting: this.environment.maxDocumentBytesSetting }),
        now: () => this.clock.now(),
      },
      readCheckpoint(checkpoint),
      context,
      signal,
    );
    try {
      const result = yield* crawl.run();
      this.lastDocumentIds = result.documentIds;
      return result.checkpoint;
    } catch (error) {
      // Stopped by the run (shutdown, pause): end quietly. The checkpoint handed back is the
      // one this run started from, so that even a caller who kept it would lose nothing;
      // the sync runner keeps none from an aborted run anyway.
      if (context.signal.aborted) return checkpoint ?? { format: 1, startedAt: 0, pages: {} };
      throw error;
    } finally {
      stop.abort();
    }
  }

  async *listIds(context: SyncContext): AsyncIterable<string> {
    if (this.lastDocumentIds === undefined) {
      context.log('no finished load on this connector instance: crawling the site to list its pages');
      const run = this.load(undefined, context);
      for (let step = await run.next(); step.done !== true; step = await run.next()) {
        // Only the listing is wanted; documents are dropped.
      }
    }
    // A crawl stopped half-way lists nothing rather than part of the site: a partial list deletes.
    if (this.lastDocumentIds === undefined) {
      throw context.signal.aborted ? context.signal.reason : new DocentError('internal', 'the crawl to list the site ended without a listing');
    }
    yield* this.lastDocumentIds;
  }

  /** A fetcher for one call (the auth headers are read from the environment then), pacing with the instance's pacer. */
  private fetcher(): PageFetcher {
    return new PageFetcher({
      scope: this.scope,
      pacer: this.pacer,
      clock: this.clock,
      userAgent: this.config.userAgent,
      headers: authHeaders(this.config.auth, this.environment.env),
      timeoutMilliseconds: this.config.timeoutMilliseconds,
      maxRedirects: this.config.maxRedirects,
      fetch: this.fetchFunction,
    });
  }
}
