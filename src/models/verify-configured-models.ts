import path from 'node:path';
import type { DocentConfig } from '../config/schema.js';
import { modelsDirectoryOf } from './model-manifest.js';
import { checkModel, looksLikeModelPath, verifyModels, type ModelCheck } from './model-store.js';

/**
 * Re-hashes one model (a name or a GGUF path), or every recorded model plus `llm.model`
 * when it is a path outside models.json: what an admin running verify expects checked.
 * Failures are results, so one bad model does not hide the others.
 */
export async function verifyConfiguredModels(config: Pick<DocentConfig, 'llm' | 'dataDir' | 'models'>, name?: string): Promise<ModelCheck[]> {
  const directory = modelsDirectoryOf(config);
  if (name !== undefined) return [await checkModel(name, { directory })];
  const checks = await verifyModels({ directory });
  const configured = config.llm.model;
  if (configured !== undefined && looksLikeModelPath(configured) && !checks.some((check) => check.path === path.resolve(configured))) {
    checks.push(await checkModel(configured, { directory }));
  }
  return checks;
}
