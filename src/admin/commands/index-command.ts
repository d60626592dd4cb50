import type { Command } from 'commander';
import { ChunkIndex } from '../../../indexes/chunk-index.js';
import { folderSourceId } from '../../../connectors/file-share/index.js';
import { describeError } from '../../core/errors.js';
import { formatBytes } from '../../core/format-bytes.js';
import { ConnectorStore } from '../../pipeline/connector-store.js';
import type { IndexReport } from '../../pipeline/index-documents.js';
import { runConnector } from '../../pipeline/run-connector.js';
import { connectorDependencies } from '../../runtime/connector-dependencies.js';
import { indexFolder } from '../../runtime/index-folder.js';
import { indexDirectoryOf, openRuntime } from '../../runtime/runtime.js';
import { printJson, progressBar } from '../terminal.js';
import { loadCommandConfig, type GlobalOptions } from './command-config.js';

export function describeReport(report: IndexReport): string {
  const lines = [
    `${report.seen} documents: ${report.added} added, ${report.updated} updated, ${report.metadataUpdated ? `${report.metadataUpdated} updated in place (readers, location or date), ` : ''}${report.unchanged} unchanged, ${report.deleted} deleted, ${report.failed} skipped (${report.chunks} chunks written)`,
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
    .option('--rebuild', 'delete the index and rebuild it from this folder and every connector that is not paused (needed after changing the embedding model)')
    .option('--json', 'print the report as JSON')
    .action(async (folder: string, options: { rebuild?: boolean; json?: boolean }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      if (options.rebuild) {
        await ChunkIndex.destroy(indexDirectoryOf(config));
        // The checkpoints describe an index that is gone: every connector loads everything again.
        await ConnectorStore.in(config.dataDir).clearCheckpoints();
      }
      const runtime = await openRuntime(config, { create: true });
      const controller = new AbortController();
      const interrupt = (): void => controller.abort();
      process.once('SIGINT', interrupt);
      try {
        const reports: IndexReport[] = [];
        const bar = progressBar(`indexing ${folder}`);
        const onProgress = (progress: { processed: number; seen: number; chunks: number; failed: number }): void => bar.update(progress.processed, Math.max(progress.seen, progress.processed), `${progress.chunks} chunks, ${progress.failed} skipped`);
        try {
          reports.push(await indexFolder(runtime, folder, { signal: controller.signal, onProgress }));
        } finally {
          bar.stop();
        }
        if (options.rebuild) {
          const others = (await runtime.connectors.list()).filter((connector) => connector.sourceId !== folderSourceId(folder));
          for (const connector of others) {
            if (connector.paused) {
              console.error(`not rebuilt: connector ${connector.name} is paused (run \`docent connectors run ${connector.name}\`)`);
              continue;
            }
            const connectorBar = progressBar(`indexing ${connector.name}`);
            try {
              reports.push((await runConnector(connector.name, connectorDependencies(runtime), { trigger: 'manual', signal: controller.signal, onProgress: (progress) => connectorBar.update(progress.processed, Math.max(progress.seen, progress.processed), `${progress.chunks} chunks`) })).report);
            } catch (error) {
              console.error(`connector ${connector.name} failed: ${describeError(error)}`);
              process.exitCode = 1;
            } finally {
              connectorBar.stop();
            }
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
