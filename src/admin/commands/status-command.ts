import type { Command } from 'commander';
import { formatBytes } from '../../core/format-bytes.js';
import { describeCalibration } from '../../retrieval/calibrate-fusion.js';
import { collectStatus } from '../status-report.js';
import { printJson } from '../terminal.js';
import { loadCommandConfig, type GlobalOptions } from './command-config.js';

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
