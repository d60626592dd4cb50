import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChunkIndex } from '../../indexes/chunk-index.js';
import { createFileShareFixture } from '../../connectors/file-share/fixtures/file-share-fixture.js';
import { loadConfig } from '../config/load.js';
import { DocentError } from '../core/errors.js';
import { acquireFileLock } from '../pipeline/file-lock.js';
import { HashingEmbedder } from '../../test/support/hashing-embedder.js';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { InProcessJobRunner } from './in-process-runner.js';
import { jobRunnerSettings } from './job-runner.js';
import { openSyncHost } from './sync-host.js';

/** A file share connector and the in-process runner over stages that hold the run lock, as `docent serve` without Redis has them. */
async function setUp() {
  const fixture = await createFileShareFixture();
  await fixture.add('parking.md', 'Visitors park on level B2.');
  const dataDirectory = await temporaryDirectory('docent-stages-');
  const config = loadConfig({ file: '/dev/null', environment: { DOCENT_DATA_DIR: dataDirectory, DOCENT_RETRIEVAL_VECTOR_WEIGHT: '0.2' } });
  const embedder = new HashingEmbedder();
  const index = await ChunkIndex.open(path.join(dataDirectory, 'index'), embedder, { create: true });
  const host = await openSyncHost(config, { index, embedder, runLock: true });
  const runner = new InProcessJobRunner(host.stages, { ...jobRunnerSettings(config.jobs), attempts: 2, backoffMilliseconds: 50 });
  await runner.startWorking();
  await host.store.add({ name: 'share', kind: 'file-share', sourceId: 'file-share:share', config: { path: fixture.root, passwdFile: fixture.passwdFile, groupFile: fixture.groupFile } });
  const run = async (trigger: 'manual' | 'schedule') => runner.waitForRun((await runner.enqueueSync('share', trigger)).runId);
  const close = async (): Promise<void> => {
    await runner.close(0);
    await host.dispose();
    index.close();
  };
  return { store: host.store, run, close };
}

const unexpected = (): DocentError => new DocentError('internal', 'the run lock should be free');

describe('ConnectorSyncStages in one process (runLock)', () => {
  it('does not run a connector another process is running, records nothing for it, and lets go of the lock after its own run', async () => {
    const { store, run, close } = await setUp();
    try {
      const held = await acquireFileLock(store.runLockFile('share'), { waitMs: 0, busy: unexpected });
      await expect(run('schedule')).rejects.toMatchObject({ code: 'connector_busy' });
      expect((await store.require('share')).runs).toEqual([]);
      await held.release();

      await expect(run('schedule')).resolves.toMatchObject({ status: 'succeeded', added: 1 });
      // Free again: a `docent connectors run` in another process may take it now.
      const after = await acquireFileLock(store.runLockFile('share'), { waitMs: 0, busy: unexpected });
      await after.release();
    } finally {
      await close();
    }
  }, 120_000);

  it('refuses scheduled and watch runs of a paused connector without recording them, and runs it when asked by hand', async () => {
    const { store, run, close } = await setUp();
    try {
      await store.configure('share', { paused: true });
      await expect(run('schedule')).rejects.toMatchObject({ code: 'connector_paused' });
      expect((await store.require('share')).runs).toEqual([]);
      await expect(run('manual')).resolves.toMatchObject({ status: 'succeeded', added: 1 });
      expect((await store.require('share')).runs).toHaveLength(1);
    } finally {
      await close();
    }
  }, 120_000);
});
