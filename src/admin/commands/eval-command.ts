import path from 'node:path';
import type { Command } from 'commander';
import { runBeirEvaluation, type BeirEvaluationReport } from '../../retrieval/beir-evaluation.js';
import { createEmbedder } from '../../models/create-embedder.js';
import { describeCalibration } from '../../retrieval/calibrate-fusion.js';
import { formatTable, printJson, progressBar } from '../terminal.js';
import { loadCommandConfig, type GlobalOptions } from './command-config.js';

export function formatEvaluation(reports: BeirEvaluationReport[]): string {
  const rows = reports.flatMap((report) =>
    report.modes.map((mode) => [report.dataset, mode.mode, mode.ndcgAt10.toFixed(3), mode.recallAt10.toFixed(3), mode.recallAt100.toFixed(3)]),
  );
  const notes = reports.map(
    (report) =>
      `${report.dataset}: ${report.documents} documents, ${report.chunks} chunks, ${report.queries} judged queries; hybrid vector weight ${report.calibration ? describeCalibration(report.calibration) : `${report.vectorWeight} (fixed)`}${report.queriesWithoutVectors > 0 ? `, vector side left out for ${report.queriesWithoutVectors} queries in a language the embedder does not read` : ''}; indexing ${report.indexSeconds.toFixed(0)} s`,
  );
  return `${formatTable(['dataset', 'mode', 'nDCG@10', 'recall@10', 'recall@100'], rows)}\n\n${notes.join('\n')}`;
}

export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description('score full-text, vector and hybrid retrieval on a dataset in the BEIR layout')
    .requiredOption('--corpus <file>', 'corpus.jsonl with {"_id", "title", "text"} per line')
    .requiredOption('--queries <file>', 'queries.jsonl with {"_id", "text"} per line')
    .requiredOption('--qrels <file>', 'judgements: a TSV (query-id, corpus-id, score) or a BEIR qrels/ folder')
    .option('--vector-weight <weight>', 'fixed fusion weight instead of calibrating on the corpus', Number.parseFloat)
    .option('--candidates <n>', 'chunks each side retrieves per query', (value) => Number.parseInt(value, 10), 200)
    .option('--json', 'print the result as JSON')
    .action(async (options: { corpus: string; queries: string; qrels: string; vectorWeight?: number; candidates: number; json?: boolean }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const embedder = await createEmbedder(config.embedding);
      const indexing = progressBar('indexing corpus');
      const querying = progressBar('running queries');
      try {
        const evaluationOptions: Parameters<typeof runBeirEvaluation>[0] = {
          corpus: options.corpus,
          queries: options.queries,
          qrels: options.qrels,
          workDirectory: path.join(path.resolve(config.dataDir), 'eval'),
          embedder,
          chunking: config.chunking,
          candidates: options.candidates,
          onIndexProgress: (progress) => indexing.update(progress.processed, progress.seen, `${progress.chunks} chunks`),
          onQueryProgress: (done, total) => {
            indexing.stop();
            querying.update(done, total);
          },
        };
        if (options.vectorWeight !== undefined) evaluationOptions.vectorWeight = options.vectorWeight;
        const report = await runBeirEvaluation(evaluationOptions);
        querying.stop();
        if (options.json) printJson(report);
        else console.log(formatEvaluation([report]));
      } finally {
        indexing.stop();
        querying.stop();
        await embedder.dispose();
      }
    });
}
