import type { ReadinessReport } from '../chat/web/readiness.js';
import { describeError } from '../core/errors.js';
import type { Runtime } from './runtime.js';

/** Ready when the index opens with documents in it and the embedding model answers. */
export function readinessOf(runtime: Runtime, embedderReady: () => boolean): () => Promise<ReadinessReport> {
  return async () => {
    const checks: ReadinessReport['checks'] = {};
    try {
      // Counts only: probes come every few seconds and must not walk the index directory.
      const [documents, chunks] = await Promise.all([runtime.index.countDocuments(), runtime.index.countChunks()]);
      checks.index = { ok: documents > 0, detail: `${documents} documents, ${chunks} chunks` };
    } catch (error) {
      checks.index = { ok: false, detail: describeError(error) };
    }
    checks.embedder = { ok: embedderReady(), detail: embedderReady() ? `${runtime.embedder.modelId} loaded` : `${runtime.embedder.modelId} loading` };
    checks.answers = { ok: true, detail: 'extractive (no language model configured)' };
    return { ready: Object.values(checks).every((check) => check.ok), checks };
  };
}
