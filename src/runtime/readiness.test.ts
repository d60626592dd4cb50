import { describe, expect, it } from 'vitest';
import type { Runtime } from './runtime.js';
import { readinessOf, type ModelState } from './readiness.js';

/** Only what readiness reads of a runtime: counts from the index and the embedder's name. */
function runtimeWith(documents: number): Runtime {
  return { index: { countDocuments: async () => documents, countChunks: async () => documents * 3 }, embedder: { modelId: 'use-lite' } } as unknown as Runtime;
}

describe('readinessOf', () => {
  it('waits for a configured language model to load, and stays ready when it fails for good', async () => {
    let model: ModelState = { state: 'loading' };
    const readiness = readinessOf(runtimeWith(4), () => true, () => model);
    expect(await readiness()).toMatchObject({ ready: false, checks: { answers: { ok: false, detail: 'language model loading' } } });
    model = { state: 'ready', description: { id: 'tiny.gguf', device: 'cpu', threads: 2, contextSize: 4096 } };
    expect(await readiness()).toMatchObject({ ready: true, checks: { answers: { ok: true, detail: 'tiny.gguf on cpu, 2 threads, context 4096 tokens' } } });
    model = { state: 'failed', reason: 'the model file /m.gguf does not exist' };
    const failed = await readiness();
    expect(failed.ready).toBe(true);
    expect(failed.checks.answers!.detail).toContain('answers quote the documents');
  });

  it('is not ready without documents or while the embedder loads', async () => {
    expect((await readinessOf(runtimeWith(0), () => true)()).ready).toBe(false);
    expect((await readinessOf(runtimeWith(3), () => false)()).ready).toBe(false);
    expect((await readinessOf(runtimeWith(3), () => true)()).checks.answers!.detail).toBe('extractive (no language model configured)');
  });
});
