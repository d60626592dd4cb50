import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChunkIndex } from '../../indexes/chunk-index.js';
import { createConnectorRegistry } from '../../connectors/registry.js';
import type { ConnectorDefinition } from '../core/connector.js';
import { DocentError } from '../core/errors.js';
import { HashingEmbedder } from '../../test/support/hashing-embedder.js';
import { MemorySource, memoryConnectorDefinition } from '../../test/support/memory-connector.js';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { ConnectorStore } from './connector-store.js';
import { acquireFileLock } from './file-lock.js';
import { runConnector, type ConnectorRunDependencies } from './run-connector.js';

async function setup() {
  const directory = await temporaryDirectory();
  const sources = new Map([['wiki', new MemorySource()]]);
  const store = ConnectorStore.in(directory);
  const index = await ChunkIndex.open(path.join(directory, 'index'), { modelId: 'test-hashing-embedder', dimensions: 32 }, { create: true });
  const dependencies: ConnectorRunDependencies = {
    store,
    registry: createConnectorRegistry([memoryConnectorDefinition(sources) as ConnectorDefinition]),
    index,
    embedder: new HashingEmbedder(),
    chunking: { maxTokens: 100, overlapTokens: 10 },
    concurrency: 2,
    maxDocumentBytes: 1_000_000,
    search: { candidates: 10, fixedVectorWeight: 0.2 },
    env: {},
  };
  await store.add({ name: 'wiki', kind: 'memory', sourceId: 'memory:wiki', config: { source: 'wiki' } });
  return { source: sources.get('wiki')!, store, index, dependencies, directory };
}

describe('runConnector', () => {
  it('syncs from the stored checkpoint and records the run, its counts and the next checkpoint', async () => {
    const { source, store, index, dependencies } = await setup();
    source.set('a.md', 'Alpha text.');
    source.set('b.md', 'Beta text.');
    const first = await runConnector('wiki', dependencies, { trigger: 'manual' });
    expect(first.run).toMatchObject({ state: 'succeeded', trigger: 'manual', counts: { seen: 2, added: 2 } });
    expect(first.connector.checkpoint).toBe(2);
    source.set('c.md', 'Gamma text.');
    const second = await runConnector('wiki', dependencies, { trigger: 'schedule', runId: 'job-42' });
    expect(second.run).toMatchObject({ id: 'job-42', state: 'succeeded', counts: { added: 1, unchanged: 2 } });
    expect(source.calls).toContain('load:2');
    expect((await store.get('wiki'))!.runs.map((run) => run.id)[0]).toBe('job-42');
    expect((await index.documents('memory:wiki')).size).toBe(3);
  });

  it('marks the connector as needing attention on rejected credentials, and clears it with the next successful run', async () => {
    const { source, store, dependencies } = await setup();
    source.set('a.md', 'Alpha text.');
    source.failure = new DocentError('credentials_rejected', 'the token was rejected (401)', { retryable: false });
    await expect(runConnector('wiki', dependencies, { trigger: 'schedule' })).rejects.toMatchObject({ code: 'credentials_rejected', retryable: false });
    let record = (await store.get('wiki'))!;
    expect(record.needsAttention).toMatchObject({ code: 'credentials_rejected', message: 'the token was rejected (401)' });
    expect(record.runs[0]).toMatchObject({ state: 'failed', error: { code: 'credentials_rejected', retryable: false } });
    expect(record.checkpoint).toBeUndefined();

    source.failure = undefined;
    await runConnector('wiki', dependencies, { trigger: 'manual' });
    record = (await store.get('wiki'))!;
    expect(record.needsAttention).toBeUndefined();
    expect(record.runs.map((run) => run.state)).toEqual(['succeeded', 'failed']);
  });

  it('records and rethrows a retryable failure without asking for an admin', async () => {
    const { source, store, dependencies } = await setup();
    source.failure = new DocentError('source_unreachable', 'connection refused');
    await expect(runConnector('wiki', dependencies, { trigger: 'schedule' })).rejects.toMatchObject({ code: 'source_unreachable', retryable: true });
    const record = (await store.get('wiki'))!;
    expect(record.needsAttention).toBeUndefined();
    expect(record.runs[0]).toMatchObject({ state: 'failed', error: { code: 'source_unreachable', retryable: true } });
  });

  it('marks the connector as needing attention only for credential, permission and settings errors', async () => {
    const { source, store, dependencies } = await setup();
    source.set('a.md', 'Alpha text.');
    source.failure = new DocentError('permission_denied', 'the service account may not read the space', { retryable: false });
    await expect(runConnector('wiki', dependencies, { trigger: 'schedule' })).rejects.toMatchObject({ code: 'permission_denied' });
    expect((await store.get('wiki'))!.needsAttention).toMatchObject({ code: 'permission_denied' });
    await runConnector('wiki', dependencies, { trigger: 'manual' }).catch(() => undefined);
    source.failure = undefined;
    await runConnector('wiki', dependencies, { trigger: 'manual' });
    expect((await store.get('wiki'))!.needsAttention).toBeUndefined();

    // A timeout, and a failure no retry fixes but no admin setting either (a bug): the run fails, nobody is paged.
    for (const failure of [new DocentError('source_unreachable', 'the server did not answer within 30 s'), new DocentError('internal', 'unexpected answer', { retryable: false })]) {
      source.failure = failure;
      await expect(runConnector('wiki', dependencies, { trigger: 'schedule' })).rejects.toMatchObject({ code: failure.code });
      const record = (await store.get('wiki'))!;
      expect(record.needsAttention).toBeUndefined();
      expect(record.runs[0]).toMatchObject({ state: 'failed', error: { code: failure.code } });
    }
  });

  it('lets go of the run lock when recording the start of the run fails', async () => {
    const { source, directory, dependencies } = await setup();
    source.set('a.md', 'Alpha text.');
    // The same store on a disk that refuses the write recording the start.
    class FullDiskStore extends ConnectorStore {
      override async startRun(): Promise<never> {
        throw new DocentError('state_unavailable', 'no space left on device');
      }
    }
    const failing = { ...dependencies, store: new FullDiskStore(path.resolve(directory)) };
    await expect(runConnector('wiki', failing, { trigger: 'manual' })).rejects.toMatchObject({ code: 'state_unavailable' });
    // Held by this very process, a leaked lock would refuse the next run as busy.
    const result = await runConnector('wiki', dependencies, { trigger: 'manual' });
    expect(result.run).toMatchObject({ state: 'succeeded', counts: { added: 1 } });
  });

  it('refuses to run a connector another process is running, and rejects invalid stored settings', async () => {
    const { store, dependencies } = await setup();
    const held = await acquireFileLock(path.join(path.dirname(store.file), 'runs', 'wiki.lock'), { waitMs: 0, busy: () => new DocentError('internal', 'unexpected') });
    await expect(runConnector('wiki', dependencies, { trigger: 'manual' })).rejects.toMatchObject({ code: 'connector_busy', retryable: true });
    await held.release();

    await store.configure('wiki', { paused: true });
    await expect(runConnector('wiki', dependencies, { trigger: 'schedule' })).rejects.toMatchObject({ code: 'connector_paused' });
    expect((await store.get('wiki'))!.runs).toEqual([]);
    await store.configure('wiki', { config: { source: 'wiki', unexpected: true } });
    await expect(runConnector('wiki', dependencies, { trigger: 'manual' })).rejects.toMatchObject({ code: 'config_invalid' });
    expect((await store.get('wiki'))!.needsAttention).toMatchObject({ code: 'config_invalid' });
  });
});
