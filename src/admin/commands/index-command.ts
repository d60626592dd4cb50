import type { Command } from 'commander';
import { ChunkIndex } from '../../../indexes/chunk-index.js';
import { formatBytes } from '../../pipeline/folder-source.js';
import type { IndexReport } from '../../pipeline/index-documents.js';
import { indexFolder } from '../../runtime/index-folder.js';
import { indexDirectoryOf, openRuntime } from '../../runtime/runtime.js';
import { printJson, progressBar } from '../terminal.js';
import { loadCommandConfig, type GlobalOptions } from './command-config.js';

export function describeReport(report: IndexReport): string {
  const lines = [
    `${report.seen} documents: ${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged, ${report.deleted} deleted, ${report.failed} skipped (${report.chunks} chunks written)`,
  ];
  for (const failure of report.failures) {
    lines.push(`  skipped ${failure.location}: ${failure.message} [${failure.code}]${failure.keptPreviousVersion ? ' (the previously indexed version is kept)' : ''}`);
  }
  if (report.interrupted) lines.push('  interrupted: run again to finish; nothing was deleted');
  return lines.join('\n');
}

export function registerIndexCommand(program: Command): void {
  program
    .command('index')
    .description('index a folder of documents (new and changed files are indexed, removed ones deleted)')
    .argument('<folder>', 'folder to index')
    .option('--rebuild', 'delete the index and rebuild it from every known folder (needed after changing the embedding model)')
    .option('--json', 'print the report as JSON')
    .action(async (folder: string, options: { rebuild?: boolean; json?: boolean }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const folders = [folder];
      if (options.rebuild) {
        const { SourceState } = await import('../../pipeline/source-state.js');
        const { resolve } = await import('node:path');
        const known = (await new SourceState(resolve(config.dataDir)).list()).map((source) => source.location);
        folders.push(...known.filter((location) => resolve(location) !== resolve(folder)));
        await ChunkIndex.destroy(indexDirectoryOf(config));
      }
      const runtime = await openRuntime(config, { create: true });
      const controller = new AbortController();
      const interrupt = (): void => controller.abort();
      process.once('SIGINT', interrupt);
      try {
        const reports: IndexReport[] = [];
        for (const target of folders) {
          const bar = progressBar(`indexing ${target}`);
          try {
            reports.push(await indexFolder(runtime, target, { signal: controller.signal, onProgress: (progress) => bar.update(progress.processed, Math.max(progress.seen, progress.processed), `${progress.chunks} chunks, ${progress.failed} skipped`) }));
          } finally {
            bar.stop();
          }
        }
        const statistics = await runtime.index.statistics();
        if (options.json) printJson(options.rebuild ? { reports, index: statistics } : { ...reports[0], index: statistics });
        else {
          for (const report of reports) console.log(describeReport(report));
          console.log(`index: ${statistics.documents} documents, ${statistics.chunks} chunks, ${formatBytes(statistics.bytesOnDisk)} in ${runtime.indexDirectory}`);
        }
      } finally {
        process.off('SIGINT', interrupt);
        await runtime.dispose();
      }
    });
}
