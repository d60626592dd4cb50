import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config/load.js';
import { formatEvaluation } from '../src/admin/commands/eval-command.js';
import { createEmbedder } from '../src/models/create-embedder.js';
import { runBeirEvaluation, type BeirEvaluationReport } from '../src/retrieval/beir-evaluation.js';
import { squadToBeir } from './squad-to-beir.js';

/**
 * `npm run eval`: runs the retrieval evaluation on every dataset in the evaluation folder
 * (default ../shared/eval, or the folder given as the first argument) and prints one
 * table. A folder in the BEIR layout (corpus.jsonl, queries.jsonl, qrels/) is used as is;
 * a folder holding one SQuAD-format JSON file (KorQuAD) becomes paragraph retrieval.
 */
interface Dataset {
  name: string;
  corpus: string;
  queries: string;
  qrels: string;
}

async function findDatasets(root: string, scratch: string): Promise<Dataset[]> {
  const datasets: Dataset[] = [];
  for (const name of readdirSync(root).sort()) {
    const folder = path.join(root, name);
    if (!statSync(folder).isDirectory()) continue;
    if (existsSync(path.join(folder, 'corpus.jsonl')) && existsSync(path.join(folder, 'queries.jsonl'))) {
      const qrels = existsSync(path.join(folder, 'qrels')) ? path.join(folder, 'qrels') : path.join(folder, 'qrels.tsv');
      datasets.push({ name, corpus: path.join(folder, 'corpus.jsonl'), queries: path.join(folder, 'queries.jsonl'), qrels });
      continue;
    }
    const squad = readdirSync(folder).filter((file) => file.endsWith('.json'));
    if (squad.length === 1) datasets.push({ name, ...(await squadToBeir(path.join(folder, squad[0]!), path.join(scratch, name))) });
  }
  return datasets;
}

const root = path.resolve(process.argv[2] ?? path.join('..', 'shared', 'eval'));
if (!existsSync(root)) {
  console.error(`no evaluation folder at ${root}; pass one as the first argument`);
  process.exit(2);
}
const config = loadConfig();
const workDirectory = path.join(path.resolve(config.dataDir), 'eval');
const datasets = await findDatasets(root, path.join(workDirectory, 'converted'));
const embedder = await createEmbedder(config.embedding);
const reports: BeirEvaluationReport[] = [];
try {
  for (const dataset of datasets) {
    console.error(`evaluating ${dataset.name}…`);
    const report = await runBeirEvaluation({ ...dataset, workDirectory, embedder, chunking: config.chunking, candidates: 200 });
    reports.push({ ...report, dataset: dataset.name });
  }
} finally {
  await embedder.dispose();
}
console.log(formatEvaluation(reports));
const failures = reports.filter((report) => {
  const score = (mode: string): number => report.modes.find((entry) => entry.mode === mode)!.ndcgAt10;
  return !(score('hybrid') > score('fulltext') && score('hybrid') > score('vector'));
});
if (failures.length > 0) console.log(`\nhybrid does not beat both single modes on: ${failures.map((report) => report.dataset).join(', ')}`);
