import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { everyone } from '../core/access.js';
import type { ParsedDocument, SourceDocument } from '../core/document.js';
import type { Embedder } from '../core/embedder.js';
import { ChunkIndex } from '../../indexes/chunk-index.js';
import type { FusionCalibration } from '../../indexes/index-manifest.js';
import type { ChunkingOptions } from '../pipeline/chunk.js';
import { indexDocuments, type IndexProgress } from '../pipeline/index-documents.js';
import type { SourceItem } from '../pipeline/source-item.js';
import { readBeirCorpus, readBeirQrels, readBeirQueries } from './beir-dataset.js';
import { calibrateFusion } from './calibrate-fusion.js';
import { evaluateRetrieval, type ModeScores } from './evaluate-retrieval.js';

export interface BeirEvaluationOptions {
  corpus: string;
  queries: string;
  qrels: string;
  /** Where evaluation indexes are kept between runs (one per corpus and model). */
  workDirectory: string;
  embedder: Embedder;
  chunking: ChunkingOptions;
  candidates: number;
  /** A fixed fusion weight instead of calibrating on the corpus. */
  vectorWeight?: number;
  onIndexProgress?: (progress: IndexProgress) => void;
  onQueryProgress?: (done: number, total: number) => void;
}

export interface BeirEvaluationReport {
  dataset: string;
  documents: number;
  chunks: number;
  queries: number;
  /** Queries in a language the embedder cannot read: hybrid used full text alone for them. */
  queriesWithoutVectors: number;
  indexSeconds: number;
  vectorWeight: number;
  calibration?: FusionCalibration;
  modes: ModeScores[];
}

const documentIdPrefix = 'beir:';

/** Corpus records become documents whose parse step is known: title as heading, text as paragraphs. */
async function* corpusItems(file: string, parsed: Map<string, ParsedDocument>): AsyncGenerator<SourceItem> {
  const encoder = new TextEncoder();
  for await (const record of readBeirCorpus(file)) {
    const document: SourceDocument = {
      id: `${documentIdPrefix}${record.id}`,
      sourceId: 'beir',
      uri: `${file}#${record.id}`,
      name: record.id,
      content: encoder.encode(`${record.title}\n${record.text}`),
      access: [everyone],
    };
    const blocks: ParsedDocument['blocks'] = [];
    if (record.title.trim()) blocks.push({ kind: 'heading', level: 1, text: record.title.trim() });
    for (const paragraph of record.text.split(/\n\s*\n/)) if (paragraph.trim()) blocks.push({ kind: 'paragraph', text: paragraph.replace(/\s+/g, ' ').trim() });
    parsed.set(record.id, { title: record.title.trim(), blocks });
    yield { document };
  }
}

/**
 * Indexes a BEIR-layout dataset with the real pipeline (chunking, embedding, LanceDB) and
 * scores full-text, vector and hybrid retrieval on its labelled queries. The index is kept
 * in `workDirectory`, so a second run re-embeds nothing; the fusion weight is calibrated
 * on the corpus alone, never on the judgements, exactly as a production index does it.
 */
export async function runBeirEvaluation(options: BeirEvaluationOptions): Promise<BeirEvaluationReport> {
  const corpusStatus = statSync(options.corpus);
  const key = createHash('sha256')
    .update(`${path.resolve(options.corpus)}:${corpusStatus.size}:${options.embedder.modelId}:${options.chunking.maxTokens}:${options.chunking.overlapTokens}`)
    .digest('hex')
    .slice(0, 12);
  const dataset = path.basename(path.dirname(path.resolve(options.corpus)));
  const index = await ChunkIndex.open(path.join(options.workDirectory, `${dataset}-${key}`), options.embedder, { create: true });
  try {
    const parsed = new Map<string, ParsedDocument>();
    const started = performance.now();
    const runOptions: Parameters<typeof indexDocuments>[1] = {
      index,
      embedder: options.embedder,
      chunking: options.chunking,
      sourceId: 'beir',
      concurrency: 8,
      deleteMissing: true,
      embeddingBatchChunks: 256,
      parse: async ({ name }) => parsed.get(name)!,
    };
    if (options.onIndexProgress) runOptions.onProgress = options.onIndexProgress;
    const report = await indexDocuments(corpusItems(options.corpus, parsed), runOptions);
    if (report.added + report.updated + report.deleted > 0) await index.refreshIndexes();
    const indexSeconds = (performance.now() - started) / 1000;

    let calibration = index.calibration;
    if (options.vectorWeight === undefined && (!calibration || report.added + report.updated + report.deleted > 0)) {
      calibration = await calibrateFusion(index, options.embedder, { candidates: options.candidates });
      await index.saveCalibration(calibration);
    }
    const vectorWeight = options.vectorWeight ?? calibration!.vectorWeight;
    const evaluationOptions: Parameters<typeof evaluateRetrieval>[0] = {
      index,
      embedder: options.embedder,
      queries: await readBeirQueries(options.queries),
      qrels: await readBeirQrels(options.qrels),
      vectorWeight,
      candidates: options.candidates,
      documentIdPrefix,
    };
    if (options.onQueryProgress) evaluationOptions.onProgress = options.onQueryProgress;
    const { queries, queriesWithoutVectors, modes } = await evaluateRetrieval(evaluationOptions);
    const statistics = await index.statistics();
    const result: BeirEvaluationReport = { dataset, documents: statistics.documents, chunks: statistics.chunks, queries, queriesWithoutVectors, indexSeconds, vectorWeight, modes };
    if (calibration && options.vectorWeight === undefined) result.calibration = calibration;
    return result;
  } finally {
    index.close();
  }
}
