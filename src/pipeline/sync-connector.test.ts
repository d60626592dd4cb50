import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ParsedDocument } from '../core/document.js';
import { DocentError } from '../core/errors.js';
import { ChunkIndex } from '../../indexes/chunk-index.js';
import { HashingEmbedder } from '../../test/support/hashing-embedder.js';
import { MemorySource } from '../../test/support/memory-connector.js';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import type { DocumentParser } from './index-documents.js';
import { syncConnector, type SyncOptions } from './sync-connector.js';

const encoder = new TextEncoder();

/** Plain text; an e-mail (`.eml`) carries one attachment named after its first word. */
const parse: DocumentParser = async ({ name, content }) => {
  const text = new TextDecoder().decode(content);
  const parsed: ParsedDocument = { blocks: text.split('\n\n').filter(Boolean).map((paragraph) => ({ kind: 'paragraph', text: paragraph })) };
  if (name.endsWith('.eml') && !text.includes('no attachment')) parsed.attachments = [{ name: 'agenda.txt', content: encoder.encode(`Agenda for ${text.split(' ')[0]}: budget review.`) }];
  return parsed;
};

async function setup() {
  const index = await ChunkIndex.open(path.join(await temporaryDirectory(), 'index'), { modelId: 'test-hashing-embedder', dimensions: 32 }, { create: true });
  const embedder = new HashingEmbedder();
  const source = new MemorySource();
  const connector = source.connector('memory:test');
  const options = (extra: Partial<SyncOptions> = {}): SyncOptions => ({ index, embedder, chunking: { maxTokens: 100, overlapTokens: 10 }, concurrency: 2, parse, search: { candidates: 10, fixedVectorWeight: 0.2 }, ...extra });
  return { index, embedder, source, connector, options };
}

describe('syncConnector', () => {
  it('loads everything first, then only changes: skips current versions, updates readers in place, re-embeds changed bytes, deletes what is no longer listed', async () => {
    const { index, embedder, source, connector, options } = await setup();
    source.set('leave.md', 'Annual leave is 25 days per year.');
    source.set('parking.md', 'Visitors park on level B2.');
    source.set('salaries.md', 'Salary bands are reviewed in March.', ['group:hr']);
    const first = await syncConnector(connector, options());
    expect(first.report).toMatchObject({ seen: 3, added: 3, updated: 0, metadataUpdated: 0, unchanged: 0, deleted: 0, failed: 0, interrupted: false });
    expect(first.checkpoint).toBe(3);
    expect(JSON.parse(JSON.stringify(first.checkpoint))).toEqual(first.checkpoint);

    const embedded = embedder.embeddedTexts;
    const again = await syncConnector(connector, options({ checkpoint: first.checkpoint }));
    expect(again.report).toMatchObject({ seen: 3, added: 0, updated: 0, metadataUpdated: 0, unchanged: 3, deleted: 0 });
    expect(embedder.embeddedTexts).toBe(embedded);

    source.setAccess('salaries.md', ['group:hr', 'group:finance']);
    source.set('leave.md', 'Annual leave is 30 days per year.');
    source.delete('parking.md');
    const changed = await syncConnector(connector, options({ checkpoint: again.checkpoint }));
    expect(changed.report).toMatchObject({ seen: 2, added: 0, updated: 1, metadataUpdated: 1, unchanged: 0, deleted: 1, failed: 0 });
    // Only the changed text was embedded again; the permission change cost no embedding.
    expect(embedder.embeddedTexts - embedded).toBe(1);
    const documents = await index.documents('memory:test');
    expect([...documents.keys()].sort()).toEqual(['memory:test:leave.md', 'memory:test:salaries.md']);
    expect(documents.get('memory:test:salaries.md')).toMatchObject({ access: ['group:hr', 'group:finance'], version: 'r2' });
    expect((await index.fulltextSearch('salary bands', { principals: ['group:finance'] }, 5)).map((hit) => hit.chunk.documentId)).toEqual(['memory:test:salaries.md']);
    expect(await index.fulltextSearch('visitors park', { principals: ['everyone'] }, 5)).toEqual([]);
  });

  it('updates in place when a connector re-yields the same bytes under a new version, even without a checkpoint', async () => {
    const { index, embedder, source, connector, options } = await setup();
    source.set('policy.md', 'Badges are renewed every two years.');
    await syncConnector(connector, options());
    source.set('policy.md', 'Badges are renewed every two years.', ['group:security']);
    const embedded = embedder.embeddedTexts;
    const result = await syncConnector(connector, options());
    expect(result.report).toMatchObject({ metadataUpdated: 1, updated: 0, added: 0 });
    expect(embedder.embeddedTexts).toBe(embedded);
    expect((await index.documents()).get('memory:test:policy.md')).toMatchObject({ access: ['group:security'], version: 'r2', modifiedAt: '2024-01-01T00:00:02.000Z' });
  });

  it('keeps an attachment while its parent is listed, and drops it when the parent no longer has it or is gone', async () => {
    const { index, source, connector, options } = await setup();
    source.set('all-hands.eml', 'Allhands meeting on Friday.');
    const first = await syncConnector(connector, options());
    expect(first.report).toMatchObject({ seen: 2, added: 2 });
    const attachment = 'memory:test:all-hands.eml/attachments/1-agenda.txt';
    const unchanged = await syncConnector(connector, options({ checkpoint: first.checkpoint }));
    expect(unchanged.report).toMatchObject({ seen: 2, unchanged: 2, deleted: 0 });
    expect((await index.documents()).has(attachment)).toBe(true);

    source.setAccess('all-hands.eml', ['group:staff']);
    await syncConnector(connector, options({ checkpoint: unchanged.checkpoint }));
    expect((await index.documents()).get(attachment)).toMatchObject({ access: ['group:staff'] });

    source.set('all-hands.eml', 'Allhands moved, no attachment any more.');
    const reparsed = await syncConnector(connector, options());
    expect(reparsed.report).toMatchObject({ updated: 1, deleted: 1 });
    expect((await index.documents()).has(attachment)).toBe(false);
  });

  it('reports an unreadable document as a failure and indexes the rest; its old version stays', async () => {
    const { index, source, connector, options } = await setup();
    source.set('a.md', 'Alpha text.');
    source.set('b.md', 'Beta text.');
    const first = await syncConnector(connector, options());
    source.makeUnreadable('a.md', new DocentError('file_unreadable', 'permission denied', { retryable: false }));
    source.set('c.md', 'Gamma text.');
    const second = await syncConnector(connector, options({ checkpoint: first.checkpoint }));
    expect(second.report).toMatchObject({ added: 1, failed: 1, deleted: 0 });
    expect(second.report.failures).toEqual([expect.objectContaining({ documentId: 'memory:test:a.md', code: 'file_unreadable', keptPreviousVersion: true })]);
    expect([...(await index.documents()).keys()].sort()).toEqual(['memory:test:a.md', 'memory:test:b.md', 'memory:test:c.md']);
  });

  it('deletes nothing and rethrows the typed error when the source fails as a whole', async () => {
    const { index, source, connector, options } = await setup();
    source.set('a.md', 'Alpha text.');
    source.set('b.md', 'Beta text.');
    await syncConnector(connector, options());
    source.failure = new DocentError('credentials_rejected', 'the token was rejected (401)', { retryable: false });
    await expect(syncConnector(connector, options())).rejects.toMatchObject({ code: 'credentials_rejected', retryable: false });
    expect((await index.documents()).size).toBe(2);

    // Failing halfway through a load: what was read is written, nothing deleted.
    source.failure = undefined;
    const checkpoint = source.changeCounter;
    source.delete('a.md');
    source.set('c.md', 'Gamma text.');
    source.set('d.md', 'Delta text.');
    const halfway = source.connector('memory:test');
    const load = halfway.load.bind(halfway);
    halfway.load = async function* (from, context) {
      for await (const item of load(from, context)) {
        yield item;
        throw new DocentError('source_unreachable', 'connection reset');
      }
      return 0;
    };
    await expect(syncConnector(halfway, options({ checkpoint }))).rejects.toMatchObject({ code: 'source_unreachable', retryable: true });
    expect([...(await index.documents()).keys()].sort()).toEqual(['memory:test:a.md', 'memory:test:b.md', 'memory:test:c.md']);
  });

  it('stops promptly when aborted: what was indexed stays, nothing is deleted, no checkpoint is returned', async () => {
    const { index, source, connector, options } = await setup();
    for (let number = 0; number < 30; number++) source.set(`doc-${String(number).padStart(2, '0')}.md`, `Document ${number} about topic ${number}.`);
    await syncConnector(connector, options());
    source.delete('doc-00.md');
    for (let number = 30; number < 60; number++) source.set(`doc-${number}.md`, `Document ${number} about topic ${number}.`);
    source.delayMs = 20;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    const result = await syncConnector(connector, options({ signal: controller.signal }));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.report.interrupted).toBe(true);
    expect(result.checkpoint).toBeUndefined();
    expect(result.report.deleted).toBe(0);
    expect((await index.documents()).has('memory:test:doc-00.md')).toBe(true);
  });

  it('refuses a document stamped with another source id as a failure', async () => {
    const { index, source, options } = await setup();
    source.set('a.md', 'Alpha text.');
    const wrong = source.connector('memory:test');
    const load = wrong.load.bind(wrong);
    wrong.load = async function* (checkpoint, context) {
      for await (const item of load(checkpoint, context)) yield 'document' in item ? { document: { ...item.document, sourceId: 'memory:other' } } : item;
      return 0;
    };
    const result = await syncConnector(wrong, options());
    expect(result.report.failures[0]).toMatchObject({ code: 'internal', message: expect.stringMatching(/source id memory:other/) });
    expect((await index.documents()).size).toBe(0);
  });
});
