import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChunkIndex } from '../../indexes/chunk-index.js';
import { createFileShareFixture } from '../../connectors/file-share/fixtures/file-share-fixture.js';
import { createConnectorRegistry } from '../../connectors/registry.js';
import { HashingEmbedder } from '../../test/support/hashing-embedder.js';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { ConnectorStore } from './connector-store.js';
import type { ConnectorRunResult } from './run-connector.js';
import { watchConnector } from './watch-connector.js';

describe('watchConnector', () => {
  it('runs a watched file share on change: a new file becomes searchable and a removed one leaves, each run recorded as a watch run', async () => {
    const fixture = await createFileShareFixture();
    await fixture.add('existing.md', 'The cafeteria opens at half past seven.');
    const directory = await temporaryDirectory();
    const store = ConnectorStore.in(directory);
    await store.add({ name: 'share', kind: 'file-share', sourceId: 'file-share:share', config: { path: fixture.root, passwdFile: fixture.passwdFile, groupFile: fixture.groupFile, watchDebounceMs: 200 } });
    const index = await ChunkIndex.open(path.join(directory, 'index'), { modelId: 'test-hashing-embedder', dimensions: 32 }, { create: true });
    const dependencies = {
      store, registry: createConnectorRegistry(), index, embedder: new HashingEmbedder(), chunking: { maxTokens: 120, overlapTokens: 10 }, concurrency: 2,
      maxDocumentBytes: 1_000_000, search: { candidates: 10, fixedVectorWeight: 0.2 }, env: {},
    };
    const controller = new AbortController();
    const runs: ConnectorRunResult[] = [];
    const errors: unknown[] = [];
    const watching = watchConnector('share', dependencies, { signal: controller.signal, onRun: (result) => runs.push(result), onRunError: (error) => errors.push(error) });
    const found = async (words: string) => (await index.fulltextSearch(words, { principals: ['everyone'] }, 5)).map((hit) => hit.chunk.documentId);
    const eventually = async (check: () => Promise<boolean>): Promise<void> => {
      for (let attempt = 0; attempt < 600 && !(await check()); attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
    };
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await fixture.add('visitors.md', 'Visitors register at the reception desk.');
      await eventually(async () => (await found('visitors reception')).length > 0);
      expect(await found('visitors reception')).toEqual(['file-share:share:visitors.md']);
      await rm(path.join(fixture.root, 'visitors.md'));
      await eventually(async () => (await found('visitors reception')).length === 0);
      expect(await found('visitors reception')).toEqual([]);
    } finally {
      controller.abort();
      await watching;
      index.close();
    }
    expect(errors).toEqual([]);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect((await store.get('share'))!.runs.every((run) => run.trigger === 'watch' && run.state !== 'failed')).toBe(true);
  }, 120_000);
});
