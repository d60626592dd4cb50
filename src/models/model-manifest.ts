import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DocentConfig } from '../config/schema.js';
import { DocentError } from '../core/errors.js';
import { writeFileAtomically } from '../core/write-file-atomically.js';

/** One model in `models.json`: what was fetched, from where, and the checksum to verify it against later. */
export interface ModelRecord {
  /** What `llm.model` names it by. */
  name: string;
  /** Relative to the models directory, so that a copied or bundled directory still verifies. */
  file: string;
  /** The reference or URL it came from, or the path it was bundled from. */
  source: string;
  /** SHA-256 of the file (hex); for a folder, of its `sha256  path` lines. */
  sha256: string;
  bytes: number;
  /** ISO 8601 time it was pulled or bundled. */
  pulledAt: string;
  /** `embedding` for a transformers.js model folder; absent for a GGUF chat model. */
  kind?: 'embedding';
  /** For a folder: each file and its checksum, so verification can name the file that changed. */
  files?: { path: string; sha256: string; bytes: number }[];
}

export interface ModelManifest {
  models: ModelRecord[];
}

export const manifestFileName = 'models.json';

/** `models.directory`, or `<dataDir>/models`; both relative to the working directory like `dataDir` itself. */
export function modelsDirectoryOf(config: Pick<DocentConfig, 'dataDir' | 'models'>): string {
  return path.resolve(config.models.directory ?? path.join(config.dataDir, 'models'));
}

export function manifestPathOf(directory: string): string {
  return path.join(directory, manifestFileName);
}

function isRecord(value: unknown): value is ModelRecord {
  const record = value as Partial<ModelRecord> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record.name === 'string' &&
    typeof record.file === 'string' &&
    typeof record.sha256 === 'string' &&
    typeof record.bytes === 'number' &&
    typeof record.source === 'string' &&
    typeof record.pulledAt === 'string'
  );
}

/** Synchronous so that the runtime can resolve `llm.model` while it builds its configuration. */
export function readManifest(directory: string): ModelManifest {
  const file = manifestPathOf(directory);
  if (!existsSync(file)) return { models: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DocentError('model_integrity', `${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const models = (parsed as { models?: unknown } | null)?.models;
  if (!Array.isArray(models) || !models.every(isRecord)) {
    throw new DocentError('model_integrity', `${file} is not a Docent model manifest (expected {"models": [{"name", "file", "source", "sha256", "bytes", "pulledAt"}]})`);
  }
  for (const record of models) {
    // The manifest may come from an archive; a file outside the directory would let it point anywhere.
    const resolved = path.resolve(directory, record.file);
    if (path.relative(directory, resolved).startsWith('..') || path.isAbsolute(record.file)) {
      throw new DocentError('model_integrity', `${file}: model "${record.name}" points outside the models directory (${record.file})`);
    }
  }
  return { models };
}

export async function writeManifest(directory: string, manifest: ModelManifest): Promise<void> {
  const models = [...manifest.models].sort((a, b) => a.name.localeCompare(b.name));
  await writeFileAtomically(manifestPathOf(directory), `${JSON.stringify({ models }, null, 2)}\n`);
}

export function findRecord(manifest: ModelManifest, name: string): ModelRecord | undefined {
  return manifest.models.find((record) => record.name === name);
}
