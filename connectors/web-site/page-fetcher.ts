import { DocentError, describeError } from '../../src/core/errors.js';
import type { Clock } from './clock.js';
import { readLimitedBody } from './read-limited-body.js';
import type { RequestPacer } from './request-pacer.js';
import { retryAfterMilliseconds } from './retry-after.js';
import type { SiteScope } from './site-scope.js';

/** Validators of the copy held from an earlier run, for a conditional request. */
export interface Validators {
  /** Sent as If-None-Match. */
  etag?: string;
  /** Sent as If-Modified-Since (only when there is no ETag: RFC 9110 lets If-None-Match win anyway). */
  lastModified?: string;
}

export interface FetchOptions {
  /** Makes the request conditional; a 304 then answers `not-modified`. */
  validators?: Validators;
  /** Bodies larger than this are not downloaded (`file_too_large`). */
  maxBytes: number;
  /** Where that limit is set, named in the failure so an admin knows what to raise. */
  maxBytesSetting?: string;
  /** Decides from the media type (lower case, no parameters) whether the body is wanted at all. */
  wants(mediaType: string, url: string): boolean;
  /** Whether a redirect target (resolved, same site) may be requested: in scope and allowed by robots.txt. */
  mayFollow(url: string): boolean;
  /** The run's signal: aborting it stops the request and rethrows. */
  signal: AbortSignal;
}

/**
 * What one request (redirects followed) came to. `url` is the URL that gave the final
 * answer, as requested (what relative links resolve against); it differs from the URL
 * asked for after a redirect.
 */
export type FetchOutcome =
  | { kind: 'fetched'; url: string; mediaType: string; headers: Headers; content: Uint8Array }
  | { kind: 'not-modified'; url: string }
  /** The answer is of a media type that is not wanted; its body was not read. */
  | { kind: 'unwanted'; url: string; mediaType: string }
  /** 404 or 410: the page is no more. */
  | { kind: 'gone'; url: string; status: number }
  /** A redirect to another site, out of scope or to a path robots.txt disallows. */
  | { kind: 'redirected-away'; url: string; location: string }
  | { kind: 'failed'; url: string; error: DocentError; status?: number };

export interface PageFetcherOptions {
  scope: SiteScope;
  pacer: RequestPacer;
  /** The pacer's clock: reads Retry-After dates. */
  clock: Clock;
  userAgent: string;
  /** Authentication headers: sent to the site only (redirects never leave it). */
  headers: Readonly<Record<string, string>>;
  timeoutMilliseconds: number;
  maxRedirects: number;
  /** Node's fetch by default; tests pass one that records what was asked. */
  fetch: typeof globalThis.fetch;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/**
 * A 429 or 503 whose Retry-After is at most this long is waited out (the whole site
 * pauses) and the request made again, once; a longer one pauses the site for this long
 * and fails the page for now, to be tried again on the next run.
 */
export const retryWithinMilliseconds = 60_000;

/**
 * Requests one URL of the site politely (every hop waits for its slot), following
 * redirects by hand so that each hop is checked against the site, the scope and
 * robots.txt, and bounded in number.
 */
export class PageFetcher {
  constructor(private readonly options: PageFetcherOptions) {}

  async fetch(url: string, request: FetchOptions): Promise<FetchOutcome> {
    const seen = new Set<string>([url]);
    let current = url;
    let waitedOnce = false;
    for (let redirects = 0; ; ) {
      const outcome = await this.fetchOnce(current, request);
      if (outcome.kind === 'asked-to-wait') {
        const seconds = Math.ceil(outcome.waitMilliseconds / 1000);
        this.options.pacer.pauseFor(Math.min(outcome.waitMilliseconds, retryWithinMilliseconds));
        if (!waitedOnce && outcome.waitMilliseconds <= retryWithinMilliseconds) {
          // The same request again, once its slot comes after the pause.
          waitedOnce = true;
          continue;
        }
        return failed(current, `${current} answered ${outcome.status} and asked to wait ${seconds} s (Retry-After); it is tried again on the next run`, true, outcome.status);
      }
      if (outcome.kind !== 'redirect') return outcome;
      // Followed as given (only fragment and tracking parameters dropped): a server that
      // redirects /a to /a/ would loop forever with a URL normalised back to /a.
      const next = this.options.scope.resolve(outcome.location, current);
      if (next === undefined || !this.options.scope.isSameSite(next) || !request.mayFollow(next)) {
        return { kind: 'redirected-away', url: current, location: next ?? outcome.location };
      }
      if (seen.has(next)) {
        return { kind: 'failed', url, error: new DocentError('file_unreadable', `${url} redirects in a loop (back to ${next})`, { retryable: false }) };
      }
      if (redirects >= this.options.maxRedirects) {
        return { kind: 'failed', url, error: new DocentError('file_unreadable', `${url} redirects more than ${this.options.maxRedirects} times`, { retryable: false }) };
      }
      seen.add(next);
      current = next;
      redirects += 1;
    }
  }

  private async fetchOnce(url: string, request: FetchOptions): Promise<FetchOutcome | { kind: 'redirect'; location: string } | { kind: 'asked-to-wait'; status: number; waitMilliseconds: number }> {
    await this.options.pacer.wait(request.signal);
    const timeout = AbortSignal.timeout(this.options.timeoutMilliseconds);
    const signal = AbortSignal.any([request.signal, timeout]);
    const headers: Record<string, string> = {
      'user-agent': this.options.userAgent,
      accept: 'text/html,application/xhtml+xml,application/pdf,application/xml;q=0.9,*/*;q=0.8',
      ...this.options.headers,
    };
    if (request.validators?.etag !== undefined) headers['if-none-match'] = request.validators.etag;
    else if (request.validators?.lastModified !== undefined) headers['if-modified-since'] = request.validators.lastModified;

    try {
      const response = await this.options.fetch(url, { headers, redirect: 'manual', signal });
      const status = response.status;
      if (redirectStatuses.has(status)) {
        await response.body?.cancel().catch(() => undefined);
        const location = response.headers.get('location');
        if (location === null) return failed(url, `${url} answered ${status} without a Location`, false, status);
        return { kind: 'redirect', location };
      }
      if (status === 304 && request.validators !== undefined) {
        await response.body?.cancel().catch(() => undefined);
        return { kind: 'not-modified', url };
      }
      if (status !== 200) {
        await response.body?.cancel().catch(() => undefined);
        const waitMilliseconds = status === 429 || status === 503 ? retryAfterMilliseconds(response.headers.get('retry-after'), this.options.clock.now()) : undefined;
        if (waitMilliseconds !== undefined) return { kind: 'asked-to-wait', status, waitMilliseconds };
        return statusOutcome(url, status);
      }
      const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (!request.wants(mediaType, url)) {
        await response.body?.cancel().catch(() => undefined);
        return { kind: 'unwanted', url, mediaType };
      }
      const declaredLength = Number(response.headers.get('content-length') ?? Number.NaN);
      if (Number.isFinite(declaredLength) && declaredLength > request.maxBytes) {
        await response.body?.cancel().catch(() => undefined);
        return tooLarge(url, request, declaredLength);
      }
      const content = await readLimitedBody(response.body, request.maxBytes);
      if (content === undefined) return tooLarge(url, request);
      return { kind: 'fetched', url, mediaType, headers: response.headers, content };
    } catch (error) {
      // The run's own abort is not a page failure: it stops the run.
      if (request.signal.aborted) throw request.signal.reason;
      if (timeout.aborted) return failed(url, `${url} did not answer within ${this.options.timeoutMilliseconds} ms`, true);
      return failed(url, `cannot reach ${url}: ${describeCause(error)}`, true);
    }
  }
}

function statusOutcome(url: string, status: number): FetchOutcome {
  if (status === 404 || status === 410) return { kind: 'gone', url, status };
  if (status === 401 || status === 403) {
    return { kind: 'failed', url, status, error: new DocentError('credentials_rejected', `${url} answered ${status}: the site refused the request's credentials`) };
  }
  if (status === 429 || status >= 500) return failed(url, `${url} answered ${status}`, true, status);
  return failed(url, `${url} answered ${status}`, false, status);
}

function failed(url: string, message: string, retryable: boolean, status?: number): FetchOutcome {
  const error = new DocentError(retryable ? 'source_unreachable' : 'file_unreadable', message, { retryable });
  return status === undefined ? { kind: 'failed', url, error } : { kind: 'failed', url, error, status };
}

function tooLarge(url: string, request: FetchOptions, declaredLength?: number): FetchOutcome {
  const size = declaredLength === undefined ? 'larger than' : `${declaredLength} bytes, over`;
  const setting = request.maxBytesSetting === undefined ? '' : ` (setting ${request.maxBytesSetting})`;
  return { kind: 'failed', url, error: new DocentError('file_too_large', `${url} is ${size} the ${request.maxBytes}-byte limit${setting}; it was not downloaded`) };
}

/** undici hides the useful part (ECONNREFUSED, a TLS error) in the cause. */
function describeCause(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause === undefined ? describeError(error) : `${describeError(error)} (${describeError(cause)})`;
}
