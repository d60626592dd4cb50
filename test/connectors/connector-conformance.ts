import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChunkIndex } from '../../indexes/chunk-index.js';
import type { Checkpoint, Connector, ConnectorItem, SyncContext } from '../../src/core/connector.js';
import { isDocentError } from '../../src/core/errors.js';
import { parseDocument } from '../../src/pipeline/parse/parse-document.js';
import { syncConnector, type SyncOptions } from '../../src/pipeline/sync-connector.js';
import { HashingEmbedder } from '../support/hashing-embedder.js';
import { temporaryDirectory } from '../support/temporary-directory.js';

/**
 * What a connector's test gives the conformance suite: its connector, pointed at a source
 * the fixture controls (a temp folder, a local stand-in of the vendor's API), and ways to
 * change that source. Document names are plain file-like names (`leave.md`); the fixture
 * decides what they become at its source (a file, a page, a blob).
 */
export interface ConformanceFixture {
  /** The connector under test, reading the fixture's source. Called once per sync, like a worker would. */
  connector(): Promise<Connector>;
  /** A connector configured with a location that does not exist (a missing folder, an unknown space or host). */
  connectorWithBadLocation(): Promise<Connector>;
  /** Adds a document whose text contains `text`. */
  add(name: string, text: string): Promise<void>;
  /** Replaces a document's text. */
  change(name: string, text: string): Promise<void>;
  remove(name: string): Promise<void>;
  /** Changes who may read a document, not its bytes; returns the principals the index must hold afterwards. */
  changePermissions(name: string): Promise<string[]>;
  /** Makes loading one document fail (unreadable, corrupt, too large, or an error from the API for it). */
  makeUnreadable(name: string): Promise<void>;
  /** Releases what the fixture started (servers, folders); optional. */
  dispose?(): Promise<void>;
}

interface LoadResult {
  items: ConnectorItem[];
  checkpoint: Checkpoint | undefined;
}

function context(indexed: Map<string, string> = new Map(), signal = new AbortController().signal): SyncContext {
  return { signal, indexedVersion: (documentId) => indexed.get(documentId), log: () => undefined };
}

async function loadAll(connector: Connector, checkpoint: Checkpoint | undefined, syncContext: SyncContext): Promise<LoadResult> {
  const items: ConnectorItem[] = [];
  const generator = connector.load(checkpoint, syncContext);
  for (;;) {
    const step = await generator.next();
    if (step.done) return { items, checkpoint: step.value };
    items.push(step.value);
  }
}

const documentsOf = (items: ConnectorItem[]) => items.flatMap((item) => ('document' in item ? [item.document] : []));

async function listIds(connector: Connector): Promise<string[]> {
  const ids: string[] = [];
  for await (const id of connector.listIds(context())) ids.push(id);
  return ids.sort();
}

/**
 * The behaviour every connector must show, run against a real LanceDB index in a temp
 * folder and the real sync: call it from the connector's own test file with a factory
 * that builds a fresh fixture for each check.
 */
export function describeConnectorConformance(name: string, setup: () => Promise<ConformanceFixture>): void {
  describe(`${name} connector conformance`, () => {
    async function prepared(): Promise<{ fixture: ConformanceFixture; sync: (checkpoint?: Checkpoint) => ReturnType<typeof syncConnector>; index: ChunkIndex; embedder: HashingEmbedder; close: () => Promise<void> }> {
      const fixture = await setup();
      const index = await ChunkIndex.open(path.join(await temporaryDirectory('docent-conformance-'), 'index'), { modelId: 'test-hashing-embedder', dimensions: 32 }, { create: true });
      const embedder = new HashingEmbedder();
      const options: SyncOptions = { index, embedder, chunking: { maxTokens: 120, overlapTokens: 10 }, concurrency: 2, parse: (input) => parseDocument(input), search: { candidates: 10, fixedVectorWeight: 0.2 } };
      const sync = async (checkpoint?: Checkpoint) => syncConnector(await fixture.connector(), { ...options, checkpoint });
      return { fixture, sync, index, embedder, close: async () => { index.close(); await fixture.dispose?.(); } };
    }

    it('yields every document on the first load, each with id, source id, uri, name, bytes, readers and version, and a JSON checkpoint', async () => {
      const { fixture, close } = await prepared();
      try {
        await fixture.add('leave.md', 'Annual leave is twenty five days per year.');
        await fixture.add('parking.md', 'Visitors park on level B2 and register at reception.');
        await fixture.add('badges.md', 'Badges are renewed every two years.');
        const connector = await fixture.connector();
        const { items, checkpoint } = await loadAll(connector, undefined, context());
        const documents = documentsOf(items);
        expect(documents).toHaveLength(3);
        for (const document of documents) {
          expect(document.id).toMatch(/\S/);
          expect(document.sourceId).toBe(connector.sourceId);
          expect(document.uri).toMatch(/\S/);
          expect(document.name).toMatch(/\S/);
          expect(document.content.byteLength).toBeGreaterThan(0);
          expect(Array.isArray(document.access) && document.access.length > 0).toBe(true);
          expect(typeof document.version === 'string' && document.version.length > 0).toBe(true);
        }
        expect(new Set(documents.map((document) => document.id)).size).toBe(3);
        expect(JSON.parse(JSON.stringify(checkpoint ?? null))).toEqual(checkpoint ?? null);
        expect(await listIds(connector)).toEqual(documents.map((document) => document.id).sort());
      } finally {
        await close();
      }
    });

    it('yields nothing unchanged when reloaded from its checkpoint, and the sync skips every document without embedding', async () => {
      const { fixture, sync, embedder, close } = await prepared();
      try {
        await fixture.add('leave.md', 'Annual leave is twenty five days per year.');
        await fixture.add('parking.md', 'Visitors park on level B2 and register at reception.');
        const connector = await fixture.connector();
        const first = await loadAll(connector, undefined, context());
        const versions = new Map(documentsOf(first.items).map((document) => [document.id, document.version]));
        const again = await loadAll(await fixture.connector(), first.checkpoint, context(versions));
        expect(documentsOf(again.items).filter((document) => versions.get(document.id) === document.version)).toEqual([]);
        expect(JSON.parse(JSON.stringify(again.checkpoint ?? null))).toEqual(again.checkpoint ?? null);

        const indexed = await sync();
        expect(indexed.report).toMatchObject({ added: 2, failed: 0 });
        const embedded = embedder.embeddedTexts;
        const resync = await sync(indexed.checkpoint);
        expect(resync.report).toMatchObject({ added: 0, updated: 0, metadataUpdated: 0, deleted: 0, unchanged: 2, failed: 0 });
        expect(embedder.embeddedTexts).toBe(embedded);
      } finally {
        await close();
      }
    });

    it('re-indexes a changed document', async () => {
      const { fixture, sync, index, close } = await prepared();
      try {
        await fixture.add('leave.md', 'Annual leave is twenty five days per year.');
        await fixture.add('parking.md', 'Visitors park on level B2 and register at reception.');
        const first = await sync();
        await fixture.change('leave.md', 'Annual leave is thirty days per year, from January.');
        const second = await sync(first.checkpoint);
        expect(second.report).toMatchObject({ updated: 1, added: 0, deleted: 0, failed: 0 });
        const readers = [...new Set([...(await index.documents()).values()].flatMap((document) => document.access))];
        const hits = await index.fulltextSearch('thirty days January', { principals: readers }, 5);
        expect(hits.map((hit) => hit.chunk.text).join(' ')).toContain('thirty days');
      } finally {
        await close();
      }
    });

    it('deletes a document removed at the source: it is no longer listed and leaves the index', async () => {
      const { fixture, sync, index, close } = await prepared();
      try {
        await fixture.add('leave.md', 'Annual leave is twenty five days per year.');
        await fixture.add('parking.md', 'Visitors park on level B2 and register at reception.');
        const first = await sync();
        const before = [...(await index.documents()).keys()];
        await fixture.remove('parking.md');
        const listed = await listIds(await fixture.connector());
        expect(listed).toHaveLength(1);
        const second = await sync(first.checkpoint);
        expect(second.report).toMatchObject({ deleted: 1, failed: 0 });
        expect([...(await index.documents()).keys()]).toEqual(before.filter((id) => listed.includes(id)));
      } finally {
        await close();
      }
    });

    it('applies a permission change in place, without re-embedding', async () => {
      const { fixture, sync, index, embedder, close } = await prepared();
      try {
        await fixture.add('salaries.md', 'Salary bands are reviewed every March by the committee.');
        await fixture.add('leave.md', 'Annual leave is twenty five days per year.');
        const first = await sync();
        const id = [...(await index.documents()).values()].find((document) => document.uri.includes('salaries') || document.title.toLowerCase().includes('salar'))!.documentId;
        const expected = await fixture.changePermissions('salaries.md');
        const embedded = embedder.embeddedTexts;
        const second = await sync(first.checkpoint);
        expect(second.report).toMatchObject({ metadataUpdated: 1, updated: 0, added: 0, deleted: 0, failed: 0 });
        expect(embedder.embeddedTexts).toBe(embedded);
        expect([...(await index.documents()).get(id)!.access].sort()).toEqual([...expected].sort());
      } finally {
        await close();
      }
    });

    it('reports one unreadable document as a failure and still yields the rest', async () => {
      const { fixture, sync, close } = await prepared();
      try {
        await fixture.add('leave.md', 'Annual leave is twenty five days per year.');
        await fixture.add('locked.md', 'This document cannot be read.');
        await fixture.add('parking.md', 'Visitors park on level B2 and register at reception.');
        await fixture.makeUnreadable('locked.md');
        const { items } = await loadAll(await fixture.connector(), undefined, context());
        const failures = items.flatMap((item) => ('failure' in item ? [item.failure] : []));
        expect(failures).toHaveLength(1);
        expect(isDocentError(failures[0]!.error)).toBe(true);
        expect(documentsOf(items)).toHaveLength(2);
        const result = await sync();
        expect(result.report).toMatchObject({ added: 2, failed: 1 });
      } finally {
        await close();
      }
    });

    it('rejects a bad location in validate() with a typed error', async () => {
      const { fixture, close } = await prepared();
      try {
        const connector = await fixture.connectorWithBadLocation();
        const error = await connector.validate(new AbortController().signal).then(() => undefined, (thrown: unknown) => thrown);
        expect(isDocentError(error), `validate() resolved or threw an untyped error: ${String(error)}`).toBe(true);
        expect(['source_unreachable', 'credentials_rejected', 'config_invalid']).toContain((error as { code: string }).code);
      } finally {
        await close();
      }
    });

    it('stops promptly when aborted: the load ends without yielding the rest', async () => {
      const { fixture, close } = await prepared();
      try {
        const total = 40;
        for (let number = 0; number < total; number++) await fixture.add(`note-${String(number).padStart(2, '0')}.md`, `Note number ${number} about topic ${number}.`);
        const controller = new AbortController();
        const generator = (await fixture.connector()).load(undefined, context(new Map(), controller.signal));
        let yielded = 0;
        // Drained without breaking, so only the connector's own check of the signal can stop it.
        for (;;) {
          const step = await generator.next();
          if (step.done) break;
          yielded++;
          if (yielded === 1) controller.abort();
        }
        expect(yielded).toBeLessThan(total / 2);
      } finally {
        await close();
      }
    });
  });
}
