import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConnectorRegistry } from '../../connectors/registry.js';
import { ChunkIndex } from '../../indexes/chunk-index.js';
import { HashingEmbedder } from '../../test/support/hashing-embedder.js';
import { MemorySource, memoryConnectorDefinition } from '../../test/support/memory-connector.js';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import type { AdminActor } from '../audit/admin-action.js';
import { AuditLog } from '../audit/audit-log.js';
import type { AdminContent, RecordEnvelope } from '../audit/audit-record.js';
import { searchRecords } from '../audit/search-records.js';
import type { ConnectorDefinition } from '../core/connector.js';
import { DocentError } from '../core/errors.js';
import type { ConnectorRecord } from '../pipeline/connector-record.js';
import { ConnectorStore } from '../pipeline/connector-store.js';
import { runConnector } from '../pipeline/run-connector.js';
import { ConnectorService } from './connector-service.js';

const admin: AdminActor = { name: 'ops-team', role: 'admin', via: 'token' };

async function setup() {
  const directory = await temporaryDirectory();
  const source = new MemorySource();
  source.set('a.md', 'Alpha text about leave.');
  source.set('b.md', 'Beta text about expenses.');
  const registry = createConnectorRegistry([memoryConnectorDefinition(new Map([['wiki', source]])) as ConnectorDefinition]);
  const store = ConnectorStore.in(directory);
  const audit = await AuditLog.open({ directory: path.join(directory, 'audit') });
  const embedder = new HashingEmbedder();
  const index = await ChunkIndex.open(path.join(directory, 'index'), embedder, { create: true });
  /** Every schedule change the service asked for, in order, with what the store held at that moment. */
  const scheduleSyncs: Array<{ name: string; schedule: unknown; paused: boolean | undefined; stored: boolean }> = [];
  const service = new ConnectorService({
    store,
    registry,
    audit,
    index: async () => ({ index, release: () => undefined }),
    syncSchedule: async (name: string, record: ConnectorRecord | undefined) => {
      scheduleSyncs.push({ name, schedule: record?.schedule, paused: record?.paused, stored: (await store.get(name)) !== undefined });
    },
  });
  const adminRecords = async (): Promise<Array<AdminContent & RecordEnvelope>> =>
    (await searchRecords(audit.paths.directory, { type: 'admin' })).records.map((stored) => stored.record).filter((record): record is AdminContent & RecordEnvelope => record.type === 'admin');
  const dependencies = { store, registry, index, embedder, chunking: { maxTokens: 100, overlapTokens: 10 }, concurrency: 2, maxDocumentBytes: 1_000_000, search: { candidates: 10, fixedVectorWeight: 0.2 }, env: {} };
  return { service, store, audit, index, source, scheduleSyncs, adminRecords, dependencies, close: async () => { index.close(); await audit.close(); } };
}

describe('ConnectorService', () => {
  it('validates a new connector against its kind before recording anything', async () => {
    const { service, adminRecords, store, close } = await setup();
    await expect(service.add(admin, { name: 'wiki', kind: 'memory', settings: { source: 42 } })).rejects.toMatchObject({ code: 'config_invalid' });
    await expect(service.add(admin, { name: 'wiki', kind: 'sharepoint', settings: {} })).rejects.toThrow(/no connector of kind "sharepoint"/);
    await expect(service.add(admin, { name: 'Wiki Pages', kind: 'memory', settings: { source: 'wiki' } })).rejects.toMatchObject({ code: 'invalid_request' });
    expect(await adminRecords()).toEqual([]);
    expect(await store.list()).toEqual([]);
    await close();
  });

  it('records each change, then makes it, then brings the schedule in line', async () => {
    const { service, adminRecords, scheduleSyncs, close } = await setup();
    const added = await service.add(admin, { name: 'wiki', kind: 'memory', settings: { source: 'wiki' }, schedule: { everySeconds: 600 } });
    expect(added).toMatchObject({ name: 'wiki', sourceId: 'memory:wiki', schedule: { everySeconds: 600 }, paused: false });
    await service.configure(admin, 'wiki', { schedule: { cron: '0 3 * * *' } });
    await service.setPaused(admin, 'wiki', true);
    await service.setPaused(admin, 'wiki', false);
    await service.configure(admin, 'wiki', { schedule: null });
    expect((await service.show('wiki')).schedule).toBeUndefined();
    expect(scheduleSyncs).toEqual([
      { name: 'wiki', schedule: { everySeconds: 600 }, paused: false, stored: true },
      { name: 'wiki', schedule: { cron: '0 3 * * *' }, paused: false, stored: true },
      { name: 'wiki', schedule: { cron: '0 3 * * *' }, paused: true, stored: true },
      { name: 'wiki', schedule: { cron: '0 3 * * *' }, paused: false, stored: true },
      { name: 'wiki', schedule: undefined, paused: false, stored: true },
    ]);
    const records = await adminRecords();
    expect(records.map((record) => record.action)).toEqual(['connector.add', 'connector.configure', 'connector.pause', 'connector.resume', 'connector.configure']);
    expect(records[1]).toMatchObject({ actor: 'token:ops-team', details: { actorRole: 'admin', target: 'connector wiki', previousSchedule: { everySeconds: 600 }, schedule: { cron: '0 3 * * *' } } });
    await close();
  });

  it('lists connectors with their state and last run, and removes one with its documents', async () => {
    const { service, index, dependencies, adminRecords, scheduleSyncs, close } = await setup();
    await service.add(admin, { name: 'wiki', kind: 'memory', settings: { source: 'wiki' } });
    expect((await service.list())[0]).toMatchObject({ name: 'wiki', state: 'never run' });
    await service.run(admin, 'wiki', () => runConnector('wiki', dependencies, { trigger: 'manual' }));
    expect((await service.list())[0]).toMatchObject({ name: 'wiki', state: 'ok', lastRun: { state: 'succeeded', counts: { added: 2 } } });
    expect((await index.documents('memory:wiki')).size).toBe(2);
    expect(await service.remove(admin, 'wiki')).toEqual({ name: 'wiki', sourceId: 'memory:wiki', documentsDeleted: 2 });
    expect((await index.documents('memory:wiki')).size).toBe(0);
    expect(await service.list()).toEqual([]);
    expect(scheduleSyncs.at(-1)).toEqual({ name: 'wiki', schedule: undefined, paused: undefined, stored: false });
    expect((await adminRecords()).map((record) => record.action)).toEqual(['connector.add', 'connector.run', 'connector.remove']);
    await close();
  });

  it('removes the connector\'s cache folder and checkpoint, so one added again under the name starts clean', async () => {
    const { service, store, dependencies, close } = await setup();
    await service.add(admin, { name: 'wiki', kind: 'memory', settings: { source: 'wiki' } });
    await service.run(admin, 'wiki', () => runConnector('wiki', dependencies, { trigger: 'manual' }));
    expect((await store.require('wiki')).checkpoint).toBeDefined();
    // What a Git connector leaves there: a mirror it fetches into on the next run.
    const cache = store.cacheDirectoryOf('wiki');
    expect(cache).toBe(path.join(store.dataDirectory, 'connectors', 'wiki'));
    await mkdir(path.join(cache, 'git-0123.git'), { recursive: true });
    await writeFile(path.join(cache, 'git-0123.git', 'HEAD'), 'ref: refs/heads/main\n');
    await service.remove(admin, 'wiki');
    await expect(readdir(cache)).rejects.toMatchObject({ code: 'ENOENT' });
    const again = await service.add(admin, { name: 'wiki', kind: 'memory', settings: { source: 'wiki' } });
    expect(again.checkpoint).toBeUndefined();
    expect(again.runs).toEqual([]);
    await close();
  });

  it('records a run that failed, naming the record of the ask', async () => {
    const { service, source, dependencies, adminRecords, close } = await setup();
    await service.add(admin, { name: 'wiki', kind: 'memory', settings: { source: 'wiki' } });
    source.failure = new DocentError('source_unreachable', 'the wiki did not answer');
    await expect(service.run(admin, 'wiki', () => runConnector('wiki', dependencies, { trigger: 'manual' }))).rejects.toMatchObject({ code: 'source_unreachable' });
    const [, asked, failed] = await adminRecords();
    expect(asked).toMatchObject({ action: 'connector.run' });
    expect(failed).toMatchObject({ action: 'connector.run.failed', details: { name: 'wiki', recordId: asked!.id, error: { code: 'source_unreachable', message: 'the wiki did not answer' } } });
    await expect(service.run(admin, 'missing', async () => 'never')).rejects.toMatchObject({ code: 'connector_not_found' });
    await close();
  });
});
