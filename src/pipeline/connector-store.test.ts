import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { maxStoredRuns } from './connector-record.js';
import { ConnectorStore, folderConnectorName } from './connector-store.js';
import type { IndexReport } from './index-documents.js';

const storeModule = path.join(path.dirname(fileURLToPath(import.meta.url)), 'connector-store.ts');

function report(overrides: Partial<IndexReport> = {}): IndexReport {
  return { sourceId: 'file-share:hr', startedAt: '2024-05-01T10:00:00.000Z', finishedAt: '2024-05-01T10:01:00.000Z', seen: 3, added: 2, updated: 0, metadataUpdated: 0, unchanged: 1, deleted: 0, failed: 0, chunks: 4, failures: [], interrupted: false, ...overrides };
}

describe('ConnectorStore', () => {
  it('adds, configures, pauses and removes connectors, refusing duplicate names and sources and bad names', async () => {
    const store = ConnectorStore.in(await temporaryDirectory());
    await store.add({ name: 'hr', kind: 'file-share', sourceId: 'file-share:hr', config: { path: '/srv/hr' }, schedule: { cron: '*/15 * * * *' } });
    await expect(store.add({ name: 'hr', kind: 'file-share', sourceId: 'file-share:other', config: {} })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(store.add({ name: 'hr-2', kind: 'file-share', sourceId: 'file-share:hr', config: {} })).rejects.toMatchObject({ message: expect.stringMatching(/already indexes file-share:hr/) });
    await expect(store.add({ name: 'Bad Name', kind: 'file-share', sourceId: 'x', config: {} })).rejects.toMatchObject({ code: 'invalid_request' });
    const paused = await store.configure('hr', { paused: true, schedule: null });
    expect(paused).toMatchObject({ paused: true });
    expect(paused.schedule).toBeUndefined();
    await expect(store.require('nope')).rejects.toMatchObject({ code: 'connector_not_found', message: expect.stringMatching(/known: hr/) });
    expect((await store.remove('hr'))?.name).toBe('hr');
    expect(await store.list()).toEqual([]);
  });

  it('records runs newest first, bounded, and saves the checkpoint only after a successful run', async () => {
    const store = ConnectorStore.in(await temporaryDirectory());
    await store.add({ name: 'hr', kind: 'file-share', sourceId: 'file-share:hr', config: {} });
    const first = await store.startRun('hr', 'manual');
    expect((await store.get('hr'))!.runs[0]).toMatchObject({ id: first.id, state: 'running', runner: { pid: process.pid } });
    await store.finishRun('hr', first.id, { state: 'succeeded', report: report(), checkpoint: { cursor: 7 }, needsAttention: null });
    const failed = await store.startRun('hr', 'schedule');
    const afterFailure = await store.finishRun('hr', failed.id, {
      state: 'failed', error: { code: 'credentials_rejected', message: 'token rejected', retryable: false }, checkpoint: { cursor: 99 },
      needsAttention: { code: 'credentials_rejected', message: 'token rejected', at: '2024-05-01T11:00:00.000Z' },
    });
    expect(afterFailure.checkpoint).toEqual({ cursor: 7 });
    expect(afterFailure.needsAttention).toMatchObject({ code: 'credentials_rejected' });
    expect(afterFailure.runs.map((run) => run.state)).toEqual(['failed', 'succeeded']);
    expect(afterFailure.runs[1]!.counts).toMatchObject({ seen: 3, added: 2, unchanged: 1, chunks: 4 });

    for (let number = 0; number < maxStoredRuns + 5; number++) {
      const run = await store.startRun('hr', 'watch');
      await store.finishRun('hr', run.id, { state: 'succeeded', report: report({ failures: Array.from({ length: 250 }, (_, item) => ({ documentId: `d${item}`, location: `/d${item}`, code: 'file_corrupt', message: 'bad', keptPreviousVersion: false })), failed: 250 }) });
    }
    const record = (await store.get('hr'))!;
    expect(record.runs).toHaveLength(maxStoredRuns);
    expect(record.runs[0]!.failures).toHaveLength(200);
    expect(record.runs[0]!.failuresOmitted).toBe(50);
    expect(record.needsAttention).toMatchObject({ code: 'credentials_rejected' });
  });

  it('marks a run left running by a process that died as interrupted', async () => {
    const directory = await temporaryDirectory();
    const store = ConnectorStore.in(directory);
    await store.add({ name: 'hr', kind: 'file-share', sourceId: 'file-share:hr', config: {} });
    const orphan = await store.startRun('hr', 'manual');
    const file = JSON.parse(await readFile(store.file, 'utf8')) as { connectors: { runs: { runner: { pid: number } }[] }[] };
    file.connectors[0]!.runs[0]!.runner.pid = 2 ** 22 + 12_345;
    await writeFile(store.file, JSON.stringify(file));
    await store.startRun('hr', 'manual');
    expect((await store.get('hr'))!.runs.find((run) => run.id === orphan.id)).toMatchObject({ state: 'interrupted', error: { message: expect.stringMatching(/stopped before it finished/) } });
  });

  it('absorbs the folders `docent index` recorded before connectors existed, keeping their source ids', async () => {
    const directory = await temporaryDirectory();
    await mkdir(path.join(directory, 'state'));
    await writeFile(path.join(directory, 'state', 'sources.json'), JSON.stringify({ sources: [{ sourceId: 'folder:/srv/Handbook', kind: 'folder', location: '/srv/Handbook', lastRun: { ...report({ failed: 1, failures: [{ documentId: 'x', location: '/srv/Handbook/x.pdf', code: 'file_encrypted', message: 'encrypted', keptPreviousVersion: false }] }), metadataUpdated: undefined } }] }));
    const store = ConnectorStore.in(directory);
    const [absorbed] = await store.list();
    expect(absorbed).toMatchObject({ name: 'handbook', kind: 'file-share', sourceId: 'folder:/srv/Handbook', config: { path: '/srv/Handbook', permissions: 'everyone' } });
    expect(absorbed!.runs[0]).toMatchObject({ state: 'succeeded', counts: { failed: 1, metadataUpdated: 0 }, failures: [{ code: 'file_encrypted' }] });
    await store.configure('handbook', { paused: false });
    await expect(readFile(path.join(directory, 'state', 'sources.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await store.list()).map((record) => record.sourceId)).toEqual(['folder:/srv/Handbook']);
    expect(folderConnectorName('/srv/Handbook', new Set(['handbook']))).toBe('handbook-2');
  });

  it('loses no change when several processes record runs at once', async () => {
    const directory = await temporaryDirectory();
    const store = ConnectorStore.in(directory);
    await store.add({ name: 'shared', kind: 'file-share', sourceId: 'file-share:shared', config: {} });
    const script = `
      const { ConnectorStore } = await import(${JSON.stringify(storeModule)});
      const store = ConnectorStore.in(${JSON.stringify(directory)});
      for (let number = 0; number < 6; number++) {
        const run = await store.startRun('shared', 'manual');
        await store.finishRun('shared', run.id, { state: 'succeeded' });
      }`;
    const processes = Array.from({ length: 3 }, () =>
      new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
        let errors = '';
        child.stderr.on('data', (data: Buffer) => (errors += data.toString()));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(code) : reject(new Error(errors))));
      }),
    );
    await Promise.all(processes);
    const runs = (await store.get('shared'))!.runs;
    expect(runs).toHaveLength(18);
    expect(runs.every((run) => run.state === 'succeeded')).toBe(true);
  }, 60_000);
});
