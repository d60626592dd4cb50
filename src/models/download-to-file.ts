import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { DocentError } from '../core/errors.js';

export interface DownloadProgress {
  bytes: number;
  /** From content-length; undefined when the server does not say. */
  total?: number;
}

export interface DownloadOptions {
  /** Sent to the first URL, and on redirects only while they stay on the same origin. */
  headers?: Record<string, string>;
  onProgress?: (progress: DownloadProgress) => void;
  /** Called with the first bytes once at least `inspectBytes` arrived (or the body ended); throw to stop the download. */
  inspectStart?: (start: Buffer) => void;
  inspectBytes?: number;
  signal?: AbortSignal;
  /** How to say what is being downloaded in messages; the URL itself may carry signed parameters. */
  label?: string;
}

export interface DownloadResult {
  sha256: string;
  bytes: number;
  /** Headers of every response on the way (redirects first), for checksums a server publishes. */
  responses: Headers[];
}

const maximumRedirects = 10;

function httpFailure(label: string, response: Response): DocentError {
  const hints: Record<number, string> = {
    401: 'the server wants credentials: set HF_TOKEN for a gated or private Hugging Face repository',
    403: 'access refused: accept the model licence on its page, or use a token (HF_TOKEN) that may read it',
    404: 'no such file: check the owner, repository, path and revision',
  };
  const hint = hints[response.status];
  return new DocentError('download_failed', `downloading ${label} failed: HTTP ${response.status} ${response.statusText}${hint ? ` (${hint})` : ''}`, {
    retryable: response.status >= 500 || response.status === 429,
  });
}

/**
 * Follows redirects itself rather than leaving it to fetch: Hugging Face answers 302 to a
 * CDN on another host, and the token meant for Hugging Face must not travel there.
 */
async function fetchFollowingRedirects(url: string, options: DownloadOptions, label: string): Promise<{ response: Response; responses: Headers[] }> {
  const responses: Headers[] = [];
  let current = new URL(url);
  const origin = current.origin;
  for (let redirects = 0; ; redirects++) {
    let response: Response;
    try {
      const init: RequestInit = { redirect: 'manual', headers: current.origin === origin ? (options.headers ?? {}) : {} };
      if (options.signal) init.signal = options.signal;
      response = await fetch(current, init);
    } catch (error) {
      if (options.signal?.aborted) throw new DocentError('download_failed', `downloading ${label} was interrupted`, { cause: error, retryable: true });
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new DocentError('download_failed', `downloading ${label} failed: cannot reach ${current.host} (${cause?.code ?? cause?.message ?? (error as Error).message})`, { cause: error });
    }
    responses.push(response.headers);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      if (redirects >= maximumRedirects) throw new DocentError('download_failed', `downloading ${label} failed: more than ${maximumRedirects} redirects`);
      current = new URL(location, current);
      if (current.protocol !== 'https:' && current.protocol !== 'http:') throw new DocentError('download_failed', `downloading ${label} failed: redirected to a ${current.protocol} URL`);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw httpFailure(label, response);
    }
    return { response, responses };
  }
}

/**
 * Streams `url` into `destination`, hashing as it goes: model files are gigabytes and never
 * held in memory whole. The caller owns `destination` and removes it on failure.
 */
export async function downloadToFile(url: string, destination: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const label = options.label ?? url;
  const { response, responses } = await fetchFollowingRedirects(url, options, label);
  const lengthHeader = response.headers.get('content-length');
  const total = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
  const hash = createHash('sha256');
  const inspectBytes = options.inspectBytes ?? 16;
  let bytes = 0;
  let start: Buffer | undefined = options.inspectStart ? Buffer.alloc(0) : undefined;
  const inspect = (): void => {
    if (start === undefined) return;
    const seen = start;
    start = undefined;
    options.inspectStart!(seen);
  };
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        if (start !== undefined) {
          start = Buffer.concat([start, chunk.subarray(0, inspectBytes - start.length)]);
          if (start.length >= inspectBytes) inspect();
        }
        hash.update(chunk);
        bytes += chunk.length;
        options.onProgress?.(total === undefined ? { bytes } : { bytes, total });
        callback(null, chunk);
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback) {
      try {
        inspect();
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  if (!response.body) throw new DocentError('download_failed', `downloading ${label} failed: the server sent no body`);
  try {
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), counter, createWriteStream(destination));
  } catch (error) {
    if (error instanceof DocentError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EACCES' || code === 'EROFS') {
      throw new DocentError('download_failed', `downloading ${label} failed: cannot write ${destination} (${code})`, { cause: error, retryable: false });
    }
    if (options.signal?.aborted) throw new DocentError('download_failed', `downloading ${label} was interrupted`, { cause: error, retryable: true });
    throw new DocentError('download_failed', `downloading ${label} failed after ${bytes} bytes: ${(error as Error).message}`, { cause: error });
  }
  if (total !== undefined && bytes !== total) {
    throw new DocentError('download_failed', `downloading ${label} failed: the connection closed after ${bytes} of ${total} bytes`);
  }
  return { sha256: hash.digest('hex'), bytes, responses };
}
