import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfluenceStandIn } from '../../test/support/confluence-stand-in.js';
import { ConfluenceClient } from './http-client.js';
import { defaultRetryPolicy } from './retry-policy.js';

const token = 'pat-client-test';
let standIn: ConfluenceStandIn;
const signal = new AbortController().signal;

beforeAll(async () => {
  standIn = await ConfluenceStandIn.start({ token });
});
afterAll(() => standIn.close());

function client(maxAttempts = 3): ConfluenceClient {
  return new ConfluenceClient({ baseUrl: standIn.url, token, requestTimeoutMs: 5000, retry: { ...defaultRetryPolicy, maxAttempts, baseDelayMs: 5 } });
}

describe('ConfluenceClient', () => {
  it('resolves paths under the context path and refuses links to another origin', () => {
    expect(client().resolve('/rest/api/space', { limit: 5, start: undefined }).toString()).toBe(`${standIn.url}/rest/api/space?limit=5`);
    expect(() => client().resolve('http://elsewhere.example/rest/api/space')).toThrow(/refusing to follow a link/);
  });

  it('retries a server error and returns the answer that follows', async () => {
    standIn.failures.push({ path: '/rest/api/user/current', status: 503, times: 2 });
    const http = client();
    await expect(http.getJson('/rest/api/user/current', {}, signal)).resolves.toMatchObject({ username: 'docent-bot' });
    expect(http.requestCount).toBe(3);
  });

  it('gives up at once when Retry-After asks for longer than a run should wait', async () => {
    standIn.failures.push({ path: '/rest/api/user/current', status: 429, headers: { 'retry-after': '3600' } });
    const http = client();
    await expect(http.getJson('/rest/api/user/current', {}, signal)).rejects.toMatchObject({ code: 'source_unreachable', retryable: true, status: 429, message: expect.stringContaining('asked to wait 3600 s') });
    expect(http.requestCount).toBe(1);
  });

  it('never retries a refused token', async () => {
    const http = new ConfluenceClient({ baseUrl: standIn.url, token: 'pat-wrong', requestTimeoutMs: 5000, retry: { ...defaultRetryPolicy, maxAttempts: 5, baseDelayMs: 5 } });
    await expect(http.getJson('/rest/api/user/current', {}, signal)).rejects.toMatchObject({ code: 'credentials_rejected', status: 401, retryable: false });
    expect(http.requestCount).toBe(1);
  });

  it('stops a download as soon as it passes the size limit', async () => {
    standIn.addSpace('T', 'Test', { groups: ['staff'] });
    const page = standIn.addPage('T', 'Files', '<p>files</p>');
    standIn.addAttachment(page.id, 'big.txt', 'text/plain', Buffer.alloc(4096, 'a'));
    await expect(client().getBytes(`/download/attachments/${page.id}/big.txt`, 1000, signal)).rejects.toMatchObject({ code: 'file_too_large' });
    await expect(client().getBytes(`/download/attachments/${page.id}/big.txt`, 5000, signal)).resolves.toHaveLength(4096);
  });
});
