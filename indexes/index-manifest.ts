import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DocentError } from '../src/core/errors.js';
import { writeFileAtomically } from '../src/core/write-file-atomically.js';

/** What an index was built with, so that a later run never mixes incompatible vectors. */
export interface IndexManifest {
  schemaVersion: number;
  embedding: { modelId: string; dimensions: number };
  createdAt: string;
  /** Fusion weight learned from the corpus itself (see retrieval/calibrate-fusion.ts). */
  calibration?: FusionCalibration;
}

export interface FusionCalibration {
  vectorWeight: number;
  /** How many synthetic queries the weight was chosen on, and their mean reciprocal rank by weight. */
  queries: number;
  scores: Record<string, number>;
  /** Chunk count when calibrated; a corpus that grew a lot is recalibrated. */
  chunkCount: number;
  calibratedAt: string;
}

const fileName = 'manifest.json';

export async function readManifest(directory: string): Promise<IndexManifest | undefined> {
  try {
    return JSON.parse(await readFile(path.join(directory, fileName), 'utf8')) as IndexManifest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DocentError('index_unavailable', `cannot read ${path.join(directory, fileName)}: ${(error as Error).message}`);
  }
}

/** Written atomically, so a crash never leaves half a manifest. */
export async function writeManifest(directory: string, manifest: IndexManifest): Promise<void> {
  await writeFileAtomically(path.join(directory, fileName), `${JSON.stringify(manifest, null, 2)}\n`);
}
