import path from 'node:path';
import { calibrateFusion } from '../retrieval/calibrate-fusion.js';
import { folderSourceId, readFolder } from '../pipeline/folder-source.js';
import { indexDocuments, type IndexProgress, type IndexReport } from '../pipeline/index-documents.js';
import type { Runtime } from './runtime.js';

/** Recalibrate fusion when the corpus has changed by this share since the last calibration. */
const recalibrationGrowth = 0.25;

export interface IndexFolderOptions {
  onProgress?: (progress: IndexProgress) => void;
  signal?: AbortSignal;
}

/**
 * Brings the index in step with a folder: indexes new and changed files, deletes removed
 * ones, refreshes the search indexes, recalibrates fusion when the corpus changed enough,
 * and records the run (counts and failures) for `docent status`.
 */
export async function indexFolder(runtime: Runtime, folder: string, options: IndexFolderOptions = {}): Promise<IndexReport> {
  const root = path.resolve(folder);
  const sourceId = folderSourceId(root);
  const items = readFolder(root, {
    maxFileBytes: runtime.config.ingest.maxFileBytes,
    followSymlinks: runtime.config.ingest.followSymlinks,
    excluded: [runtime.dataDirectory],
  });
  const runOptions: Parameters<typeof indexDocuments>[1] = {
    index: runtime.index,
    embedder: runtime.embedder,
    chunking: runtime.config.chunking,
    sourceId,
    concurrency: runtime.config.ingest.concurrency,
    deleteMissing: true,
  };
  if (options.onProgress) runOptions.onProgress = options.onProgress;
  if (options.signal) runOptions.signal = options.signal;
  const report = await indexDocuments(items, runOptions);
  if (report.added + report.updated + report.deleted > 0 || !(await runtime.index.hasSearchIndexes())) {
    await runtime.index.refreshIndexes();
  }
  await recalibrateIfNeeded(runtime);
  await runtime.sources.save({ sourceId, kind: 'folder', location: root, lastRun: report });
  return report;
}

export async function recalibrateIfNeeded(runtime: Runtime): Promise<void> {
  if (runtime.config.retrieval.vectorWeight !== undefined) return;
  const chunks = await runtime.index.countChunks();
  const previous = runtime.index.calibration;
  if (chunks === 0) return;
  if (previous && Math.abs(chunks - previous.chunkCount) <= previous.chunkCount * recalibrationGrowth) return;
  await runtime.index.saveCalibration(await calibrateFusion(runtime.index, runtime.embedder, { candidates: runtime.config.retrieval.candidates }));
}

/** Deletes every document of a source from the index and forgets the source. */
export async function removeSource(runtime: Runtime, sourceId: string): Promise<number> {
  const documents = [...(await runtime.index.documents(sourceId)).keys()];
  await runtime.index.deleteDocuments(documents);
  await runtime.sources.remove(sourceId);
  return documents.length;
}
