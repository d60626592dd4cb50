import { statSync } from 'node:fs';
import path from 'node:path';
import { ChunkIndex, type IndexStatistics } from '../../indexes/chunk-index.js';
import { readManifest } from '../../indexes/index-manifest.js';
import type { DocentConfig } from '../config/schema.js';
import { describeError } from '../core/errors.js';
import { formatBytes } from '../core/format-bytes.js';
import { resolveModelPath } from '../models/model-store.js';
import type { AttentionNeeded, ConnectorRun } from '../pipeline/connector-record.js';
import { ConnectorStore } from '../pipeline/connector-store.js';
import { indexDirectoryOf } from '../runtime/runtime.js';

/*
 * What `docent status`, the admin API's status and the console show: read from the data
 * directory, shared by all of them, so none imports another's command file.
 */

/** One source as status shows it: the connector that feeds it and how its last run went. */
export interface SourceStatus {
  sourceId: string;
  /** The connector's name (`docent connectors show <name>`). */
  name: string;
  kind: string;
  /** Folder path or URL the connector reads. */
  location: string;
  paused: boolean;
  needsAttention?: AttentionNeeded;
  /** The latest finished run. */
  lastRun?: ConnectorRun;
}

export interface StatusReport {
  dataDirectory: string;
  /** The configured language model, found on disk or not; not loaded. */
  languageModel: { configured: boolean; detail: string };
  index: IndexStatistics | null;
  sources: SourceStatus[];
  failures: number;
}

function describeLanguageModel(config: DocentConfig): StatusReport['languageModel'] {
  if (config.llm.endpoint) return { configured: true, detail: `${config.llm.endpointModel} at ${config.llm.endpoint} (OpenAI-compatible endpoint)` };
  try {
    const modelPath = resolveModelPath(config);
    if (!modelPath) return { configured: false, detail: 'none: answers quote the documents (set llm.model or llm.endpoint)' };
    return { configured: true, detail: `${modelPath} (${formatBytes(statSync(modelPath).size)})` };
  } catch (error) {
    return { configured: true, detail: `UNAVAILABLE: ${describeError(error)}` };
  }
}

/** Reads the index without loading any model: status must be instant and work while the model is busy elsewhere. */
export async function collectStatus(config: DocentConfig): Promise<StatusReport> {
  const dataDir = path.resolve(config.dataDir);
  const indexDirectory = indexDirectoryOf(config);
  const sources = (await ConnectorStore.in(dataDir).list()).map((connector): SourceStatus => {
    const source: SourceStatus = { sourceId: connector.sourceId, name: connector.name, kind: connector.kind, location: locationOf(connector.config), paused: connector.paused };
    if (connector.needsAttention) source.needsAttention = connector.needsAttention;
    const lastRun = connector.runs.find((run) => run.state !== 'running');
    if (lastRun) source.lastRun = lastRun;
    return source;
  });
  const manifest = await readManifest(indexDirectory);
  let statistics: IndexStatistics | null = null;
  if (manifest) {
    const index = await ChunkIndex.open(indexDirectory, manifest.embedding, { create: false });
    try {
      statistics = await index.statistics();
    } finally {
      index.close();
    }
  }
  return { dataDirectory: dataDir, languageModel: describeLanguageModel(config), index: statistics, sources, failures: sources.reduce((sum, source) => sum + (source.lastRun?.counts?.failed ?? 0), 0) };
}

/** Where a connector reads from, for people: its path, URL or repository, whichever its settings have. */
export function locationOf(config: Record<string, unknown>): string {
  for (const key of ['path', 'url', 'baseUrl', 'repository', 'location']) if (typeof config[key] === 'string') return config[key];
  return '';
}
