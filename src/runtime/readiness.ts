import type { ReadinessReport } from '../chat/web/readiness.js';
import type { ChatModelDescription } from '../core/chat-model.js';
import { describeError } from '../core/errors.js';
import type { Runtime } from './runtime.js';

/** Where the language model stands, as the serving process last saw it. */
export type ModelState =
  | { state: 'none' }
  | { state: 'loading' }
  | { state: 'ready'; description: ChatModelDescription }
  | { state: 'failed'; reason: string };

function answersCheck(model: ModelState): ReadinessReport['checks'][string] {
  switch (model.state) {
    case 'none':
      return { ok: true, detail: 'extractive (no language model configured)' };
    case 'loading':
      return { ok: false, detail: 'language model loading' };
    case 'ready': {
      const { id, device, threads, contextSize } = model.description;
      return { ok: true, detail: `${id} on ${device}${threads ? `, ${threads} threads` : ''}, context ${contextSize} tokens` };
    }
    case 'failed':
      // Still ready: answers quote the documents and say why, which beats no answers at all.
      return { ok: true, detail: `language model unavailable (${model.reason}); answers quote the documents` };
  }
}

/**
 * Ready when the index opens with documents in it, the embedding model answers, and the
 * language model (if one is configured) has loaded or has failed for good.
 */
export function readinessOf(runtime: Runtime, embedderReady: () => boolean, modelState: () => ModelState = () => ({ state: 'none' })): () => Promise<ReadinessReport> {
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
    checks.answers = answersCheck(modelState());
    return { ready: Object.values(checks).every((check) => check.ok), checks };
  };
}
