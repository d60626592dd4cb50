import path from 'node:path';
import { folderSourceId } from '../../connectors/file-share/index.js';
import { parseConnectorConfig } from '../../connectors/config-fields.js';
import type { ConnectorRecord } from '../pipeline/connector-record.js';
import { folderConnectorName } from '../pipeline/connector-store.js';
import type { IndexProgress, IndexReport } from '../pipeline/index-documents.js';
import { runConnector } from '../pipeline/run-connector.js';
import { connectorDependencies } from './connector-dependencies.js';
import type { Runtime } from './runtime.js';

export interface IndexFolderOptions {
  onProgress?: (progress: IndexProgress) => void;
  signal?: AbortSignal;
}

/**
 * Brings the index in step with a folder, as `docent index <folder>` does: the folder is a
 * file-share connector (open to everyone, source id `folder:<absolute path>`, created on
 * first use and listed by `docent connectors list`), run once now. New and changed files
 * are indexed, removed ones deleted, the search indexes refreshed and the run recorded.
 */
export async function indexFolder(runtime: Runtime, folder: string, options: IndexFolderOptions = {}): Promise<IndexReport> {
  const connector = await folderConnector(runtime, path.resolve(folder));
  const runOptions: Parameters<typeof runConnector>[2] = { trigger: 'manual' };
  if (options.onProgress) runOptions.onProgress = options.onProgress;
  if (options.signal) runOptions.signal = options.signal;
  return (await runConnector(connector.name, connectorDependencies(runtime), runOptions)).report;
}

/** The connector of a folder, created (after checking the folder exists) the first time it is indexed. */
async function folderConnector(runtime: Runtime, root: string): Promise<ConnectorRecord> {
  const sourceId = folderSourceId(root);
  const followSymlinks = runtime.config.ingest.followSymlinks;
  const existing = await runtime.connectors.findBySourceId(sourceId);
  if (existing) {
    // `ingest.followSymlinks` governs folders indexed this way; keep the stored settings in step with it.
    if (existing.kind === 'file-share' && (existing.config.followSymlinks ?? false) !== followSymlinks) {
      return runtime.connectors.configure(existing.name, { config: { ...existing.config, followSymlinks } });
    }
    return existing;
  }
  const definition = runtime.connectorRegistry.require('file-share');
  const config = { path: root, permissions: 'everyone', followSymlinks };
  const dependencies = connectorDependencies(runtime);
  // A mistyped folder must fail here, not linger in the store as a connector that always fails.
  await definition
    .create(parseConnectorConfig(definition, config), { name: 'folder', sourceId, env: {}, cacheDirectory: runtime.dataDirectory, maxDocumentBytes: dependencies.maxDocumentBytes })
    .validate(new AbortController().signal);
  const taken = new Set((await runtime.connectors.list()).map((record) => record.name));
  return runtime.connectors.add({ name: folderConnectorName(root, taken), kind: 'file-share', sourceId, config });
}

/** Deletes every document of a source from the index and forgets its connector. */
export async function removeSource(runtime: Runtime, sourceId: string): Promise<number> {
  const documents = [...(await runtime.index.documents(sourceId)).keys()];
  await runtime.index.deleteDocuments(documents);
  const connector = await runtime.connectors.findBySourceId(sourceId);
  if (connector) await runtime.connectors.remove(connector.name);
  return documents.length;
}
