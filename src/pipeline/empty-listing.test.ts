import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ParsedDocument } from '../core/document.js';
import { ChunkIndex } from '../../indexes/chunk-index.js';
import { HashingEmbedder } from '../../test/support/hashing-embedder.js';
import { MemorySource } from '../../test/support/memory-connector.js';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { checkListingNotEmpty } from './empty-listing.js';
import type { DocumentParser } from './index-documents.js';
import { syncConnector, type SyncOptions } from './sync-connector.js';

const decoder = new TextDecoder();
const parse: DocumentParser = async ({ content }) => ({ blocks: [{ kind: 'paragraph', text: decoder.decode(content) }] }) satisfies ParsedDocument;

async function setup() {
  const index = await ChunkIndex.open(path.join(await temporaryDirectory(), 'index'), { modelId: 'test-hashing-embedder', dimensions: 32 }, { create: true });
  const options: SyncOptions = { index, embedder: new HashingEmbedder(), chunking: { maxTokens: 100, overlapTokens: 10 }, concurrency: 2, parse, search: { candidates: 10, fixedVectorWeight: 0.2 } };
  return { index, options, source: new MemorySource() };
}

describe('a source that lists nothing while its documents are indexed', () => {
  it('fails the sync with source_unreachable, names the count and the way out, and deletes nothing', async () => {
    const { index, options, source } = await setup();
    source.set('leave.md', 'Annual leave is 25 days per year.');
    source.set('parking.md', 'Visitors park on level B2.');
    const first = await syncConnector(source.connector('memory:test'), options);
    source.delete('leave.md');
    source.delete('parking.md');
    const error = await syncConnector(source.connector('memory:test'), { ...options, checkpoint: first.checkpoint }).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'source_unreachable', retryable: true });
    expect((error as Error).message).toContain('memory:test is empty but 2 documents were indexed from it; nothing was deleted');
    expect((error as Error).message).toContain('allowEmpty');
    expect([...(await index.documents('memory:test')).keys()].sort()).toEqual(['memory:test:leave.md', 'memory:test:parking.md']);
    expect((await index.fulltextSearch('visitors park', { principals: ['everyone'] }, 5)).map((hit) => hit.chunk.documentId)).toEqual(['memory:test:parking.md']);
    index.close();
  });

  it('deletes them all when the connector says the admin allowed an empty source', async () => {
    const { index, options, source } = await setup();
    source.set('leave.md', 'Annual leave is 25 days per year.');
    const first = await syncConnector(source.connector('memory:test'), options);
    source.delete('leave.md');
    const allowed = Object.assign(source.connector('memory:test'), { allowEmpty: true });
    const second = await syncConnector(allowed, { ...options, checkpoint: first.checkpoint });
    expect(second.report).toMatchObject({ deleted: 1, interrupted: false });
    expect((await index.documents('memory:test')).size).toBe(0);
    index.close();
  });

  it('lets an empty source with nothing indexed, or one that still lists something, pass', async () => {
    const { index, options, source } = await setup();
    await expect(syncConnector(source.connector('memory:test'), options)).resolves.toMatchObject({ report: { seen: 0, deleted: 0 } });
    source.set('a.md', 'Alpha text.');
    source.set('b.md', 'Beta text.');
    const first = await syncConnector(source.connector('memory:test'), options);
    source.delete('a.md');
    await expect(syncConnector(source.connector('memory:test'), { ...options, checkpoint: first.checkpoint })).resolves.toMatchObject({ report: { deleted: 1 } });
    index.close();
  });

  it('speaks of one document in the singular', () => {
    expect(() => checkListingNotEmpty({ sourceId: 'file-share:hr', listed: 0, indexed: 1, allowEmpty: false })).toThrow(/file-share:hr is empty but 1 document was indexed from it/);
    expect(() => checkListingNotEmpty({ sourceId: 'file-share:hr', listed: 0, indexed: 1, allowEmpty: true })).not.toThrow();
  });
});
