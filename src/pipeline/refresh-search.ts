import type { ChunkIndex } from '../../indexes/chunk-index.js';
import type { Embedder } from '../core/embedder.js';
import { calibrateFusion } from '../retrieval/calibrate-fusion.js';

/** Recalibrate fusion when the corpus has changed by this share since the last calibration. */
const recalibrationGrowth = 0.25;

/** How retrieval is configured, as far as keeping the index fast and calibrated goes. */
export interface SearchRefreshSettings {
  /** A vector weight the admin fixed (`retrieval.vectorWeight`): no calibration then. */
  fixedVectorWeight?: number;
  /** Candidates per side that calibration queries fetch (`retrieval.candidates`). */
  candidates: number;
}

/** What a run changed, as far as the search indexes care. */
export interface IndexChanges {
  added: number;
  updated: number;
  metadataUpdated?: number;
  deleted: number;
}

/**
 * After a run that changed the index: folds the new rows into the full-text, scalar and
 * vector indexes (or creates them on first use) and recalibrates fusion once the corpus
 * changed enough. Every writer of the index calls this, so the search stays fast whoever wrote.
 */
export async function refreshSearch(index: ChunkIndex, embedder: Embedder, changes: IndexChanges, settings: SearchRefreshSettings): Promise<void> {
  if (changes.added + changes.updated + (changes.metadataUpdated ?? 0) + changes.deleted > 0 || !(await index.hasSearchIndexes())) {
    await index.refreshIndexes();
  }
  await recalibrateIfNeeded(index, embedder, settings);
}

export async function recalibrateIfNeeded(index: ChunkIndex, embedder: Embedder, settings: SearchRefreshSettings): Promise<void> {
  if (settings.fixedVectorWeight !== undefined) return;
  const chunks = await index.countChunks();
  const previous = index.calibration;
  if (chunks === 0) return;
  if (previous && Math.abs(chunks - previous.chunkCount) <= previous.chunkCount * recalibrationGrowth) return;
  await index.saveCalibration(await calibrateFusion(index, embedder, { candidates: settings.candidates }));
}
