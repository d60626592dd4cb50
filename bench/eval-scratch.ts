import { runBeirEvaluation } from '/work/main/src/retrieval/beir-evaluation.js';
import { UseLiteEmbedder } from '/work/main/src/models/use-lite-embedder.js';
const dir = process.argv[2]!; const qrels = process.argv[3]!;
const embedder = new UseLiteEmbedder({ threads: 2, maximumWindows: Number(process.env.WINDOWS ?? 4) });
let last = 0;
const r = await runBeirEvaluation({ corpus: `${dir}/corpus.jsonl`, queries: `${dir}/queries.jsonl`, qrels, workDirectory: process.env.WORK ?? '/tmp/docent-eval', embedder,
  chunking: { maxTokens: Number(process.env.MAXTOK ?? 320), overlapTokens: 48 }, candidates: 200,
  ...(process.env.WEIGHT ? { vectorWeight: Number(process.env.WEIGHT) } : {}),
  onIndexProgress: (p) => { if (Date.now() - last > 10000) { last = Date.now(); console.log('index', JSON.stringify(p)); } } });
console.log(JSON.stringify(r, null, 1));
await embedder.dispose();
