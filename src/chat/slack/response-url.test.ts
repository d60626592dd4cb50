import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postToResponseUrl } from './response-url.js';

/** Answers each POST with the next scripted status, recording bodies and arrival times. */
describe('postToResponseUrl', () => {
  let server: http.Server;
  let url: string;
  const statuses: Array<{ status: number; retryAfter?: string }> = [];
  const received: Array<{ body: unknown; at: number }> = [];

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ body: JSON.parse(body), at: performance.now() });
        const next = statuses.shift() ?? { status: 200 };
        response.writeHead(next.status, next.retryAfter ? { 'retry-after': next.retryAfter } : {}).end(next.status === 200 ? 'ok' : 'no');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/response/1`;
  });

  afterAll(() => {
    server.close();
  });

  it('waits out a 429 for its Retry-After and retries server errors', async () => {
    received.length = 0;
    statuses.push({ status: 429, retryAfter: '1' }, { status: 503 });
    await postToResponseUrl(url, { text: 'hello' }, { backoffMs: 20 });
    expect(received.map((entry) => entry.body)).toEqual([{ text: 'hello' }, { text: 'hello' }, { text: 'hello' }]);
    expect(received[1]!.at - received[0]!.at).toBeGreaterThanOrEqual(990);
  });

  it('gives up at once on a refused (expired) response URL', async () => {
    received.length = 0;
    statuses.push({ status: 404 });
    await expect(postToResponseUrl(url, { text: 'late' }, { backoffMs: 20 })).rejects.toMatchObject({ code: 'invalid_request', retryable: false });
    expect(received).toHaveLength(1);
  });

  it('stops after its retries', async () => {
    received.length = 0;
    statuses.push({ status: 500 }, { status: 500 }, { status: 500 });
    await expect(postToResponseUrl(url, { text: 'x' }, { retries: 2, backoffMs: 10 })).rejects.toMatchObject({ code: 'source_unreachable' });
    expect(received).toHaveLength(3);
  });
});
