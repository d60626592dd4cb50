import type { ReadinessReport } from '../chat/web/readiness.js';
import { describeError } from '../core/errors.js';
import type { Runtime } from './runtime.js';

/** Ready when the index opens with documents in it and the embedding model answers. */
export function readinessOf(runtime: Runtime, embedderReady: () => boolean): () => Promise<ReadinessReport> {
  return async () => {
    const checks: ReadinessReport['checks'] = {};
    try {
      const statistics = await runtime.index.statistics();
      checks.index = { ok: statistics.documents > 0, detail: `${statistics.documents} documents, ${statistics.chunks} chunks` };
    } catch (error) {
      checks.index = { ok: false, detail: describeError(error) };
    }
    checks.embedder = { ok: embedderReady(), detail: embedderReady() ? `${runtime.embedder.modelId} loaded` : `${runtime.embedder.modelId} loading` };
    checks.answers = { ok: true, detail: 'extractive (no language model configured)' };
    return { ready: Object.values(checks).every((check) => check.ok), checks };
  };
}
