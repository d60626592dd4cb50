import { DocentError, describeError, type ErrorCode } from '../../src/core/errors.js';
import { isRetryableStatus, parseRetryAfter, retryDelayMs, sleep, type RetryPolicy } from './retry-policy.js';

/** A failed Confluence request, with the HTTP status when the server answered at all. */
export class ConfluenceRequestError extends DocentError {
  constructor(
    code: ErrorCode,
    message: string,
    /** The HTTP status, or undefined for network failures and timeouts. */
    readonly status: number | undefined,
    options: { cause?: unknown; retryable?: boolean } = {},
  ) {
    super(code, message, options);
  }
}

export interface ConfluenceClientOptions {
  /** Site address, context path included, without a trailing slash. */
  baseUrl: string;
  /** The personal access token. Only ever put in the Authorization header of requests to `baseUrl`'s origin. */
  token: string;
  requestTimeoutMs: number;
  retry: RetryPolicy;
}

const maxRedirects = 5;

/** A query string's values; undefined ones are left out. */
export type Query = Record<string, string | number | undefined>;

/**
 * The HTTP side of the connector: Bearer authentication, timeouts, retries of 429, 5xx and
 * network errors with backoff that honours `Retry-After`, and errors mapped to stable
 * codes. 401 and 403 are never retried: a rejected token needs an admin, not patience.
 */
export class ConfluenceClient {
  /** The server's clock at its latest answer (the `Date` header), for checkpoints that do not trust ours. */
  serverTime: Date | undefined;
  /** Requests sent, retries included: for the run log and for tests that count them. */
  requestCount = 0;
  private readonly origin: string;

  constructor(private readonly options: ConfluenceClientOptions) {
    this.origin = new URL(options.baseUrl).origin;
  }

  /** The absolute URL of a path relative to the site (`/rest/api/...`, or a `_links` value). */
  resolve(pathOrUrl: string, query: Query = {}): URL {
    const url = /^https?:\/\//i.test(pathOrUrl) ? new URL(pathOrUrl) : new URL(this.options.baseUrl + (pathOrUrl.startsWith('/') ? '' : '/') + pathOrUrl);
    if (url.origin !== this.origin) {
      // The token must never travel to another host, whatever a response's links say.
      throw new ConfluenceRequestError('invalid_request', `refusing to follow a link to ${url.origin}, outside ${this.origin}`, undefined, { retryable: false });
    }
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url;
  }

  async getJson<T>(pathOrUrl: string, query: Query, signal: AbortSignal): Promise<T> {
    const response = await this.send(this.resolve(pathOrUrl, query), { method: 'GET', headers: { accept: 'application/json' } }, signal);
    return (await readJson(response)) as T;
  }

  async postJson<T>(path: string, body: unknown, signal: AbortSignal): Promise<T> {
    const response = await this.send(
      this.resolve(path),
      { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: JSON.stringify(body) },
      signal,
    );
    return (await readJson(response)) as T;
  }

  /**
   * Downloads bytes, stopping as soon as they pass `maxBytes` (`file_too_large`).
   * Redirects are followed, as Data Center may send attachment downloads to object
   * storage; the token goes along only while the redirect stays on the site's origin.
   */
  async getBytes(pathOrUrl: string, maxBytes: number, signal: AbortSignal): Promise<Uint8Array> {
    let url = this.resolve(pathOrUrl);
    let response: Response;
    for (let redirects = 0; ; redirects++) {
      response = await this.send(url, { method: 'GET', headers: { accept: '*/*' } }, signal, { followRedirect: true });
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) break;
      await response.body?.cancel();
      if (redirects >= maxRedirects) throw new ConfluenceRequestError('file_unreadable', `${url.pathname} redirected more than ${maxRedirects} times`, response.status, { retryable: false });
      url = new URL(location, url);
    }
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body?.cancel();
      throw new ConfluenceRequestError('file_too_large', `${url.pathname} is ${declared} bytes, over the ${maxBytes}-byte limit`, response.status, { retryable: false });
    }
    const parts: Uint8Array[] = [];
    let total = 0;
    if (response.body !== null) {
      for await (const part of response.body as unknown as AsyncIterable<Uint8Array>) {
        total += part.byteLength;
        if (total > maxBytes) {
          throw new ConfluenceRequestError('file_too_large', `${url.pathname} is over the ${maxBytes}-byte limit`, response.status, { retryable: false });
        }
        parts.push(part);
      }
    }
    return new Uint8Array(Buffer.concat(parts));
  }

  private async send(
    url: URL,
    init: { method: string; headers: Record<string, string>; body?: string },
    signal: AbortSignal,
    options: { followRedirect?: boolean } = {},
  ): Promise<Response> {
    const policy = this.options.retry;
    const authorization: Record<string, string> = url.origin === this.origin ? { authorization: `Bearer ${this.options.token}` } : {};
    const where = `${init.method} ${url.pathname}`;
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw signal.reason;
      let response: Response;
      this.requestCount++;
      try {
        response = await fetch(url, {
          method: init.method,
          headers: { ...init.headers, ...authorization },
          body: init.body,
          redirect: 'manual',
          signal: AbortSignal.any([signal, AbortSignal.timeout(this.options.requestTimeoutMs)]),
        });
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
        const reason = timedOut ? `no answer within ${this.options.requestTimeoutMs / 1000} s` : describeNetworkError(error);
        if (attempt >= policy.maxAttempts) {
          throw new ConfluenceRequestError('source_unreachable', `Confluence at ${this.origin} is unreachable (${where}: ${reason}, after ${attempt} tries)`, undefined, {
            cause: error,
            retryable: true,
          });
        }
        await sleep(retryDelayMs(attempt, undefined, policy), signal);
        continue;
      }
      if (url.origin === this.origin) this.noteServerTime(response);
      if (response.ok) return response;
      if (options.followRedirect === true && response.status >= 300 && response.status < 400) return response;

      if (isRetryableStatus(response.status)) {
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
        const message = await errorMessage(response);
        const waitTooLong = retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs;
        if (attempt >= policy.maxAttempts || waitTooLong) {
          const why = waitTooLong ? `asked to wait ${Math.round(retryAfterMs / 1000)} s` : `after ${attempt} tries`;
          throw new ConfluenceRequestError('source_unreachable', `Confluence answered ${where} with HTTP ${response.status}${message} (${why})`, response.status, { retryable: true });
        }
        await sleep(retryDelayMs(attempt, retryAfterMs, policy), signal);
        continue;
      }
      throw await statusError(response, where);
    }
  }

  private noteServerTime(response: Response): void {
    const date = Date.parse(response.headers.get('date') ?? '');
    if (!Number.isNaN(date)) this.serverTime = new Date(date);
  }
}

async function statusError(response: Response, where: string): Promise<ConfluenceRequestError> {
  const message = await errorMessage(response);
  const status = response.status;
  if (status === 401) {
    return new ConfluenceRequestError('credentials_rejected', `Confluence rejected the access token (HTTP 401 on ${where})${message}; renew the personal access token`, status, {
      retryable: false,
    });
  }
  if (status === 403) {
    return new ConfluenceRequestError('credentials_rejected', `the token's user may not do this (HTTP 403 on ${where})${message}`, status, { retryable: false });
  }
  if (status === 404) return new ConfluenceRequestError('file_vanished', `not found (HTTP 404 on ${where})${message}`, status, { retryable: false });
  if (status >= 300 && status < 400) {
    // A redirect usually means a login page (SSO in front of the REST API) or a wrong base URL.
    return new ConfluenceRequestError('source_unreachable', `Confluence redirected ${where} to ${response.headers.get('location') ?? 'elsewhere'}; check baseUrl`, status, {
      retryable: false,
    });
  }
  return new ConfluenceRequestError('invalid_request', `Confluence refused ${where} with HTTP ${status}${message}`, status, { retryable: false });
}

/** The server's own explanation (`{"message": ...}` in Confluence's error bodies), short. */
async function errorMessage(response: Response): Promise<string> {
  try {
    const text = await response.text();
    let message = text;
    try {
      const parsed = JSON.parse(text) as { message?: unknown };
      if (typeof parsed.message === 'string') message = parsed.message;
    } catch {
      // Not JSON (a proxy's HTML error page): the status says enough.
      return '';
    }
    const line = message.replace(/\s+/g, ' ').trim().slice(0, 200);
    return line === '' ? '' : `: ${line}`;
  } catch {
    return '';
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfluenceRequestError('source_unreachable', `Confluence answered ${response.url ? new URL(response.url).pathname : ''} with something other than JSON; check baseUrl`, response.status, {
      cause: error,
      retryable: false,
    });
  }
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code !== undefined) return cause.code;
  return describeError(error);
}
