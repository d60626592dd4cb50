import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A local web server standing in for an intranet, answering as RFC 9110 describes:
 * ETag and Last-Modified validators with 304 answers to If-None-Match (which wins) and
 * If-Modified-Since, redirects, error statuses, a body streamed without a length, and a
 * page that never answers. Routes can be changed while it runs, to play a site that
 * changes between two crawls. Every request is recorded.
 */
export type StandInRoute =
  | {
      kind: 'content';
      body: Buffer;
      contentType: string;
      /** Sent as ETag (quote it as HTTP does: `"v1"` or `W/"v1"`). */
      etag?: string;
      /** Sent as Last-Modified (an HTTP date). */
      lastModified?: string;
      /** Answer 200 with the full body even to a conditional request that matches. */
      ignoresConditionals?: boolean;
      /** Further response headers (X-Robots-Tag, ...). */
      headers?: Record<string, string>;
    }
  | { kind: 'status'; status: number; headers?: Record<string, string> }
  /** Answers the first request as the first route, the second as the second, and so on; the last one repeats. */
  | { kind: 'sequence'; routes: StandInRoute[] }
  | { kind: 'redirect'; status: 301 | 302 | 303 | 307 | 308; location: string }
  /** `totalBytes` of filler, in 64 KiB chunks, respecting back-pressure, optionally without Content-Length. */
  | { kind: 'stream'; contentType: string; totalBytes: number; declaresLength: boolean }
  /** Accepts the request and never answers. */
  | { kind: 'hang' }
  /** Answers as `route` once `release` resolves: lets a test order events without timing them. */
  | { kind: 'held'; release: Promise<void>; route: StandInRoute };

export interface RecordedWebRequest {
  method: string;
  /** Path and query as requested. */
  path: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  authorization?: string;
  userAgent?: string;
}

export interface WebSiteStandIn {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** By path, or path and query (tried first). */
  routes: Map<string, StandInRoute>;
  requests: RecordedWebRequest[];
  /** Bytes of a `stream` route written before the client went away or the body ended, by path. */
  streamedBytes: Map<string, number>;
  /** Paths requested, in order (robots.txt and sitemaps included). */
  paths(): string[];
  close(): Promise<void>;
}

export interface WebSiteStandInOptions {
  /** Answer 401 to any request whose Authorization header is not exactly this. */
  requiredAuthorization?: string;
}

export async function startWebSiteStandIn(options: WebSiteStandInOptions = {}): Promise<WebSiteStandIn> {
  const routes = new Map<string, StandInRoute>();
  const requests: RecordedWebRequest[] = [];
  const streamedBytes = new Map<string, number>();
  const sockets = new Set<Socket>();

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const recorded: RecordedWebRequest = { method: request.method ?? 'GET', path: `${url.pathname}${url.search}` };
    const header = (name: string): string | undefined => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    };
    const ifNoneMatch = header('if-none-match');
    const ifModifiedSince = header('if-modified-since');
    const authorization = header('authorization');
    const userAgent = header('user-agent');
    if (ifNoneMatch !== undefined) recorded.ifNoneMatch = ifNoneMatch;
    if (ifModifiedSince !== undefined) recorded.ifModifiedSince = ifModifiedSince;
    if (authorization !== undefined) recorded.authorization = authorization;
    if (userAgent !== undefined) recorded.userAgent = userAgent;
    requests.push(recorded);

    if (options.requiredAuthorization !== undefined && authorization !== options.requiredAuthorization) {
      response.writeHead(401, { 'www-authenticate': 'Bearer realm="intranet"', 'content-type': 'text/plain' });
      response.end('Unauthorized');
      return;
    }
    answer(routes.get(recorded.path) ?? routes.get(url.pathname), url.pathname, recorded, response);
  };

  /** How many requests each sequence route has answered. */
  const sequenceAnswers = new WeakMap<StandInRoute, number>();
  const answer = (route: StandInRoute | undefined, path: string, recorded: RecordedWebRequest, response: ServerResponse): void => {
    if (route === undefined) {
      response.writeHead(404, { 'content-type': 'text/html' });
      response.end('<html><body><h1>Not found</h1></body></html>');
      return;
    }
    switch (route.kind) {
      case 'content': {
        const headers: Record<string, string> = { 'content-type': route.contentType, ...route.headers };
        if (route.etag !== undefined) headers.etag = route.etag;
        if (route.lastModified !== undefined) headers['last-modified'] = route.lastModified;
        if (route.ignoresConditionals !== true && isNotModified(route, recorded.ifNoneMatch, recorded.ifModifiedSince)) {
          response.writeHead(304, headers);
          response.end();
          return;
        }
        headers['content-length'] = String(route.body.length);
        response.writeHead(200, headers);
        response.end(route.body);
        return;
      }
      case 'status':
        response.writeHead(route.status, { 'content-type': 'text/html', ...route.headers });
        response.end(`<html><body><h1>${route.status}</h1></body></html>`);
        return;
      case 'redirect':
        response.writeHead(route.status, { location: route.location });
        response.end();
        return;
      case 'stream':
        void stream(route, path, response);
        return;
      case 'hang':
        return;
      case 'held':
        void route.release.then(() => answer(route.route, path, recorded, response));
        return;
      case 'sequence': {
        const answered = sequenceAnswers.get(route) ?? 0;
        sequenceAnswers.set(route, answered + 1);
        answer(route.routes[Math.min(answered, route.routes.length - 1)], path, recorded, response);
        return;
      }
    }
  };

  const stream = async (route: Extract<StandInRoute, { kind: 'stream' }>, path: string, response: ServerResponse): Promise<void> => {
    const headers: Record<string, string> = { 'content-type': route.contentType };
    if (route.declaresLength) headers['content-length'] = String(route.totalBytes);
    response.writeHead(200, headers);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let written = 0;
    streamedBytes.set(path, 0);
    while (written < route.totalBytes && !response.destroyed) {
      const part = chunk.subarray(0, Math.min(chunk.length, route.totalBytes - written));
      written += part.length;
      streamedBytes.set(path, written);
      if (!response.write(part)) {
        await new Promise<void>((resolve) => {
          response.once('drain', resolve);
          response.once('close', resolve);
        });
      }
    }
    if (!response.destroyed) response.end();
  };

  const server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    routes,
    requests,
    streamedBytes,
    paths: () => requests.map((request) => request.path),
    close: async () => {
      // Hanging and keep-alive connections would hold close() open.
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function isNotModified(route: Extract<StandInRoute, { kind: 'content' }>, ifNoneMatch: string | undefined, ifModifiedSince: string | undefined): boolean {
  // RFC 9110 13.1.2: If-None-Match uses the weak comparison; when present, If-Modified-Since is ignored.
  if (ifNoneMatch !== undefined) {
    if (route.etag === undefined) return false;
    const weak = (tag: string): string => tag.trim().replace(/^W\//, '');
    return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || weak(tag) === weak(route.etag!));
  }
  if (ifModifiedSince !== undefined && route.lastModified !== undefined) {
    const since = Date.parse(ifModifiedSince);
    const modified = Date.parse(route.lastModified);
    return !Number.isNaN(since) && !Number.isNaN(modified) && modified <= since;
  }
  return false;
}
