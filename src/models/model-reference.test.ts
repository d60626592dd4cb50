import { describe, expect, it } from 'vitest';
import { parseModelReference } from './model-reference.js';

describe('parseModelReference', () => {
  it('turns Hugging Face references into resolve URLs on the configured endpoint', () => {
    expect(parseModelReference('Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf', {})).toEqual({
      url: 'https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q4_k_m.gguf',
      source: 'hf://Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf',
      defaultName: 'qwen2.5-0.5b-instruct-q4_k_m',
      huggingFace: true,
    });
    expect(parseModelReference('hf://owner/repo/sub folder/model.gguf@refs/pr/1', { HF_ENDPOINT: 'https://mirror.example/' })).toMatchObject({
      url: 'https://mirror.example/owner/repo/resolve/refs%2Fpr%2F1/sub%20folder/model.gguf',
      source: 'hf://owner/repo/sub folder/model.gguf@refs/pr/1',
      defaultName: 'model',
    });
  });

  it('takes http(s) URLs as they are, keeping credentials out of what is recorded', () => {
    expect(parseModelReference('https://user:password@models.internal/llm/Tiny%20Model.GGUF?download=1', {})).toEqual({
      url: 'https://user:password@models.internal/llm/Tiny%20Model.GGUF?download=1',
      source: 'https://models.internal/llm/Tiny%20Model.GGUF?download=1',
      defaultName: 'Tiny-Model',
      huggingFace: false,
    });
    expect(parseModelReference('https://mirror.example/owner/repo/resolve/main/m.gguf', { HF_ENDPOINT: 'https://mirror.example' }).huggingFace).toBe(true);
  });

  it('rejects what is neither', () => {
    for (const reference of ['model.gguf', 'owner/model.gguf', 'owner/repo/../x.gguf', 'owner/repo/x.gguf@', 's3://bucket/x.gguf', 'https://host/']) {
      expect(() => parseModelReference(reference, {}), reference).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    }
  });
});
