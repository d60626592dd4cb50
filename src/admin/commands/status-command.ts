import path from 'node:path';
import type { Command } from 'commander';
import { ChunkIndex, type IndexStatistics } from '../../../indexes/chunk-index.js';
import { readManifest } from '../../../indexes/index-manifest.js';
import { formatBytes } from '../../pipeline/folder-source.js';
import { SourceState, type SourceRecord } from '../../pipeline/source-state.js';
import { describeCalibration } from '../../retrieval/calibrate-fusion.js';
import { indexDirectoryOf } from '../../runtime/runtime.js';
import { printJson } from '../terminal.js';
import { loadCommandConfig, type GlobalOptions } from './command-config.js';

export interface StatusReport {
  dataDirectory: string;
  index: IndexStatistics | null;
  sources: SourceRecord[];
  failures: number;
}

/** Reads the index without loading any model: status must be instant and work while the model is busy elsewhere. */
export async function collectStatus(dataDir: string, indexDirectory: string): Promise<StatusReport> {
  const sources = await new SourceState(dataDir).list();
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
  return { dataDirectory: dataDir, index: statistics, sources, failures: sources.reduce((sum, source) => sum + (source.lastRun?.failed ?? 0), 0) };
}

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('show what is indexed: documents, chunks, failures, model and index size')
    .option('--json', 'print the status as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const status = await collectStatus(path.resolve(config.dataDir), indexDirectoryOf(config));
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
      console.log(`fusion: vector weight ${describeCalibration(index.calibration)}`);
      console.log(`search indexes: ${index.indexes.join(', ') || 'none yet'}`);
      for (const source of status.sources) {
        const run = source.lastRun;
        console.log(`\nsource ${source.location}`);
        if (!run) continue;
        console.log(`  last run ${run.finishedAt}: ${run.seen} seen, ${run.added} added, ${run.updated} updated, ${run.unchanged} unchanged, ${run.deleted} deleted, ${run.failed} failed`);
        for (const failure of run.failures) console.log(`  failed ${failure.location}: ${failure.message} [${failure.code}]`);
      }
    });
}
