import { statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ChunkIndex, type IndexStatistics } from '../../../indexes/chunk-index.js';
import { readManifest } from '../../../indexes/index-manifest.js';
import type { DocentConfig } from '../../config/schema.js';
import { describeError } from '../../core/errors.js';
import { resolveModelPath } from '../../models/model-store.js';
import { formatBytes } from '../../core/format-bytes.js';
import type { AttentionNeeded, ConnectorRun } from '../../pipeline/connector-record.js';
import { ConnectorStore } from '../../pipeline/connector-store.js';
import { describeCalibration } from '../../retrieval/calibrate-fusion.js';
import { indexDirectoryOf } from '../../runtime/runtime.js';
import { printJson } from '../terminal.js';
import { loadCommandConfig, type GlobalOptions } from './command-config.js';

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

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('show what is indexed: documents, chunks, failures, model and index size')
    .option('--json', 'print the status as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const status = await collectStatus(config);
      if (options.json) {
        printJson(status);
        return;
      }
      if (!status.index) {
        console.log(`no index in ${status.dataDirectory} yet: run \`docent index <folder>\``);
        return;
      }
      const index = status.index;
      console.log(`data directory: ${status.dataDirectory}`);
      console.log(`documents: ${index.documents}   chunks: ${index.chunks}   failures: ${status.failures}   index size: ${formatBytes(index.bytesOnDisk)}`);
      console.log(`embedding model: ${index.embedding.modelId} (${index.embedding.dimensions} dimensions)`);
      console.log(`language model: ${status.languageModel.detail}`);
      console.log(`fusion: vector weight ${describeCalibration(index.calibration)}`);
      console.log(`search indexes: ${index.indexes.join(', ') || 'none yet'}`);
      for (const source of status.sources) {
        const run = source.lastRun;
        console.log(`\nsource ${source.location || source.sourceId} (connector ${source.name}, ${source.kind}${source.paused ? ', paused' : ''})`);
        if (source.needsAttention) console.log(`  needs attention: ${source.needsAttention.message} [${source.needsAttention.code}]`);
        if (!run) continue;
        const counts = run.counts;
        console.log(`  last run ${run.finishedAt ?? run.startedAt} ${run.state}${counts ? `: ${counts.seen} seen, ${counts.added} added, ${counts.updated} updated, ${counts.metadataUpdated ? `${counts.metadataUpdated} updated in place, ` : ''}${counts.unchanged} unchanged, ${counts.deleted} deleted, ${counts.failed} failed` : ''}`);
        if (run.error) console.log(`  error: ${run.error.message} [${run.error.code}]`);
        for (const failure of run.failures) console.log(`  failed ${failure.location}: ${failure.message} [${failure.code}]`);
      }
    });
}
