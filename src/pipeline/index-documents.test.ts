import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ParsedDocument, SourceDocument } from '../core/document.js';
import { DocentError } from '../core/errors.js';
import { ChunkIndex } from '../../indexes/chunk-index.js';
import { HashingEmbedder } from '../../test/support/hashing-embedder.js';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { indexDocuments, type DocumentParser } from './index-documents.js';
import type { SourceItem } from './source-item.js';

const encoder = new TextEncoder();

function document(name: string, text: string): SourceDocument {
  return { id: `test:${name}`, sourceId: 'test', uri: `/docs/${name}`, name, content: encoder.encode(text), access: ['everyone'] };
}

/** Plain-text parsing, plus the failure modes real parsers report. */
const parse: DocumentParser = async ({ name, content }) => {
  const text = new TextDecoder().decode(content);
  if (text.startsWith('CORRUPT')) throw new DocentError('file_corrupt', 'the file is truncated');
  if (text.startsWith('CRASH')) throw new TypeError('Cannot read properties of undefined');
  const parsed: ParsedDocument = { blocks: text.split('\n\n').filter(Boolean).map((paragraph) => ({ kind: 'paragraph', text: paragraph })) };
  if (name.endsWith('.eml')) parsed.attachments = [{ name: 'agenda.txt', content: encoder.encode('Agenda: budget review and hiring plan.') }];
  return parsed;
};

async function* items(...entries: (SourceDocument | SourceItem)[]): AsyncGenerator<SourceItem> {
  for (const entry of entries) yield 'id' in entry ? { document: entry } : entry;
}

async function setup() {
  const index = await ChunkIndex.open(path.join(await temporaryDirectory(), 'index'), { modelId: 'test-hashing-embedder', dimensions: 32 }, { create: true });
  const embedder = new HashingEmbedder();
  const run = (...entries: (SourceDocument | SourceItem)[]) =>
    indexDocuments(items(...entries), { index, embedder, chunking: { maxTokens: 100, overlapTokens: 10 }, sourceId: 'test', concurrency: 3, deleteMissing: true, parse, embeddingBatchChunks: 4 });
  return { index, embedder, run };
}

describe('indexDocuments', () => {
  it('indexes, skips unchanged documents without embedding, updates changed ones and deletes missing ones', async () => {
    const { index, embedder, run } = await setup();
    const first = await run(document('a.txt', 'Alpha policy.\n\nMore alpha.'), document('b.txt', 'Beta guide.'), document('c.txt', 'Gamma notes.'));
    expect(first).toMatchObject({ seen: 3, added: 3, updated: 0, unchanged: 0, deleted: 0, failed: 0, chunks: 3 });

    const embeddedBefore = embedder.embeddedTexts;
    const second = await run(document('a.txt', 'Alpha policy.\n\nMore alpha.'), document('b.txt', 'Beta guide, revised.'));
    expect(second).toMatchObject({ seen: 2, added: 0, updated: 1, unchanged: 1, deleted: 1 });
    expect(embedder.embeddedTexts - embeddedBefore).toBe(1);
    const documents = await index.documents('test');
    expect([...documents.keys()].sort()).toEqual(['test:a.txt', 'test:b.txt']);
    expect((await index.documentChunks('test:b.txt'))[0]!.text).toBe('Beta guide, revised.');
  });

  it('reports bad documents with their reason and indexes everything else', async () => {
    const { index, run } = await setup();
    await run(document('kept.txt', 'The original, good version.'));
    const report = await run(
      document('good.txt', 'A good document.'),
      document('kept.txt', 'CORRUPT now'),
      document('crash.txt', 'CRASH please'),
      document('empty.txt', ''),
      { failure: { documentId: 'test:gone.txt', location: '/docs/gone.txt', error: new DocentError('file_vanished', 'file disappeared') } },
    );
    expect(report.failed).toBe(4);
    expect(report.failures.map((failure) => [failure.documentId, failure.code, failure.keptPreviousVersion])).toEqual(
      expect.arrayContaining([
        ['test:kept.txt', 'file_corrupt', true],
        ['test:crash.txt', 'file_corrupt', false],
        ['test:empty.txt', 'file_empty', false],
        ['test:gone.txt', 'file_vanished', false],
      ]),
    );
    expect(report.failures.find((failure) => failure.documentId === 'test:crash.txt')!.message).toMatch(/could not be parsed: Cannot read properties/);
    const documents = await index.documents('test');
    expect([...documents.keys()].sort()).toEqual(['test:good.txt', 'test:kept.txt']);
    expect((await index.documentChunks('test:kept.txt'))[0]!.text).toBe('The original, good version.');
  });

  it('indexes e-mail attachments as their own documents and keeps them while the e-mail is unchanged', async () => {
    const { index, run } = await setup();
    const mail = document('all-hands.eml', 'Subject: all hands\n\nSee the agenda attached.');
    expect(await run(mail)).toMatchObject({ seen: 2, added: 2 });
    const attachmentId = 'test:all-hands.eml/attachments/1-agenda.txt';
    expect((await index.documents('test')).get(attachmentId)).toMatchObject({ parentId: 'test:all-hands.eml', title: 'agenda' });
    expect(await run(mail)).toMatchObject({ seen: 2, unchanged: 2, deleted: 0 });
    expect((await index.documents('test')).has(attachmentId)).toBe(true);
    expect(await run()).toMatchObject({ deleted: 2 });
  });

  it('loses nothing and duplicates nothing when re-run after an interrupted run', async () => {
    const { index, run } = await setup();
    const corpus = Array.from({ length: 12 }, (_, number) => document(`doc-${number}.txt`, `Document number ${number} about topic ${number}.`));
    const controller = new AbortController();
    async function* interrupted(): AsyncGenerator<SourceItem> {
      for (const [position, entry] of corpus.entries()) {
        if (position === 7) controller.abort();
        yield { document: entry };
      }
    }
    const partial = await indexDocuments(interrupted(), {
      index, embedder: new HashingEmbedder(), chunking: { maxTokens: 100, overlapTokens: 10 }, sourceId: 'test', concurrency: 2, deleteMissing: true, parse, signal: controller.signal, embeddingBatchChunks: 3,
    });
    expect(partial.interrupted).toBe(true);
    expect(partial.deleted).toBe(0);
    const resumed = await run(...corpus);
    expect(resumed.added + resumed.unchanged).toBe(12);
    const statistics = await index.statistics();
    expect(statistics).toMatchObject({ documents: 12, chunks: 12 });
  });
});
