import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectorDocument, ConnectorEnvironment, SyncContext } from '../../src/core/connector.js';
import type { DocumentFailure } from '../../src/core/document.js';
import { DocentError } from '../../src/core/errors.js';
import { parseDocument } from '../../src/pipeline/parse/parse-document.js';
import { describeConnectorConformance } from '../../test/connectors/connector-conformance.js';
import { VirtualClock } from '../../test/support/virtual-clock.js';
import { startWebSiteStandIn, type StandInRoute, type WebSiteStandIn } from '../../test/support/web-site-stand-in.js';
import type { WebSiteCheckpoint } from './checkpoint.js';
import { webSiteConfigSchema } from './config.js';
import { hugeFileBytes, intranetPage, intranetRoutes } from './fixtures/intranet-site.js';
import { createWebSiteFixture } from './fixtures/web-site-fixture.js';
import { WebSiteConnector, type WebSiteDependencies } from './web-site-connector.js';

describeConnectorConformance('web-site', createWebSiteFixture);

const maxDocumentBytes = 1024 * 1024;
const lastModified = 'Mon, 04 Mar 2024 09:00:00 GMT';

/** What a sync of the connector came to, applied to an index held as id → version. */
interface SyncOutcome {
  documents: ConnectorDocument[];
  failures: DocumentFailure[];
  ids: string[];
  checkpoint: WebSiteCheckpoint;
  logs: string[];
}

let sites: WebSiteStandIn[] = [];
afterEach(async () => {
  await Promise.all(sites.map((site) => site.close()));
  sites = [];
});

async function intranet(options: { requiredAuthorization?: string } = {}): Promise<WebSiteStandIn> {
  const site = await startWebSiteStandIn(options);
  sites.push(site);
  for (const [path, route] of await intranetRoutes(site.origin)) site.routes.set(path, route);
  return site;
}

function environment(env: Record<string, string> = {}): ConnectorEnvironment {
  return { name: 'intranet', env, cacheDirectory: '/nonexistent/unused', maxDocumentBytes };
}

/** A connector for the stand-in, one request at a time, pacing on a virtual clock unless told otherwise. */
function connectorFor(site: WebSiteStandIn, settings: Record<string, unknown> = {}, dependencies: WebSiteDependencies = {}, env: Record<string, string> = {}): WebSiteConnector {
  const config = webSiteConfigSchema.parse({ startUrls: [`${site.origin}/`], concurrency: 1, timeoutMilliseconds: 1000, ...settings });
  return new WebSiteConnector(config, environment(env), { clock: new VirtualClock(), ...dependencies });
}

/**
 * Runs load then listIds on one instance, as the sync runner does, and applies the result
 * to `index`: yielded documents are stored, indexed documents not listed are deleted.
 * The checkpoint goes through JSON, as a store keeps it.
 */
async function sync(connector: WebSiteConnector, checkpoint: WebSiteCheckpoint | undefined, index: Map<string, string>, signal = new AbortController().signal): Promise<SyncOutcome> {
  const logs: string[] = [];
  const context: SyncContext = { signal, indexedVersion: (id) => index.get(id), log: (message) => logs.push(message) };
  const documents: ConnectorDocument[] = [];
  const failures: DocumentFailure[] = [];
  const run = connector.load(checkpoint, context);
  let step = await run.next();
  for (; step.done !== true; step = await run.next()) {
    if ('document' in step.value) documents.push(step.value.document);
    else failures.push(step.value.failure);
  }
  const ids: string[] = [];
  for await (const id of connector.listIds(context)) ids.push(id);
  for (const document of documents) index.set(document.id, document.version);
  for (const id of [...index.keys()]) if (!ids.includes(id)) index.delete(id);
  return { documents, failures, ids, checkpoint: JSON.parse(JSON.stringify(step.value)) as WebSiteCheckpoint, logs };
}

const idOf = (site: WebSiteStandIn, path: string): string => `web-site:intranet:${site.origin}${path}`;
const pathsOf = (site: WebSiteStandIn, documents: { id: string }[]): string[] => documents.map((document) => document.id.slice(idOf(site, '').length));
const failureSummary = (site: WebSiteStandIn, failures: DocumentFailure[]): [string, string, boolean][] =>
  failures.map((failure) => [failure.location.slice(site.origin.length), failure.error.code, failure.error.retryable]);
const sitemapRequests = ['/robots.txt', '/sitemap-index.xml', '/sitemaps/pages.xml.gz', '/sitemaps/files.xml'];
const everyPageOfTheFirstSync = ['/', '/handbook/travel', '/handbook/leave', '/files/benefits.pdf', '/handbook/', '/handbook/expenses', '/files/policy.docx', '/handbook/deep/one', '/handbook/deep/two', '/handbook/deep/three'];

describe('web-site connector against a stand-in intranet', () => {
  it('first sync: robots.txt, the sitemaps, then every page breadth first, once each, politely', async () => {
    const site = await intranet();
    const clock = new VirtualClock();
    const index = new Map<string, string>();
    const outcome = await sync(connectorFor(site, {}, { clock }), undefined, index);

    expect(site.paths()).toEqual([
      ...sitemapRequests,
      // depth 0: the start page, then the sitemap entries (the utm_ copy of leave collapsed into /handbook/leave)
      '/', '/handbook/travel', '/handbook/leave', '/files/benefits.pdf',
      // depth 1, in link order: /private/ is disallowed, the logo never requested, other sites never visited
      '/handbook/', '/print/leave', '/moved', '/handbook/expenses', '/files/policy.docx', '/files/huge.pdf', '/api/status', '/missing', '/broken', '/loop-a', '/loop-b', '/slow',
      // depth 2..4: /handbook/expenses was reached through /moved already
      '/handbook/deep/one', '/handbook/deep/two', '/handbook/deep/three',
    ]);
    expect(site.requests.every((request) => request.userAgent === 'DocentBot/0.1' && request.ifNoneMatch === undefined && request.ifModifiedSince === undefined)).toBe(true);
    // robots.txt's Crawl-delay of 2 s beats the configured 1 s: every request after the first waited for it.
    expect(clock.sleeps).toEqual(Array.from({ length: site.requests.length - 1 }, () => 2000));

    expect(pathsOf(site, outcome.documents)).toEqual(everyPageOfTheFirstSync);
    expect(outcome.documents.map((document) => document.name)).toEqual(['index.html', 'travel.html', 'leave.html', 'benefits.pdf', 'handbook.html', 'expenses.html', 'policy.docx', 'one.html', 'two.html', 'three.html']);
    const byPath = new Map(outcome.documents.map((document) => [document.uri.slice(site.origin.length), document]));
    expect(byPath.get('/')).toMatchObject({ sourceId: 'web-site:intranet', uri: `${site.origin}/`, access: ['everyone'] });
    expect(byPath.get('/')!.version).toMatch(/^etag:"home-1";access=[0-9a-f]{8}$/);
    expect(byPath.get('/handbook/leave')!.version).toMatch(/^etag:W\/"leave-1";access=/);
    expect(byPath.get('/handbook/expenses')!).toMatchObject({ modifiedAt: '2024-03-04T09:00:00.000Z', version: expect.stringMatching(/^modified:Mon, 04 Mar 2024 09:00:00 GMT;access=/) });
    expect(byPath.get('/handbook/travel')!.version).toMatch(/^sha256:[0-9a-f]{32};access=/);

    expect(failureSummary(site, outcome.failures)).toEqual([
      ['/files/huge.pdf', 'file_too_large', false],
      ['/broken', 'source_unreachable', true],
      ['/loop-a', 'file_unreadable', false],
      ['/slow', 'source_unreachable', true],
    ]);
    expect(outcome.failures[2]!.error.message).toContain('redirects in a loop');
    expect(outcome.failures[3]!.error.message).toContain('did not answer within 1000 ms');
    // The huge file was abandoned near the limit, not downloaded.
    expect(site.streamedBytes.get('/files/huge.pdf')!).toBeLessThan(hugeFileBytes / 4);

    expect(outcome.ids.sort()).toEqual(everyPageOfTheFirstSync.map((path) => idOf(site, path)).sort());
    expect(outcome.logs.some((line) => line.includes('/missing answered 404'))).toBe(true);
  });

  it('yields bytes the existing parsers read by the name it gives them', async () => {
    const site = await intranet();
    site.routes.delete('/slow');
    const outcome = await sync(connectorFor(site), undefined, new Map());
    const text = async (path: string): Promise<string> => {
      const document = outcome.documents.find((candidate) => candidate.uri === `${site.origin}${path}`)!;
      const parsed = await parseDocument(document);
      return parsed.blocks.map((block) => block.text).join('\n');
    };
    expect(await text('/handbook/leave')).toContain('25 days of annual leave');
    expect(await text('/files/benefits.pdf')).toContain('Health insurance covers the employee and family.');
    expect(await text('/files/policy.docx')).toContain('up to three days a week');
  });

  it('re-sync of an unchanged site revalidates every known page and yields nothing', async () => {
    const site = await intranet();
    const index = new Map<string, string>();
    const first = await sync(connectorFor(site), undefined, index);
    site.requests.length = 0;
    // A few bytes a page besides its URL; versions live in the index, except a duplicate's own.
    expect(first.checkpoint.pages).toMatchObject({
      [`${site.origin}/`]: 0,
      [`${site.origin}/handbook/deep/three`]: 4,
      [`${site.origin}/moved`]: [1, `${site.origin}/handbook/expenses`],
      [`${site.origin}/print/leave`]: [1, `${site.origin}/handbook/leave`, expect.stringMatching(/^etag:"print-leave-1";access=/)],
      [`${site.origin}/broken`]: 1,
    });

    const second = await sync(connectorFor(site), first.checkpoint, index);
    expect(second.documents).toEqual([]);
    expect(second.ids.sort()).toEqual(first.ids.sort());
    expect([...index.keys()].sort()).toEqual(first.ids.sort());
    expect(failureSummary(site, second.failures)).toEqual(failureSummary(site, first.failures));

    // Pages answering 304 show no links; the checkpoint's pages are visited all the same.
    // /api/status and /missing held nothing and are not asked for again.
    expect(site.requests.map((request) => [request.path, request.ifNoneMatch ?? request.ifModifiedSince ?? null])).toEqual([
      ['/robots.txt', null], ['/sitemap-index.xml', null], ['/sitemaps/pages.xml.gz', null], ['/sitemaps/files.xml', null],
      ['/', '"home-1"'], ['/handbook/travel', null], ['/handbook/leave', 'W/"leave-1"'], ['/files/benefits.pdf', lastModified],
      ['/handbook/', '"handbook-1"'], ['/print/leave', '"print-leave-1"'], ['/moved', lastModified], ['/handbook/expenses', lastModified],
      ['/files/policy.docx', '"policy-1"'], ['/files/huge.pdf', null], ['/broken', null], ['/loop-a', null], ['/loop-b', null], ['/slow', null],
      ['/handbook/deep/one', '"one-1"'], ['/handbook/deep/two', '"two-1"'], ['/handbook/deep/three', '"three-1"'],
    ]);
    // Only If-None-Match where there is an ETag (it wins over If-Modified-Since anyway).
    expect(site.requests.find((request) => request.path === '/handbook/leave')!.ifModifiedSince).toBeUndefined();
  });

  it('picks up changed, new and deleted pages, and keeps a known page that fails for now', async () => {
    const site = await intranet();
    const index = new Map<string, string>();
    const first = await sync(connectorFor(site), undefined, index);

    site.routes.set('/handbook/leave', { kind: 'content', body: intranetPage('Annual leave', '<p>Now 27 days a year.</p>'), contentType: 'text/html', etag: 'W/"leave-2"' });
    site.routes.set('/handbook/travel', { kind: 'content', body: intranetPage('Travel', '<p>Trains only.</p>'), contentType: 'text/html' });
    site.routes.delete('/handbook/expenses');
    site.routes.set('/handbook/deep/three', { kind: 'status', status: 410 });
    site.routes.set('/handbook/deep/one', { kind: 'status', status: 503 });
    site.routes.set('/broken', { kind: 'content', body: intranetPage('Cafeteria menu', '<p>Soup of the day.</p>'), contentType: 'text/html' });
    site.requests.length = 0;

    const second = await sync(connectorFor(site), first.checkpoint, index);
    // /broken failed last time, so the checkpoint kept it to try again, even though / answered 304.
    expect(pathsOf(site, second.documents)).toEqual(['/handbook/travel', '/handbook/leave', '/broken']);
    expect(second.documents[1]!.version).toMatch(/^etag:W\/"leave-2";/);
    expect(failureSummary(site, second.failures)).toEqual([
      ['/files/huge.pdf', 'file_too_large', false],
      ['/loop-a', 'file_unreadable', false],
      ['/slow', 'source_unreachable', true],
      ['/handbook/deep/one', 'source_unreachable', true],
    ]);
    expect(second.failures[3]!.documentId).toBe(idOf(site, '/handbook/deep/one'));
    // 404 and 410 delete; the 503 does not. deep/two is still visited although deep/one showed no links.
    const expected = ['/', '/handbook/travel', '/handbook/leave', '/files/benefits.pdf', '/handbook/', '/files/policy.docx', '/handbook/deep/one', '/handbook/deep/two', '/broken'];
    expect(second.ids.sort()).toEqual(expected.map((path) => idOf(site, path)).sort());
    expect([...index.keys()].sort()).toEqual(expected.map((path) => idOf(site, path)).sort());
    expect(site.paths()).toContain('/handbook/deep/two');
  });

  it('fetches a page whole again when the index does not hold the version the checkpoint recorded', async () => {
    const site = await intranet();
    site.routes.delete('/slow');
    const index = new Map<string, string>();
    const first = await sync(connectorFor(site), undefined, index);
    index.delete(idOf(site, '/handbook/leave'));
    site.requests.length = 0;

    const second = await sync(connectorFor(site), first.checkpoint, index);
    expect(pathsOf(site, second.documents)).toEqual(['/handbook/leave']);
    expect(site.requests.find((request) => request.path === '/handbook/leave')).toEqual(expect.not.objectContaining({ ifNoneMatch: expect.anything() }));
  });

  it('does not yield a page whose server ignores validators but sends the same one', async () => {
    const site = await intranet();
    site.routes.delete('/slow');
    const index = new Map<string, string>();
    const first = await sync(connectorFor(site, { maxDepth: 0, sitemapsFromRobots: false }), undefined, index);
    const home = site.routes.get('/')!;
    if (home.kind === 'content') home.ignoresConditionals = true;
    const second = await sync(connectorFor(site, { maxDepth: 0, sitemapsFromRobots: false }), first.checkpoint, index);
    expect(pathsOf(site, first.documents)).toEqual(['/']);
    expect(second.documents).toEqual([]);
    expect(second.ids).toEqual([idOf(site, '/')]);
  });

  it('re-reads every page, unconditionally, when who may read the site changes', async () => {
    const site = await intranet();
    site.routes.delete('/slow');
    const index = new Map<string, string>();
    const settings = { maxDepth: 1, sitemapsFromRobots: false };
    const first = await sync(connectorFor(site, settings), undefined, index);
    site.requests.length = 0;
    const second = await sync(connectorFor(site, { ...settings, access: ['group:staff', 'group:contractors'] }), first.checkpoint, index);
    expect(pathsOf(site, second.documents)).toEqual(pathsOf(site, first.documents));
    expect(second.documents.every((document) => document.access.join() === 'group:staff,group:contractors')).toBe(true);
    expect(site.requests.some((request) => request.ifNoneMatch !== undefined || request.ifModifiedSince !== undefined)).toBe(false);
  });

  it('with trustSitemapLastmod, does not ask about pages the sitemap says are older than the last run', async () => {
    const site = await intranet();
    site.routes.delete('/slow');
    const settings = { trustSitemapLastmod: true, maxDepth: 0 };
    const clockAt = (date: number): VirtualClock => Object.assign(new VirtualClock(), { time: date });
    const index = new Map<string, string>();
    const first = await sync(connectorFor(site, settings, { clock: clockAt(Date.UTC(2024, 5, 1)) }), undefined, index);
    expect(first.checkpoint.startedAt).toBe(Date.UTC(2024, 5, 1));
    expect(pathsOf(site, first.documents)).toContain('/handbook/travel');

    site.requests.length = 0;
    const second = await sync(connectorFor(site, settings, { clock: clockAt(Date.UTC(2024, 5, 2)) }), first.checkpoint, index);
    // travel's <lastmod> (2024-03-01) predates the first run; leave has no <lastmod>, the start page is always asked.
    expect(site.paths()).toEqual([...sitemapRequests, '/', '/handbook/leave', '/files/benefits.pdf']);
    expect(second.documents).toEqual([]);
    expect(second.ids).toContain(idOf(site, '/handbook/travel'));
    expect(second.logs).toContain('1 pages not requested: their sitemap lastmod is older than the previous run');

    site.routes.set('/handbook/travel', { kind: 'content', body: intranetPage('Travel', '<p>Trains only.</p>'), contentType: 'text/html' });
    site.routes.set('/sitemaps/pages.xml.gz', { kind: 'content', body: gzipSync(`<urlset><url><loc>${site.origin}/handbook/travel</loc><lastmod>2024-06-03</lastmod></url></urlset>`), contentType: 'application/gzip' });
    const third = await sync(connectorFor(site, settings, { clock: clockAt(Date.UTC(2024, 5, 4)) }), second.checkpoint, index);
    expect(pathsOf(site, third.documents)).toEqual(['/handbook/travel']);
  });

  it('collapses a page into the one its canonical link names', async () => {
    const site = await intranet();
    const outcome = await sync(connectorFor(site, { startUrls: [`${site.origin}/print/leave?utm_source=mail&ref=2#top`], maxDepth: 0, sitemapsFromRobots: false }), undefined, new Map());
    expect(site.paths()).toEqual(['/robots.txt', '/print/leave?ref=2']);
    expect(outcome.documents.map((document) => [document.id, document.uri, document.name])).toEqual([[idOf(site, '/handbook/leave'), `${site.origin}/handbook/leave`, 'leave.html']]);
    expect(outcome.ids).toEqual([idOf(site, '/handbook/leave')]);
    expect(outcome.checkpoint.pages[`${site.origin}/print/leave?ref=2`]).toEqual([0, `${site.origin}/handbook/leave`]);
  });

  it('requests pages as linked while the trailing slash rule merges their identities', async () => {
    const site = await intranet();
    site.routes.set('/handbook', { kind: 'redirect', status: 301, location: '/handbook/' });
    site.routes.set('/handbook/leave', { kind: 'content', body: intranetPage('Annual leave', '<a href="/handbook">Handbook</a> <a href="./">Handbook again</a>'), contentType: 'text/html' });
    const outcome = await sync(connectorFor(site, { startUrls: [`${site.origin}/handbook`], trailingSlash: 'strip', maxDepth: 1, sitemapsFromRobots: false }), undefined, new Map());
    // /handbook redirects to /handbook/, whose identity is /handbook again: followed, not taken for a loop;
    // its relative links resolve against /handbook/, where it was served.
    expect(site.paths()).toEqual(['/robots.txt', '/handbook', '/handbook/', '/handbook/leave', '/handbook/expenses', '/handbook/deep/one']);
    expect(outcome.documents.map((document) => [document.id, document.uri])).toEqual([
      [idOf(site, '/handbook'), `${site.origin}/handbook/`],
      [idOf(site, '/handbook/leave'), `${site.origin}/handbook/leave`],
      [idOf(site, '/handbook/expenses'), `${site.origin}/handbook/expenses`],
      [idOf(site, '/handbook/deep/one'), `${site.origin}/handbook/deep/one`],
    ]);
    expect(outcome.failures).toEqual([]);
  });

  it('stops at the depth limit', async () => {
    const site = await intranet();
    site.routes.delete('/slow');
    const outcome = await sync(connectorFor(site, { maxDepth: 2, sitemapsFromRobots: false }), undefined, new Map());
    expect(site.paths()).toContain('/handbook/deep/one');
    expect(site.paths()).not.toContain('/handbook/deep/two');
    expect(pathsOf(site, outcome.documents)).not.toContain('/handbook/deep/two');
  });

  it('stops at the page limit and says so', async () => {
    const site = await intranet();
    const outcome = await sync(connectorFor(site, { maxPages: 3 }), undefined, new Map());
    expect(site.paths()).toEqual([...sitemapRequests, '/', '/handbook/travel', '/handbook/leave']);
    expect(pathsOf(site, outcome.documents)).toEqual(['/', '/handbook/travel', '/handbook/leave']);
    expect(outcome.logs.some((line) => /page limit of 3 reached; \d+ pages found were not visited/.test(line))).toBe(true);
  });

  it('keeps to the path prefix', async () => {
    const site = await intranet();
    const outcome = await sync(connectorFor(site, { startUrls: [`${site.origin}/handbook/`], pathPrefix: '/handbook/', maxDepth: 1 }), undefined, new Map());
    expect(site.paths()).toEqual([...sitemapRequests, '/handbook/', '/handbook/travel', '/handbook/leave', '/handbook/expenses', '/handbook/deep/one']);
    expect(outcome.documents).toHaveLength(5);
  });

  it('obeys the robots.txt group of its own user agent, and the larger of the two delays', async () => {
    const site = await intranet();
    site.routes.delete('/slow');
    const clock = new VirtualClock();
    await sync(connectorFor(site, { userAgent: 'StrictBot/2.0', maxDepth: 1, sitemapsFromRobots: false }, { clock }), undefined, new Map());
    // StrictBot's own group disallows /handbook/ only (groups do not add up), and asks for 0.5 s, less than the configured 1 s.
    expect(site.paths().filter((path) => path.startsWith('/handbook/'))).toEqual([]);
    expect(site.paths()).toContain('/private/salaries');
    expect(clock.sleeps.every((sleep) => sleep === 1000)).toBe(true);
    expect(site.requests.every((request) => request.userAgent === 'StrictBot/2.0')).toBe(true);

    const slower = new VirtualClock();
    await sync(connectorFor(site, { delayMilliseconds: 3000, maxDepth: 0, sitemapsFromRobots: false }, { clock: slower }), undefined, new Map());
    expect(slower.sleeps).toEqual([3000]);
  });

  it('keeps several requests in flight, their starts still spaced by the delay', async () => {
    const site = await intranet();
    // /slow answers only once /handbook/ was asked for: one request at a time would time out.
    const handbookAsked = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (site.paths().includes('/handbook/')) {
          clearInterval(timer);
          resolve();
        }
      }, 2);
    });
    site.routes.set('/slow', { kind: 'held', release: handbookAsked, route: { kind: 'content', body: intranetPage('Reports', '<p>Quarterly reports.</p>'), contentType: 'text/html' } });
    const clock = new VirtualClock();
    const starts: number[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      starts.push(clock.now());
      return fetch(input, init);
    };
    const outcome = await sync(
      connectorFor(site, { startUrls: [`${site.origin}/slow`, `${site.origin}/handbook/`], concurrency: 3, maxDepth: 1, timeoutMilliseconds: 30_000, sitemapsFromRobots: false }, { clock, fetch: recordingFetch }),
      undefined,
      new Map(),
    );
    expect(site.paths().slice(0, 3)).toEqual(['/robots.txt', '/slow', '/handbook/']);
    expect(outcome.failures).toEqual([]);
    expect(pathsOf(site, outcome.documents)).toContain('/slow');
    expect(pathsOf(site, outcome.documents).indexOf('/handbook/')).toBeLessThan(pathsOf(site, outcome.documents).indexOf('/slow'));
    const gaps = starts.slice(1).map((start, index) => start - starts[index]!);
    expect(gaps.length).toBeGreaterThan(3);
    expect(gaps.every((gap) => gap >= 2000)).toBe(true);
  });

  it('abandons a file whose declared length is over the limit without reading it', async () => {
    const site = await intranet();
    site.routes.set('/files/huge.pdf', { kind: 'stream', contentType: 'application/pdf', totalBytes: hugeFileBytes, declaresLength: true });
    const outcome = await sync(connectorFor(site, { startUrls: [`${site.origin}/files/huge.pdf`], sitemapsFromRobots: false }), undefined, new Map()).catch((error: unknown) => error);
    // The only start page failed, so the run fails as a whole: nothing is deleted on its account.
    expect(outcome).toBeInstanceOf(DocentError);
    expect((outcome as DocentError).message).toContain(`is ${hugeFileBytes} bytes, over the ${maxDocumentBytes}-byte limit`);
    expect(site.streamedBytes.get('/files/huge.pdf')!).toBeLessThan(hugeFileBytes / 4);
  });

  it('fails the whole run, deleting nothing, when robots.txt or every start page cannot be read for now', async () => {
    const site = await intranet();
    site.routes.delete('/slow');
    const index = new Map<string, string>();
    const first = await sync(connectorFor(site), undefined, index);
    const indexed = [...index.keys()].sort();

    site.routes.set('/robots.txt', { kind: 'status', status: 503 });
    await expect(sync(connectorFor(site), first.checkpoint, index)).rejects.toMatchObject({ code: 'source_unreachable', retryable: true });
    expect([...index.keys()].sort()).toEqual(indexed);

    site.routes.set('/robots.txt', { kind: 'status', status: 404 });
    site.routes.set('/', { kind: 'status', status: 502 });
    await expect(sync(connectorFor(site, { sitemapsFromRobots: false }), first.checkpoint, index)).rejects.toMatchObject({ code: 'source_unreachable', retryable: true });
    expect([...index.keys()].sort()).toEqual(indexed);

    // A robots.txt that suddenly disallows everything (a staging file deployed by mistake) needs an admin, not a purge.
    site.routes.set('/robots.txt', { kind: 'content', body: Buffer.from('User-agent: *\nDisallow: /\n'), contentType: 'text/plain' });
    site.requests.length = 0;
    await expect(sync(connectorFor(site), first.checkpoint, index)).rejects.toMatchObject({ code: 'source_unreachable', retryable: false });
    expect(site.paths()).toEqual(['/robots.txt']);
    expect([...index.keys()].sort()).toEqual(indexed);
  });

  it('follows but does not index a noindex page, and drops a page that turns noindex', async () => {
    const site = await intranet();
    const settings = { startUrls: [`${site.origin}/handbook/`], maxDepth: 1, sitemapsFromRobots: false };
    const index = new Map<string, string>();
    const first = await sync(connectorFor(site, settings), undefined, index);
    expect(pathsOf(site, first.documents)).toEqual(['/handbook/', '/handbook/leave', '/handbook/expenses', '/handbook/deep/one']);

    site.routes.set('/handbook/', { kind: 'content', body: intranetPage('Handbook', '<meta name="robots" content="noindex"><a href="leave">Leave</a>'), contentType: 'text/html', etag: '"handbook-2"' });
    const second = await sync(connectorFor(site, settings), first.checkpoint, index);
    expect(second.documents).toEqual([]);
    expect(second.ids.sort()).toEqual(['/handbook/leave', '/handbook/expenses', '/handbook/deep/one'].map((path) => idOf(site, path)).sort());
    expect(second.checkpoint.pages[`${site.origin}/handbook/`]).toBe(0);
  });

  it('honours X-Robots-Tag: a noindex file is not indexed, a nofollow page\'s links are not followed, another crawler\'s directives do not apply', async () => {
    const site = await intranet();
    const settings = { startUrls: [`${site.origin}/handbook/`], maxDepth: 1, sitemapsFromRobots: false };
    const route = (path: string) => site.routes.get(path) as Extract<StandInRoute, { kind: 'content' }>;
    site.routes.set('/handbook/', { ...route('/handbook/'), headers: { 'x-robots-tag': 'googlebot: noindex, DocentBot: nofollow' } });
    site.routes.set('/handbook/leave', { ...route('/handbook/leave'), headers: { 'x-robots-tag': 'noindex' } });
    const outcome = await sync(connectorFor(site, { ...settings, startUrls: [`${site.origin}/handbook/`, `${site.origin}/handbook/leave`] }), undefined, new Map());
    // The handbook index is indexed (googlebot's noindex is not ours) but none of its links is visited; leave is fetched and not indexed.
    expect(pathsOf(site, outcome.documents)).toEqual(['/handbook/']);
    expect(site.paths()).toEqual(['/robots.txt', '/handbook/', '/handbook/leave']);

    site.routes.set('/files/benefits.pdf', { ...route('/files/benefits.pdf'), headers: { 'x-robots-tag': 'none' } });
    const file = await sync(connectorFor(site, { ...settings, startUrls: [`${site.origin}/files/benefits.pdf`] }), undefined, new Map());
    expect(file.documents).toEqual([]);
    expect(file.failures).toEqual([]);
  });

  it('waits out a short Retry-After on a 429 or 503 and asks again; a long one pauses the site and fails the page for this run', async () => {
    const site = await intranet();
    const settings = { startUrls: [`${site.origin}/handbook/leave`, `${site.origin}/handbook/travel`], maxDepth: 0, sitemapsFromRobots: false };
    const leave = site.routes.get('/handbook/leave')!;
    site.routes.set('/handbook/leave', { kind: 'sequence', routes: [{ kind: 'status', status: 503, headers: { 'retry-after': '30' } }, leave] });
    const clock = new VirtualClock();
    const outcome = await sync(connectorFor(site, settings, { clock }), undefined, new Map());
    expect(pathsOf(site, outcome.documents)).toEqual(['/handbook/leave', '/handbook/travel']);
    expect(site.paths()).toEqual(['/robots.txt', '/handbook/leave', '/handbook/leave', '/handbook/travel']);
    // The second request waited the 30 s the site asked for (robots.txt's Crawl-delay of 2 s is the usual gap).
    expect(clock.sleeps).toContain(30_000);

    site.routes.set('/handbook/leave', { kind: 'status', status: 429, headers: { 'retry-after': '3600' } });
    site.requests.length = 0;
    const busy = new VirtualClock();
    const refused = await sync(connectorFor(site, settings, { clock: busy }), undefined, new Map());
    expect(failureSummary(site, refused.failures)).toEqual([['/handbook/leave', 'source_unreachable', true]]);
    expect(refused.failures[0]!.error.message).toContain('asked to wait 3600 s (Retry-After)');
    expect(pathsOf(site, refused.documents)).toEqual(['/handbook/travel']);
    // Asked once; the rest of the site waited the longest pause the crawler takes (60 s), not an hour.
    expect(site.paths()).toEqual(['/robots.txt', '/handbook/leave', '/handbook/travel']);
    expect(busy.sleeps).toContain(60_000);
  });

  it('passes on the charset the server sends, so a page without a charset of its own is decoded right', async () => {
    const site = await intranet();
    const russian = 'Отпуск двадцать дней.';
    site.routes.set('/handbook/leave', { kind: 'content', body: iconv.encode(`<html><head><title>Отпуск</title></head><body><p>${russian}</p></body></html>`, 'koi8-r'), contentType: 'text/html; charset=KOI8-R' });
    const outcome = await sync(connectorFor(site, { startUrls: [`${site.origin}/handbook/leave`], maxDepth: 0, sitemapsFromRobots: false }), undefined, new Map());
    const [document] = outcome.documents;
    expect(document!.charset).toBe('KOI8-R');
    const parsed = await parseDocument({ name: document!.name, content: document!.content, charset: document!.charset! });
    expect(parsed.blocks.map((block) => block.text)).toEqual([russian]);
  });

  it('sends credentials from the environment, and never shows them', async () => {
    const token = 's3cret-token-value';
    const site = await intranet({ requiredAuthorization: `Bearer ${token}` });
    const auth = { scheme: 'bearer', tokenVariable: 'INTRANET_TOKEN' };
    const good = connectorFor(site, { auth, maxDepth: 0, sitemapsFromRobots: false }, {}, { INTRANET_TOKEN: token });
    await good.validate(new AbortController().signal);
    const outcome = await sync(good, undefined, new Map());
    expect(pathsOf(site, outcome.documents)).toEqual(['/']);
    expect(site.requests.every((request) => request.authorization === `Bearer ${token}`)).toBe(true);

    const wrong = connectorFor(site, { auth, maxDepth: 0, sitemapsFromRobots: false }, {}, { INTRANET_TOKEN: 'expired' });
    const validation = await wrong.validate(new AbortController().signal).catch((error: unknown) => error);
    expect(validation).toMatchObject({ code: 'credentials_rejected', retryable: false });
    const logs: string[] = [];
    const messages: string[] = [];
    const run = wrong.load(undefined, { signal: new AbortController().signal, indexedVersion: () => undefined, log: (line) => logs.push(line) });
    const failure = await (async () => {
      for await (const item of run) if ('failure' in item) messages.push(item.failure.error.message);
    })().catch((error: unknown) => error);
    // The refused start page is reported, then the run fails as a whole: an admin must act.
    expect(messages).toHaveLength(1);
    expect(failure).toMatchObject({ code: 'credentials_rejected', retryable: false });
    for (const text of [...logs, ...messages, (validation as Error).message, (failure as Error).message]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain('expired');
    }

    const unset = connectorFor(site, { auth });
    await expect(unset.validate(new AbortController().signal)).rejects.toMatchObject({ code: 'credentials_rejected', message: expect.stringContaining('INTRANET_TOKEN') });
  });

  it('validate: passes for a reachable, allowed start page and names what is wrong otherwise', async () => {
    const site = await intranet();
    const signal = new AbortController().signal;
    await connectorFor(site).validate(signal);
    expect(site.paths()).toEqual(['/robots.txt', '/']);

    await expect(connectorFor(site, { startUrls: [`${site.origin}/handbook/`], userAgent: 'StrictBot/1.0' }).validate(signal)).rejects.toMatchObject({ code: 'config_invalid', message: expect.stringContaining('robots.txt') });
    await expect(connectorFor(site, { startUrls: [`${site.origin}/missing`] }).validate(signal)).rejects.toMatchObject({ code: 'source_unreachable', retryable: false });
    await expect(connectorFor(site, { startUrls: [`${site.origin}/loop-a`] }).validate(signal)).rejects.toMatchObject({ code: 'source_unreachable', retryable: false });
    site.routes.set('/robots.txt', { kind: 'status', status: 500 });
    await expect(connectorFor(site).validate(signal)).rejects.toMatchObject({ code: 'source_unreachable', retryable: true });

    const closed = await intranet();
    const origin = closed.origin;
    await closed.close();
    sites = sites.filter((candidate) => candidate !== closed);
    const unreachable = new WebSiteConnector(webSiteConfigSchema.parse({ startUrls: [`${origin}/`] }), environment());
    await expect(unreachable.validate(signal)).rejects.toMatchObject({ code: 'source_unreachable', retryable: true });
  });

  it('keeps one pace across validate and load, as a run calls them on one instance', async () => {
    const site = await intranet();
    const clock = new VirtualClock();
    const connector = connectorFor(site, { maxDepth: 0, sitemapsFromRobots: false, delayMilliseconds: 3000 }, { clock });
    await connector.validate(new AbortController().signal);
    await sync(connector, undefined, new Map());
    expect(site.paths()).toEqual(['/robots.txt', '/', '/robots.txt', '/']);
    expect(clock.sleeps).toEqual([3000, 3000, 3000]);
  });

  it('listIds on an instance that never finished a load crawls the site itself', async () => {
    const site = await intranet();
    site.routes.delete('/slow');
    const viaSync = await sync(connectorFor(site), undefined, new Map());
    const fresh = connectorFor(site);
    const ids: string[] = [];
    for await (const id of fresh.listIds({ signal: new AbortController().signal, indexedVersion: () => undefined, log: () => undefined })) ids.push(id);
    expect(ids.sort()).toEqual(viaSync.ids.sort());

    // Stopped half-way, it lists nothing at all: a partial list would delete what it missed.
    const controller = new AbortController();
    controller.abort(new DocentError('internal', 'stopped before listing'));
    const stopped = connectorFor(site);
    const listing = (async () => {
      for await (const id of stopped.listIds({ signal: controller.signal, indexedVersion: () => undefined, log: () => undefined })) ids.push(id);
    })();
    await expect(listing).rejects.toThrow('stopped before listing');
  });

  it('stops promptly when the run is aborted, handing back the checkpoint it started from', async () => {
    const site = await intranet();
    const previous: WebSiteCheckpoint = { format: 1, startedAt: 1, pages: { [`${site.origin}/handbook/`]: 1 } };
    const controller = new AbortController();
    const connector = connectorFor(site);
    const run = connector.load(previous, { signal: controller.signal, indexedVersion: () => undefined, log: () => undefined });
    const first = await run.next();
    expect(first.done).toBe(false);
    const requestedAtAbort = site.requests.length;
    controller.abort(new DocentError('internal', 'run stopped by the test'));
    // At most what was already under way comes out; then the load ends.
    let step = await run.next();
    let after = 0;
    for (; step.done !== true; step = await run.next()) after += 1;
    expect(after).toBeLessThanOrEqual(1);
    expect(step.value).toBe(previous);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(site.requests.length).toBeLessThanOrEqual(requestedAtAbort + 1);
  });

  it('gives sections their own readers, and re-reads only the pages whose readers changed', async () => {
    const site = await intranet();
    site.routes.delete('/slow');
    const settings = { startUrls: [`${site.origin}/handbook/`], maxDepth: 1, sitemapsFromRobots: false };
    const index = new Map<string, string>();
    const first = await sync(connectorFor(site, { ...settings, access: ['group:staff'], accessByPath: [{ pathPrefix: '/handbook/deep/', access: ['group:editors'] }] }), undefined, index);
    expect(first.documents.map((document) => [document.uri.slice(site.origin.length), document.access])).toEqual([
      ['/handbook/', ['group:staff']],
      ['/handbook/leave', ['group:staff']],
      ['/handbook/expenses', ['group:staff']],
      ['/handbook/deep/one', ['group:editors']],
    ]);

    site.requests.length = 0;
    const sections = [{ pathPrefix: '/handbook/deep/', access: ['group:editors'] }, { pathPrefix: '/handbook/leave', access: ['group:hr', 'group:staff'] }];
    const second = await sync(connectorFor(site, { ...settings, access: ['group:staff'], accessByPath: sections }), first.checkpoint, index);
    expect(second.documents.map((document) => [document.uri.slice(site.origin.length), document.access])).toEqual([['/handbook/leave', ['group:hr', 'group:staff']]]);
    expect(second.documents[0]!.version).not.toBe(first.documents[1]!.version);
    expect(site.requests.map((request) => [request.path, request.ifNoneMatch ?? request.ifModifiedSince ?? null])).toEqual([
      ['/robots.txt', null], ['/handbook/', '"handbook-1"'], ['/handbook/leave', null], ['/handbook/expenses', lastModified], ['/handbook/deep/one', '"one-1"'],
    ]);
  });
});
