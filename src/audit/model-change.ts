import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DocentConfig } from '../config/schema.js';
import { writeFileAtomically } from '../core/write-file-atomically.js';
import { recordAdminAction, type AdminActor } from './admin-action.js';
import type { AuditLog } from './audit-log.js';
import type { AuditRecord } from './audit-record.js';

/** The models answers are made with: what compliance must be able to date a change of. */
export interface ModelsInUse {
  /** The embedding model's id and dimensions, as the index records them. */
  embedding: string;
  /** The language model (a GGUF name or path, or endpoint and model name), or `extractive` without one. */
  language: string;
}

export function modelsInUse(config: Pick<DocentConfig, 'llm'>, embedder: { modelId: string; dimensions: number }): ModelsInUse {
  const { llm } = config;
  const language = llm.model ? `local ${llm.model}` : llm.endpoint ? `endpoint ${llm.endpoint} model ${llm.endpointModel}` : 'extractive';
  return { embedding: `${embedder.modelId} (${embedder.dimensions} dimensions)`, language };
}

/** Where the models last recorded are kept, so that a start records only a change. */
export function modelsInUseFile(dataDirectory: string): string {
  return path.join(dataDirectory, 'state', 'models-in-use.json');
}

async function readRecorded(file: string): Promise<ModelsInUse | undefined> {
  try {
    const recorded = JSON.parse(await readFile(file, 'utf8')) as Partial<ModelsInUse>;
    return typeof recorded.embedding === 'string' && typeof recorded.language === 'string' ? { embedding: recorded.embedding, language: recorded.language } : undefined;
  } catch (error) {
    // Missing or damaged: record the models again rather than miss a change.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/**
 * Records a `model.change` admin action when the models differ from the last ones recorded
 * (the first start records the models it starts with). The record is written before the
 * marker file, so a crash in between records the change twice, never not at all.
 */
export async function recordModelChange(log: AuditLog, models: ModelsInUse, stateFile: string, actor: AdminActor): Promise<AuditRecord | undefined> {
  const previous = await readRecorded(stateFile);
  if (previous && previous.embedding === models.embedding && previous.language === models.language) return undefined;
  const record = await recordAdminAction(log, { actor, action: 'model.change', target: 'models', details: { from: previous ?? null, to: models } });
  await writeFileAtomically(stateFile, `${JSON.stringify(models, null, 2)}\n`);
  return record;
}
