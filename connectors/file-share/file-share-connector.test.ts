import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChunkIndex } from '../../indexes/chunk-index.js';
import type { ConnectorItem, SyncContext } from '../../src/core/connector.js';
import { parseDocument } from '../../src/pipeline/parse/parse-document.js';
import { syncConnector } from '../../src/pipeline/sync-connector.js';
import { describeConnectorConformance } from '../../test/connectors/connector-conformance.js';
import { HashingEmbedder } from '../../test/support/hashing-embedder.js';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { createFileShareFixture, fixtureMaxFileBytes } from './fixtures/file-share-fixture.js';
import { FileShareConnector } from './file-share-connector.js';

describeConnectorConformance('file-share', createFileShareFixture);

function context(indexed = new Map<string, string>()): SyncContext {
  return { signal: new AbortController().signal, indexedVersion: (id) => indexed.get(id), log: () => undefined };
}

async function load(connector: FileShareConnector, indexed?: Map<string, string>): Promise<ConnectorItem[]> {
  const items: ConnectorItem[] = [];
  for await (const item of connector.load(undefined, context(indexed))) items.push(item);
  return items;
}

const names = (items: ConnectorItem[]): string[] => items.map((item) => ('document' in item ? item.document.id : `failed:${item.failure.documentId}`)).sort();

describe('file-share connector', () => {
  it('offers files matching the include globs, not the excluded ones, hidden ones or excluded paths', async () => {
    const fixture = await createFileShareFixture();
    await fixture.add('handbook/leave.md', 'Leave policy.');
    await fixture.add('handbook/guide.pdf.txt', 'A guide.');
    await fixture.add('archive/old.md', 'Old policy.');
    await fixture.add('drafts/note.tmp', 'Scratch.');
    await fixture.add('.git/config', 'not a document');
    await fixture.add('handbook/.hidden.md', 'hidden');
    await fixture.add('data/index.md', 'Docent data directory.');
    const connector = new FileShareConnector(
      (await import('./config.js')).fileShareConfigSchema.parse({ path: fixture.root, include: ['**/*.md', '**/*.tmp'], exclude: ['archive/**', '**/*.tmp'], passwdFile: fixture.passwdFile, groupFile: fixture.groupFile }),
      { name: 'globs', env: {}, cacheDirectory: fixture.root, maxDocumentBytes: 1_000_000, excludedPaths: [path.join(fixture.root, 'data')] },
      'file-share:globs',
    );
    expect(names(await load(connector))).toEqual(['file-share:globs:handbook/leave.md']);
    const listed: string[] = [];
    for await (const id of connector.listIds(context())) listed.push(id);
    expect(listed).toEqual(['file-share:globs:handbook/leave.md']);
  });

  it('maps POSIX owner, group and world read bits to principals, or opens every file to everyone when so configured', async () => {
    const fixture = await createFileShareFixture();
    await fixture.add('open.md', 'Open to all.');
    await fixture.add('team.md', 'For the team.');
    await fixture.add('private.md', 'Only mine.');
    await chmod(path.join(fixture.root, 'team.md'), 0o640);
    await chmod(path.join(fixture.root, 'private.md'), 0o600);
    const access = Object.fromEntries((await load(fixture.connectorWith({}))).flatMap((item) => ('document' in item ? [[item.document.name, item.document.access]] : [])));
    expect(access).toEqual({ 'open.md': ['everyone', 'group:staff', 'user:alice'], 'team.md': ['group:staff', 'user:alice'], 'private.md': ['user:alice'] });
    const everyoneMode = (await load(fixture.connectorWith({ permissions: 'everyone' }))).flatMap((item) => ('document' in item ? [item.document.access] : []));
    expect(everyoneMode).toEqual([['everyone'], ['everyone'], ['everyone']]);
  });

  it('lets through only who may also enter every folder above a file: a world-readable file in a group-only folder is the group\'s', async () => {
    const fixture = await createFileShareFixture();
    await fixture.add('hr/salaries.md', 'Salary bands.');
    await fixture.add('hr/reviews/2026.md', 'Review notes.');
    await fixture.add('owner-only/notes.md', 'Notes.');
    await fixture.add('public/guide.md', 'Guide.');
    await chmod(path.join(fixture.root, 'hr'), 0o750);
    await chmod(path.join(fixture.root, 'hr', 'reviews'), 0o711);
    await chmod(path.join(fixture.root, 'owner-only'), 0o700);
    await chmod(path.join(fixture.root, 'public'), 0o755);
    for (const file of ['hr/salaries.md', 'hr/reviews/2026.md', 'owner-only/notes.md', 'public/guide.md']) await chmod(path.join(fixture.root, file), 0o644);
    const items = await load(fixture.connectorWith({}));
    const access = Object.fromEntries(items.flatMap((item) => ('document' in item ? [[item.document.name, item.document.access]] : [])));
    expect(access).toEqual({
      'salaries.md': ['group:staff', 'user:alice'],
      // hr lets the group in; reviews lets everyone search it: still the group and owner only.
      '2026.md': ['group:staff', 'user:alice'],
      'notes.md': ['user:alice'],
      'guide.md': ['everyone', 'group:staff', 'user:alice'],
    });

    // Closing a folder changes the versions of the files below it, so their readers are applied again.
    const versions = new Map(items.flatMap((item) => ('document' in item ? [[item.document.id, item.document.version]] : [])));
    await chmod(path.join(fixture.root, 'public'), 0o750);
    const again = await load(fixture.connectorWith({}), versions);
    expect(again.flatMap((item) => ('document' in item ? [[item.document.name, item.document.access]] : []))).toEqual([['guide.md', ['group:staff', 'user:alice']]]);
  });

  it('names ids the account files lack by number', async () => {
    const fixture = await createFileShareFixture();
    await writeFile(fixture.passwdFile, '');
    await writeFile(fixture.groupFile, '');
    await fixture.add('a.md', 'Text.');
    const connector = fixture.connectorWith({});
    const [item] = await load(connector);
    const access = 'document' in item! ? item.document.access : [];
    // getent may still know the id (the machine's own accounts); otherwise the number stands in.
    expect(access).toHaveLength(3);
    expect(access.every((principal) => /^(everyone|user:\S+|group:\S+)$/.test(principal))).toBe(true);
  });

  it('reports a file over the size limit without reading it, and skips files whose version the index holds', async () => {
    const fixture = await createFileShareFixture();
    await fixture.add('small.md', 'Small.');
    await writeFile(path.join(fixture.root, 'huge.md'), 'x'.repeat(fixtureMaxFileBytes + 10));
    const items = await load(fixture.connectorWith({}));
    const failure = items.find((item) => 'failure' in item);
    expect(failure && 'failure' in failure ? failure.failure.error : undefined).toMatchObject({ code: 'file_too_large', message: expect.stringMatching(/over the 64 KB limit \(setting ingest\.maxFileBytes\)/) });
    const versions = new Map(items.flatMap((item) => ('document' in item ? [[item.document.id, item.document.version]] : [])));
    expect(names(await load(fixture.connectorWith({}), versions))).toEqual(['failed:file-share:fixture:huge.md']);
    // Switching how readers are decided changes every version, so readers are applied again.
    expect(names(await load(fixture.connectorWith({ permissions: 'everyone' }), versions))).toEqual(['failed:file-share:fixture:huge.md', 'file-share:fixture:small.md']);
  });

  it('throws rather than list a share that is gone, so nothing is deleted', async () => {
    const fixture = await createFileShareFixture();
    await fixture.add('a.md', 'Text.');
    await rm(fixture.root, { recursive: true });
    const listing = async () => {
      for await (const id of fixture.connectorWith({}).listIds(context())) void id;
    };
    await expect(listing()).rejects.toMatchObject({ code: 'source_unreachable' });
  });

  it('with requireMountPoint, fails a share that is not a mount point as unreachable, and deletes nothing', async () => {
    const fixture = await createFileShareFixture();
    await fixture.add('a.md', 'Annual leave is twenty five days.');
    const index = await ChunkIndex.open(path.join(await temporaryDirectory(), 'index'), { modelId: 'test-hashing-embedder', dimensions: 32 }, { create: true });
    const options = { index, embedder: new HashingEmbedder(), chunking: { maxTokens: 120, overlapTokens: 10 }, concurrency: 2, parse: (input: { name: string; content: Uint8Array }) => parseDocument(input), search: { candidates: 10, fixedVectorWeight: 0.2 } };
    try {
      await syncConnector(fixture.connectorWith({}), options);
      const guarded = fixture.connectorWith({ requireMountPoint: true });
      const error = await guarded.validate().then(() => undefined, (thrown: unknown) => thrown);
      expect(error).toMatchObject({ code: 'source_unreachable', retryable: true });
      expect((error as Error).message).toBe(`${fixture.root} is not a mount point, so the share is not mounted (the connector setting requireMountPoint is true); mount it and run again. Nothing was deleted.`);
      await rm(path.join(fixture.root, 'a.md'));
      await expect(syncConnector(guarded, options)).rejects.toMatchObject({ code: 'source_unreachable' });
      expect([...(await index.documents()).keys()]).toEqual(['file-share:fixture:a.md']);
    } finally {
      index.close();
    }
  });

  it('refuses to empty the index from an empty share (an unmounted mount point looks empty) unless allowEmpty is set', async () => {
    const fixture = await createFileShareFixture();
    await fixture.add('leave.md', 'Annual leave is twenty five days.');
    await fixture.add('handbook/parking.md', 'Visitors park on level B2.');
    const index = await ChunkIndex.open(path.join(await temporaryDirectory(), 'index'), { modelId: 'test-hashing-embedder', dimensions: 32 }, { create: true });
    const options = { index, embedder: new HashingEmbedder(), chunking: { maxTokens: 120, overlapTokens: 10 }, concurrency: 2, parse: (input: { name: string; content: Uint8Array }) => parseDocument(input), search: { candidates: 10, fixedVectorWeight: 0.2 } };
    try {
      await syncConnector(fixture.connectorWith({}), options);
      await rm(path.join(fixture.root, 'leave.md'));
      await rm(path.join(fixture.root, 'handbook'), { recursive: true });
      const error = await syncConnector(fixture.connectorWith({}), options).then(() => undefined, (thrown: unknown) => thrown);
      expect(error).toMatchObject({ code: 'source_unreachable' });
      expect((error as Error).message).toMatch(/^file-share:fixture is empty but 2 documents were indexed from it; nothing was deleted\. Is the share mounted/);
      expect((await index.fulltextSearch('visitors park', { principals: ['everyone'] }, 5)).map((hit) => hit.chunk.documentId)).toEqual(['file-share:fixture:handbook/parking.md']);
      const confirmed = await syncConnector(fixture.connectorWith({ allowEmpty: true }), options);
      expect(confirmed.report).toMatchObject({ deleted: 2 });
      expect((await index.documents()).size).toBe(0);
    } finally {
      index.close();
    }
  });

  it('watches the share: a new file is searchable and a deleted one gone within seconds', async () => {
    const fixture = await createFileShareFixture();
    await fixture.add('existing.md', 'Existing policy on parking.');
    const index = await ChunkIndex.open(path.join(await temporaryDirectory(), 'index'), { modelId: 'test-hashing-embedder', dimensions: 32 }, { create: true });
    const embedder = new HashingEmbedder();
    const connector = fixture.connectorWith({ watchDebounceMs: 200 });
    const sync = () => syncConnector(connector, { index, embedder, chunking: { maxTokens: 120, overlapTokens: 10 }, concurrency: 2, parse: (input) => parseDocument(input), search: { candidates: 10, fixedVectorWeight: 0.2 } });
    await sync();
    const controller = new AbortController();
    let syncing = Promise.resolve();
    const watching = connector.watch(() => {
      syncing = syncing.then(async () => void (await sync()));
    }, controller.signal);
    const searchFor = async (words: string) => (await index.fulltextSearch(words, { principals: ['everyone'] }, 5)).map((hit) => hit.chunk.documentId);
    const eventually = async (check: () => Promise<boolean>): Promise<void> => {
      for (let attempt = 0; attempt < 300 && !(await check()); attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
    };
    try {
      // chokidar needs a moment to set up its watchers before the first change counts.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await mkdir(path.join(fixture.root, 'new-folder'));
      await fixture.add('new-folder/visitors.md', 'Visitors register at the reception desk.');
      await eventually(async () => (await searchFor('visitors reception')).length > 0);
      expect(await searchFor('visitors reception')).toEqual(['file-share:fixture:new-folder/visitors.md']);
      await rm(path.join(fixture.root, 'existing.md'));
      await eventually(async () => (await searchFor('existing parking')).length === 0);
      expect(await searchFor('existing parking')).toEqual([]);
    } finally {
      controller.abort();
      await watching;
      await syncing;
      index.close();
    }
  }, 60_000);
});
