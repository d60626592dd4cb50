import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectorDocument, ConnectorItem, SyncContext } from '../../src/core/connector.js';
import { DocentError } from '../../src/core/errors.js';
import { parseDocument } from '../../src/pipeline/parse/parse-document.js';
import { ConfluenceStandIn, type ConfluenceStandInOptions } from '../../test/support/confluence-stand-in.js';
import { confluenceConfigSchema, type ConfluenceConfigInput } from './config.js';
import { ConfluenceConnector, type ConfluenceCheckpoint } from './confluence-connector.js';
import { seedSampleSite, type SampleSite } from './fixtures/sample-site.js';

const token = 'pat-0123456789abcdef';
const standIns: ConfluenceStandIn[] = [];

afterEach(async () => {
  await Promise.all(standIns.splice(0).map((standIn) => standIn.close()));
});

async function startSite(options: Partial<ConfluenceStandInOptions> = {}): Promise<{ standIn: ConfluenceStandIn; site: SampleSite }> {
  const standIn = await ConfluenceStandIn.start({ token, ...options });
  standIns.push(standIn);
  return { standIn, site: await seedSampleSite(standIn) };
}

function connectorFor(standIn: ConfluenceStandIn, settings: Partial<ConfluenceConfigInput> = {}, env: Record<string, string | undefined> = { CONFLUENCE_TOKEN: token }) {
  const config = confluenceConfigSchema.parse({ baseUrl: standIn.url, spaces: ['ENG'], ...settings });
  return new ConfluenceConnector(config, { name: 'wiki', env, cacheDirectory: '/nonexistent', maxDocumentBytes: 10 * 1024 * 1024 }, { retryBaseDelayMs: 5 });
}

/**
 * What a sync keeps between runs for one source: each indexed document's version and
 * readers, and the checkpoint. Applies a load's documents and a listing's deletions the
 * way the Connector contract describes.
 */
class IndexedSource {
  readonly versions = new Map<string, string>();
  readonly access = new Map<string, string[]>();
  checkpoint: ConfluenceCheckpoint | undefined;
  readonly log: string[] = [];

  context(signal = new AbortController().signal): SyncContext {
    return { signal, indexedVersion: (id) => this.versions.get(id), log: (line) => this.log.push(line) };
  }

  /** One load: documents applied, the checkpoint kept. */
  async load(connector: ConfluenceConnector): Promise<{ documents: ConnectorDocument[]; failures: Failure[] }> {
    const run = connector.load(this.checkpoint, this.context());
    const documents: ConnectorDocument[] = [];
    const failures: Failure[] = [];
    for (;;) {
      const next = await run.next();
      if (next.done === true) {
        this.checkpoint = next.value;
        return { documents, failures };
      }
      if ('document' in next.value) {
        documents.push(next.value.document);
        this.versions.set(next.value.document.id, next.value.document.version);
        this.access.set(next.value.document.id, next.value.document.access);
      } else {
        failures.push(next.value.failure);
      }
    }
  }

  /** A load, then deletion of whatever the source no longer lists. */
  async sync(connector: ConfluenceConnector): Promise<{ documents: ConnectorDocument[]; failures: Failure[] }> {
    const loaded = await this.load(connector);
    const listed = new Set<string>();
    for await (const id of connector.listIds(this.context())) listed.add(id);
    for (const id of [...this.versions.keys()]) {
      if (!listed.has(id)) {
        this.versions.delete(id);
        this.access.delete(id);
      }
    }
    return loaded;
  }
}

type Failure = Extract<ConnectorItem, { failure: unknown }>['failure'];

async function drain<T, R>(run: AsyncGenerator<T, R>): Promise<R> {
  for (;;) {
    const next = await run.next();
    if (next.done === true) return next.value;
  }
}

const pageId = (id: string) => `confluence:wiki:page/${id}`;
const attachmentId = (id: string) => `confluence:wiki:attachment/${id}`;
const byId = (documents: ConnectorDocument[]) => Object.fromEntries(documents.map((document) => [document.id, document]));

describe('Confluence connector against the REST API stand-in', () => {
  it('indexes pages and attachments with the readers Confluence would allow', async () => {
    const { standIn, site } = await startSite();
    const source = new IndexedSource();
    const { documents, failures } = await source.sync(connectorFor(standIn));

    expect(failures).toEqual([]);
    const documentsById = byId(documents);
    expect(Object.keys(documentsById).sort()).toEqual(
      [pageId(site.home.id), pageId(site.runbook.id), pageId(site.payroll.id), pageId(site.salaries.id), attachmentId(site.guide.id)].sort(),
    );
    // Space viewers for unrestricted pages; restricted pages narrowed to those who pass every level.
    expect(documentsById[pageId(site.home.id)]!.access).toEqual(['group:staff', 'user:dana']);
    expect(documentsById[pageId(site.runbook.id)]!.access).toEqual(['group:staff', 'user:dana']);
    expect(documentsById[pageId(site.payroll.id)]!.access).toEqual(['user:carl']); // erin is in payroll but may not view the space
    expect(documentsById[pageId(site.salaries.id)]!.access).toEqual(['user:carl']); // bob is named but is not in payroll
    expect(documentsById[attachmentId(site.guide.id)]!.access).toEqual(['group:staff', 'user:dana']);

    const runbook = documentsById[pageId(site.runbook.id)]!;
    expect(runbook).toMatchObject({
      sourceId: 'confluence:wiki',
      name: 'Release runbook.html',
      uri: `${standIn.url}/display/ENG/Release+runbook`,
      modifiedAt: site.runbook.modifiedAt.toISOString(),
    });
    expect(runbook.version).toMatch(/^page-1-storage1-readers-[0-9a-f]{16}$/);
    const parsed = await parseDocument(runbook);
    expect(parsed.title).toBe('Release runbook');
    expect(parsed.blocks.map((block) => block.text)).toContain('No releases during the December freeze.');
    expect(parsed.metadata?.siteName).toBe('Engineering');

    const guide = documentsById[attachmentId(site.guide.id)]!;
    expect(guide).toMatchObject({ name: 'deploy-guide.pdf', version: expect.stringMatching(/^attachment-1-readers-/) });
    expect(guide.parentId).toBeUndefined(); // its own document, deleted through listIds (see confluence-sync.test.ts)
    expect(guide.uri).toContain(`${standIn.url}/pages/viewpageattachments.action?pageId=${site.runbook.id}`);
    expect((await parseDocument(guide)).blocks.map((block) => block.text).join(' ')).toContain('Roll back with ./deploy.sh --rollback');

    // Every request carried the token as a Bearer credential, and the checkpoint is in the server's clock.
    expect(source.checkpoint).toEqual({ startedAt: standIn.now.toISOString(), fullScanAt: standIn.now.toISOString(), spaces: ['ENG'], scope: expect.any(String) });
    expect(source.log.join('\n')).not.toContain(token);
  });

  it('re-syncs an unchanged space with one listing request per page of pages and no body or download', async () => {
    const { standIn } = await startSite();
    for (let index = 1; index <= 8; index++) standIn.addPage('ENG', `Note ${index}`, `<p>Note ${index}</p>`);
    const source = new IndexedSource();
    const connector = connectorFor(standIn, { pageSize: 5 });
    await source.sync(connector);

    standIn.requests.length = 0;
    const { documents } = await source.load(connector);
    expect(documents).toEqual([]);
    const counted = standIn.requests.map((request) => request.path).sort();
    expect(counted).toEqual([
      '/rest/api/content', // 12 pages, 5 per request
      '/rest/api/content',
      '/rest/api/content',
      '/rest/api/group/payroll/member', // who of payroll passes the other levels
      '/rest/api/group/staff/member', // ... of which the space's group is one
      '/rest/api/space/ENG',
      '/rest/api/space/ENG/permissions',
      '/rest/api/user', // dana's user key, as 9.1+ names space viewers
    ]);
    // Restrictions, ancestors' restrictions and attachments all come inline with the listing.
    for (const listing of standIn.requests.filter((request) => request.path === '/rest/api/content')) {
      expect(listing.query.expand).toBe(
        'version,ancestors,restrictions.read.restrictions.user,restrictions.read.restrictions.group,ancestors.restrictions.read.restrictions.user,ancestors.restrictions.read.restrictions.group,children.attachment.version',
      );
    }
  });

  it('fetches only the edited page on the next run', async () => {
    const { standIn, site } = await startSite();
    const source = new IndexedSource();
    const connector = connectorFor(standIn);
    await source.sync(connector);

    standIn.advanceMinutes(30);
    standIn.editPage(site.home.id, { body: '<p>Welcome, new joiners.</p>' });
    standIn.requests.length = 0;
    const { documents } = await source.sync(connector);

    expect(documents.map((document) => document.id)).toEqual([pageId(site.home.id)]);
    expect(documents[0]!.version).toMatch(/^page-2-/);
    expect(standIn.requestsTo(/^\/rest\/api\/content\/\d+$/).map((request) => request.path)).toEqual([`/rest/api/content/${site.home.id}`]);
    expect(standIn.requestsTo('/download/')).toEqual([]);
  });

  it('applies a restriction added to a parent to its children in place, without a new page version', async () => {
    const { standIn, site } = await startSite();
    const source = new IndexedSource();
    const connector = connectorFor(standIn);
    await source.sync(connector);
    const runbookVersion = source.versions.get(pageId(site.runbook.id))!;

    standIn.restrictPage(site.home.id, { groups: ['managers'] });
    const { documents } = await source.sync(connector);

    const documentsById = byId(documents);
    expect(Object.keys(documentsById).sort()).toEqual(
      [pageId(site.home.id), pageId(site.runbook.id), pageId(site.payroll.id), pageId(site.salaries.id), attachmentId(site.guide.id)].sort(),
    );
    // dana and the rest of staff lose the runbook; only ann (managers, staff) keeps it.
    expect(documentsById[pageId(site.runbook.id)]!.access).toEqual(['user:ann']);
    expect(documentsById[attachmentId(site.guide.id)]!.access).toEqual(['user:ann']);
    expect(documentsById[pageId(site.salaries.id)]!.access).toEqual([]); // carl is not a manager
    const newVersion = documentsById[pageId(site.runbook.id)]!.version;
    expect(newVersion).not.toBe(runbookVersion);
    expect(newVersion.replace(/-readers-.*/, '')).toBe(runbookVersion.replace(/-readers-.*/, '')); // same edit number
  });

  it('deletes trashed pages and their attachments through listIds', async () => {
    const { standIn, site } = await startSite();
    const source = new IndexedSource();
    const connector = connectorFor(standIn);
    await source.sync(connector);
    expect(source.versions.has(attachmentId(site.guide.id))).toBe(true);

    standIn.trashPage(site.runbook.id);
    const { documents } = await source.sync(connector);

    expect(documents).toEqual([]);
    expect([...source.versions.keys()].sort()).toEqual([pageId(site.home.id), pageId(site.payroll.id), pageId(site.salaries.id)].sort());
  });

  it('asks CQL for content modified since the last run when a full scan is not due', async () => {
    const { standIn, site } = await startSite({ timeZoneOffsetMinutes: 9 * 60 });
    const source = new IndexedSource();
    const connector = connectorFor(standIn, { fullScanIntervalMinutes: 24 * 60, timeZone: 'Asia/Seoul' });
    await source.sync(connector);

    standIn.advanceMinutes(60);
    standIn.editPage(site.runbook.id, { title: 'Release runbook (2024)' });
    const notes = standIn.addAttachment(site.home.id, 'notes.txt', 'text/plain', Buffer.from('On-call notes.'));
    standIn.requests.length = 0;
    const run = connector.load(source.checkpoint, source.context());
    const documents: ConnectorDocument[] = [];
    for (let next = await run.next(); ; next = await run.next()) {
      if (next.done === true) {
        expect(next.value.fullScanAt).toBe(source.checkpoint!.fullScanAt); // still the first run's full scan
        expect(next.value.startedAt).toBe(standIn.now.toISOString());
        break;
      }
      if ('document' in next.value) documents.push(next.value.document);
    }

    // The first run began at 10:00 UTC, 19:00 in Seoul; 15 minutes of margin.
    expect(standIn.requestsTo('/rest/api/content/search').map((request) => request.query.cql)).toEqual([
      'space = "ENG" and type = page and lastmodified >= "2024-05-01 18:45"',
      'space = "ENG" and type = attachment and lastmodified >= "2024-05-01 18:45"',
    ]);
    expect(standIn.requestsTo('/rest/api/content').filter((request) => request.path === '/rest/api/content')).toEqual([]); // no full listing
    expect(documents.map((document) => document.id).sort()).toEqual([pageId(site.runbook.id), attachmentId(notes.id)].sort());
    expect(byId(documents)[attachmentId(notes.id)]).toMatchObject({ access: ['group:staff', 'user:dana'], uri: expect.stringContaining(`pageId=${site.home.id}`) });
  });

  it('gives a space added to the configuration a full scan of its own between full scans', async () => {
    const { standIn } = await startSite();
    standIn.addSpace('HR', 'People', { groups: ['hr'] });
    const policy = standIn.addPage('HR', 'Leave policy', '<p>25 days a year.</p>', { modifiedAt: new Date('2024-01-01T00:00:00Z') });
    const source = new IndexedSource();
    await source.sync(connectorFor(standIn, { fullScanIntervalMinutes: 24 * 60 }));
    standIn.advanceMinutes(10);
    standIn.requests.length = 0;
    const { documents } = await source.sync(connectorFor(standIn, { fullScanIntervalMinutes: 24 * 60, spaces: ['ENG', 'HR'] }));
    expect(documents.map((document) => document.id)).toEqual([pageId(policy.id)]); // old, yet found: HR was listed in full
    expect(standIn.requestsTo('/rest/api/content/search').map((request) => request.query.cql)).toEqual([
      'space = "ENG" and type = page and lastmodified >= "2024-04-30 21:45"', // no time zone configured: 12 hours earlier still
      'space = "ENG" and type = attachment and lastmodified >= "2024-04-30 21:45"',
    ]);
    expect(source.checkpoint!.spaces).toEqual(['ENG', 'HR']);
  });

  it('runs a full scan again once the interval has passed', async () => {
    const { standIn } = await startSite();
    const source = new IndexedSource();
    const connector = connectorFor(standIn, { fullScanIntervalMinutes: 60 });
    await source.sync(connector);
    standIn.advanceMinutes(61);
    standIn.requests.length = 0;
    await source.sync(connector);
    expect(standIn.requestsTo('/rest/api/content/search')).toEqual([]);
    expect(source.checkpoint!.fullScanAt).toBe(standIn.now.toISOString());
  });

  it('reads space viewers over JSON-RPC from Confluence versions before 9.1', async () => {
    const { standIn, site } = await startSite({ spacePermissionsApi: 'json-rpc' });
    const source = new IndexedSource();
    const { documents } = await source.sync(connectorFor(standIn));
    expect(byId(documents)[pageId(site.home.id)]!.access).toEqual(['group:staff', 'user:dana']);
    expect(standIn.requestsTo('/rpc/json-rpc/confluenceservice-v2/getSpacePermissionSets').length).toBeGreaterThan(0);
  });

  it('reads a restriction too long to come inline from the restriction resource, page by page', async () => {
    const { standIn, site } = await startSite({ inlineRestrictionLimit: 2 });
    standIn.restrictPage(site.runbook.id, { users: ['ann', 'bob', 'dana'] });
    const source = new IndexedSource();
    const { documents } = await source.sync(connectorFor(standIn, { pageSize: 2 }));
    expect(byId(documents)[pageId(site.runbook.id)]!.access).toEqual(['user:ann', 'user:bob', 'user:dana']);
    expect(standIn.requestsTo(`/rest/api/content/${site.runbook.id}/restriction/byOperation/read`).map((request) => request.query.start)).toEqual(['0', '2']);
  });

  it('walks the attachment resource when a page has more attachments than come inline', async () => {
    const { standIn, site } = await startSite({ inlineAttachmentLimit: 1 });
    const source = new IndexedSource();
    const { documents } = await source.sync(connectorFor(standIn));
    expect(byId(documents)[attachmentId(site.guide.id)]).toBeDefined();
    expect(standIn.requestsTo(`/rest/api/content/${site.runbook.id}/child/attachment`).length).toBeGreaterThan(0);
  });

  it('takes the body as Confluence renders it when export_view is configured', async () => {
    const { standIn, site } = await startSite();
    const { documents } = await new IndexedSource().sync(connectorFor(standIn, { bodyFormat: 'export_view', attachments: { enabled: false } }));
    const runbook = byId(documents)[pageId(site.runbook.id)]!;
    expect(runbook.version).toMatch(/^page-1-export_view1-/);
    expect((await parseDocument(runbook)).blocks.map((block) => block.text).join(' ')).toContain('No releases during the December freeze.');
    expect(standIn.requestsTo(`/rest/api/content/${site.runbook.id}`).map((request) => request.query.expand)).toEqual(['body.export_view,version']);
    expect(documents.every((document) => document.id.includes(':page/'))).toBe(true);
  });

  it('reports an attachment over the size limit without downloading it', async () => {
    const { standIn, site } = await startSite();
    const source = new IndexedSource();
    const { failures } = await source.sync(connectorFor(standIn, { attachments: { maxBytes: 100 } }));
    expect(failures.map((failure) => [failure.documentId, failure.error.code])).toEqual([[attachmentId(site.guide.id), 'file_too_large']]);
    expect(standIn.requestsTo('/download/')).toEqual([]);
  });

  it('keeps going when one page body fails, and reports that page alone', async () => {
    const { standIn, site } = await startSite();
    standIn.failures.push({ path: `/rest/api/content/${site.payroll.id}`, status: 500, times: Number.POSITIVE_INFINITY });
    const source = new IndexedSource();
    const { documents, failures } = await source.sync(connectorFor(standIn, { maxAttempts: 2 }));
    expect(failures.map((failure) => [failure.documentId, failure.error.code])).toEqual([[pageId(site.payroll.id), 'source_unreachable']]);
    expect(documents.map((document) => document.id)).toContain(pageId(site.salaries.id));
    expect(standIn.requestsTo(`/rest/api/content/${site.payroll.id}`).length).toBe(2); // retried, then given up
  });

  it('waits out a 429 with Retry-After and carries on', async () => {
    const { standIn } = await startSite();
    standIn.failures.push({ path: '/rest/api/content', status: 429, headers: { 'retry-after': '1' } });
    const source = new IndexedSource();
    const started = performance.now();
    const { documents } = await source.sync(connectorFor(standIn));
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(documents.length).toBe(5);
    const listings = standIn.requestsTo('/rest/api/content').filter((request) => request.path === '/rest/api/content');
    expect(listings.length).toBe(3); // the refused one, its retry, and listIds' own
  });

  it('stops the run with credentials_rejected when the token is refused', async () => {
    const { standIn } = await startSite();
    const connector = connectorFor(standIn, {}, { CONFLUENCE_TOKEN: 'pat-revoked' });
    const failure = await new IndexedSource().sync(connector).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DocentError);
    expect(failure).toMatchObject({ code: 'credentials_rejected', retryable: false });
    expect(String((failure as Error).message)).not.toContain('pat-revoked');
  });

  it('fails a run with source_unreachable when nothing answers', async () => {
    const { standIn } = await startSite();
    const url = standIn.url;
    await standIns.pop()!.close();
    const connector = new ConfluenceConnector(
      confluenceConfigSchema.parse({ baseUrl: url, spaces: ['ENG'], maxAttempts: 2 }),
      { name: 'wiki', env: { CONFLUENCE_TOKEN: token }, cacheDirectory: '/nonexistent', maxDocumentBytes: 1024 },
      { retryBaseDelayMs: 5 },
    );
    await expect(new IndexedSource().sync(connector)).rejects.toMatchObject({ code: 'source_unreachable', retryable: true });
  });

  it('refuses to index a space whose viewers it may not read, on 9.1+ and before', async () => {
    for (const spacePermissionsApi of ['rest', 'json-rpc'] as const) {
      const { standIn } = await startSite({ serviceUserIsSpaceAdmin: false, spacePermissionsApi });
      const failure = await new IndexedSource().sync(connectorFor(standIn)).catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 'credentials_rejected', retryable: false, message: expect.stringMatching(/administrator of the space/) });
      expect(standIn.requestsTo('/rest/api/content')).toEqual([]); // not one page listed without knowing its readers
    }
  });

  it('follows a download redirect to object storage without sending the token there', async () => {
    const { standIn, site } = await startSite({ redirectDownloads: true });
    const { documents } = await new IndexedSource().sync(connectorFor(standIn));
    expect(Buffer.from(byId(documents)[attachmentId(site.guide.id)]!.content)).toEqual(site.guide.content);
    expect(standIn.objectStoreAuthorizations).toEqual([undefined]);
  });

  it('ends promptly when the run is aborted, claiming nothing new in its checkpoint', async () => {
    const { standIn } = await startSite();
    const source = new IndexedSource();
    const controller = new AbortController();
    const run = connectorFor(standIn, { concurrency: 1 }).load(undefined, source.context(controller.signal));
    const first = await run.next();
    expect(first.done).toBe(false);
    controller.abort();
    const checkpoint = await drain(run);
    expect(checkpoint).toMatchObject({ startedAt: new Date(0).toISOString(), spaces: [] });
    expect(source.log).toContain('interrupted');
    const listing = connectorFor(standIn).listIds(source.context(controller.signal));
    await expect(listing[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'source_unreachable' });
  });

  describe('validate', () => {
    it('accepts a working token and configuration', async () => {
      const { standIn } = await startSite();
      await expect(connectorFor(standIn).validate(new AbortController().signal)).resolves.toBeUndefined();
    });

    it('rejects a refused token, a missing token and an unknown space with their own codes', async () => {
      const { standIn } = await startSite();
      const signal = new AbortController().signal;
      await expect(connectorFor(standIn, {}, { CONFLUENCE_TOKEN: 'wrong' }).validate(signal)).rejects.toMatchObject({ code: 'credentials_rejected', retryable: false });
      await expect(connectorFor(standIn, {}, {}).validate(signal)).rejects.toMatchObject({ code: 'credentials_rejected', message: expect.stringContaining('CONFLUENCE_TOKEN') });
      await expect(connectorFor(standIn, { spaces: ['NOPE'] }).validate(signal)).rejects.toMatchObject({ code: 'config_invalid' });
    });
  });

  it('indexes every global space the token can see when no space is configured', async () => {
    const { standIn } = await startSite();
    standIn.addSpace('HR', 'People', { groups: ['hr'] });
    standIn.addSpace('~ann', 'Ann Lee', { users: ['ann'] }, 'personal');
    const policy = standIn.addPage('HR', 'Leave policy', '<p>25 days a year.</p>');
    standIn.addPage('~ann', 'Scratch', '<p>Private notes.</p>');
    const source = new IndexedSource();
    const { documents } = await source.sync(connectorFor(standIn, { spaces: undefined }));
    expect(documents.length).toBe(6);
    expect(byId(documents)[pageId(policy.id)]!.access).toEqual(['group:hr']);
    expect(source.checkpoint!.spaces).toEqual(['ENG', 'HR']);
  });
});
