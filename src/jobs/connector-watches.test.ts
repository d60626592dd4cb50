import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChunkIndex } from '../../indexes/chunk-index.js';
import { createFileShareFixture } from '../../connectors/file-share/fixtures/file-share-fixture.js';
import { loadConfig } from '../config/load.js';
import { HashingEmbedder } from '../../test/support/hashing-embedder.js';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { ConnectorWatches } from './connector-watches.js';
import { InProcessJobRunner } from './in-process-runner.js';
import { jobRunnerSettings } from './job-runner.js';
import { openSyncHost } from './sync-host.js';

/** Polls until `check` holds (generous: the machine may be loaded); the caller's assertion says what failed. */
async function eventually(check: () => Promise<boolean>, timeoutMilliseconds = 60_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMilliseconds; Date.now() < deadline && !(await check()); ) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** A data directory with a file share set to watch mode, the in-process job runner over it (as `docent serve` without Redis has), and its index. */
async function setUp() {
  const fixture = await createFileShareFixture();
  await fixture.add('existing.md', 'The cafeteria opens at half past seven.');
  const dataDirectory = await temporaryDirectory('docent-watches-');
  const config = loadConfig({ file: '/dev/null', environment: { DOCENT_DATA_DIR: dataDirectory, DOCENT_RETRIEVAL_VECTOR_WEIGHT: '0.2' } });
  const embedder = new HashingEmbedder();
  const index = await ChunkIndex.open(path.join(dataDirectory, 'index'), embedder, { create: true });
  const lines: string[] = [];
  const log = (line: string): void => void lines.push(line);
  const host = await openSyncHost(config, { index, embedder, log });
  const runner = new InProcessJobRunner(host.stages, { ...jobRunnerSettings(config.jobs), backoffMilliseconds: 50 }, log);
  await runner.startWorking();
  await host.store.add({ name: 'share', kind: 'file-share', sourceId: 'file-share:share', config: { path: fixture.root, passwdFile: fixture.passwdFile, groupFile: fixture.groupFile, watch: true, watchDebounceMs: 200 } });
  const found = async (words: string): Promise<string[]> => (await index.fulltextSearch(words, { principals: ['everyone'] }, 5)).map((hit) => hit.chunk.documentId);
  const watchesOf = (): ConnectorWatches => new ConnectorWatches({ store: host.store, registry: host.registry, createConnector: host.createConnector, runner, log, refreshMilliseconds: 200 });
  const close = async (): Promise<void> => {
    await runner.close(0);
    await host.dispose();
    index.close();
  };
  return { fixture, host, runner, index, found, watchesOf, lines, close };
}

async function stopAll(watches: ConnectorWatches[], close: () => Promise<void>): Promise<void> {
  await Promise.all(watches.map((watch) => watch.close()));
  await close();
}

describe('ConnectorWatches', () => {
  it('catches up on start, then syncs a watched file share through the job runner on change: a new file becomes searchable, a removed one leaves', async () => {
    const { fixture, host, found, watchesOf, close } = await setUp();
    const watches = watchesOf();
    try {
      await watches.start();
      expect(watches.watching).toEqual(['share']);
      await eventually(async () => (await found('cafeteria')).length > 0);
      expect(await found('cafeteria')).toEqual(['file-share:share:existing.md']);

      await fixture.add('visitors.md', 'Visitors register at the reception desk.');
      await eventually(async () => (await found('visitors reception')).length > 0);
      expect(await found('visitors reception')).toEqual(['file-share:share:visitors.md']);
      await rm(path.join(fixture.root, 'visitors.md'));
      await eventually(async () => (await found('visitors reception')).length === 0);
      expect(await found('visitors reception')).toEqual([]);
    } finally {
      await stopAll([watches], close);
    }
    const runs = (await host.store.require('share')).runs;
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.every((run) => run.trigger === 'watch' && run.state === 'succeeded')).toBe(true);
  }, 180_000);

  it('lets one process watch a connector: a second one waits, and takes the watch over once the first lets go', async () => {
    const { found, fixture, watchesOf, close } = await setUp();
    const first = watchesOf();
    const second = watchesOf();
    try {
      await first.start();
      await second.start();
      expect(first.watching).toEqual(['share']);
      expect(second.watching).toEqual([]);

      await first.close();
      await eventually(async () => second.watching.length === 1, 30_000);
      expect(second.watching).toEqual(['share']);
      await fixture.add('parking.md', 'Visitors park on level B2.');
      await eventually(async () => (await found('park level B2')).length > 0);
      expect(await found('park level B2')).toEqual(['file-share:share:parking.md']);
    } finally {
      await stopAll([first, second], close);
    }
  }, 180_000);

  it('stops watching a connector that is paused or no longer set to watch, and starts again when resumed', async () => {
    const { host, watchesOf, lines, close } = await setUp();
    const watches = watchesOf();
    try {
      await watches.start();
      expect(watches.watching).toEqual(['share']);
      await host.store.configure('share', { paused: true });
      await watches.refresh();
      expect(watches.watching).toEqual([]);
      await host.store.configure('share', { paused: false });
      await watches.refresh();
      expect(watches.watching).toEqual(['share']);
      const record = await host.store.require('share');
      await host.store.configure('share', { config: { ...record.config, watch: false } });
      await watches.refresh();
      expect(watches.watching).toEqual([]);
      expect(lines.filter((line) => line === 'stopped watching share')).toHaveLength(2);
    } finally {
      await stopAll([watches], close);
    }
  }, 180_000);
});
