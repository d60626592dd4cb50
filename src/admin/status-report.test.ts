import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChunkIndex } from '../../indexes/chunk-index.js';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { loadConfig } from '../config/load.js';
import { ConnectorStore } from '../pipeline/connector-store.js';
import { indexDirectoryOf } from '../runtime/runtime.js';
import { collectStatus, locationOf } from './status-report.js';

describe('collectStatus', () => {
  it('reports a data directory without an index, then the index and each connector with where it reads, without loading a model', async () => {
    const dataDirectory = await temporaryDirectory('docent-status-');
    const config = loadConfig({ environment: { DOCENT_DATA_DIR: dataDirectory } });
    expect(await collectStatus(config)).toMatchObject({ dataDirectory, index: null, sources: [], failures: 0 });

    const index = await ChunkIndex.open(indexDirectoryOf(config), { modelId: 'test-hashing-embedder', dimensions: 32 }, { create: true });
    index.close();
    await ConnectorStore.in(dataDirectory).add({ name: 'hr', kind: 'file-share', sourceId: 'file-share:hr', config: { path: '/srv/hr' }, paused: true });
    const status = await collectStatus(config);
    expect(status.index).toMatchObject({ documents: 0, chunks: 0, embedding: { modelId: 'test-hashing-embedder', dimensions: 32 } });
    expect(status.sources).toEqual([{ sourceId: 'file-share:hr', name: 'hr', kind: 'file-share', location: '/srv/hr', paused: true }]);
  });

  it('names a connector\'s location by whichever setting it has', () => {
    expect(locationOf({ path: '/srv/share' })).toBe('/srv/share');
    expect(locationOf({ baseUrl: 'https://wiki.example.com' })).toBe('https://wiki.example.com');
    expect(locationOf({ repository: 'file:///srv/git/handbook.git' })).toBe('file:///srv/git/handbook.git');
    expect(locationOf({ startUrls: ['https://intranet.example.com/'] })).toBe('');
  });
});
