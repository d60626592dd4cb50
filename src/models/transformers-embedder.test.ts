/**
 * Runs the real transformers.js + onnxruntime-node path on a tiny BERT-shaped model that
 * the test writes itself (test/fixtures/tiny-onnx-model.ts): nothing is downloaded and no
 * weights are committed. Every network entry point fails the suite if it is used.
 */
import { cp, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as transformers from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeTinyOnnxModel, type TinyOnnxModel } from '../../test/fixtures/tiny-onnx-model.js';
import { DocentError } from '../core/errors.js';
import { TransformersEmbedder } from './transformers-embedder.js';

const networkAttempts: string[] = [];
const originalFetch = globalThis.fetch;
const originalEnvironmentFetch = transformers.env.fetch;
const originalConnect = net.Socket.prototype.connect;

let workDirectory: string;
let model: TinyOnnxModel;
const embedders: TransformersEmbedder[] = [];

/** Every embedder made here is disposed at the end, even when a test fails. */
function makeEmbedder(options: Partial<ConstructorParameters<typeof TransformersEmbedder>[0]> = {}): TransformersEmbedder {
  const embedder = new TransformersEmbedder({ modelPath: model.modelPath, threads: 1, ...options });
  embedders.push(embedder);
  return embedder;
}

function norm(vector: Float32Array): number {
  return Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
}

function cosine(left: Float32Array, right: Float32Array): number {
  let dot = 0;
  for (let index = 0; index < left.length; index += 1) dot += left[index]! * right[index]!;
  return dot / (norm(left) * norm(right));
}

function expectClose(actual: Float32Array, expected: Float32Array, tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let index = 0; index < actual.length; index += 1) expect(Math.abs(actual[index]! - expected[index]!)).toBeLessThan(tolerance);
}

async function expectUnavailable(promise: Promise<unknown>, pathFragment: string, reason: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DocentError);
  expect((error as DocentError).code).toBe('embedding_model_unavailable');
  expect((error as DocentError).message).toContain(pathFragment);
  expect((error as DocentError).message).toMatch(reason);
}

beforeAll(async () => {
  // transformers.js copies globalThis.fetch into env.fetch when it is first imported, so
  // both are replaced; sockets catch anything else (undici, http, https all connect here).
  const refuse = (target: unknown): never => {
    networkAttempts.push(String(target));
    throw new Error(`network access attempted during an offline test: ${String(target)}`);
  };
  globalThis.fetch = ((input: unknown) => refuse(input)) as typeof fetch;
  transformers.env.fetch = (input: string | URL) => refuse(input);
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const first = args[0];
    // Local IPC (a path) is how test runners talk to their workers; only TCP is refused.
    // (http passes `path: null` with a host, so only a string path counts as local.)
    const localPath = typeof first === 'string' && !/^\d+$/.test(first) ? first : (first as { path?: unknown } | null)?.path;
    if (typeof localPath === 'string' && localPath.length > 0) return originalConnect.apply(this, args as never);
    return refuse(typeof first === 'object' ? JSON.stringify(first) : first);
  } as typeof net.Socket.prototype.connect;

  workDirectory = await mkdtemp(path.join(os.tmpdir(), 'docent-transformers-embedder-'));
  model = await writeTinyOnnxModel(path.join(workDirectory, 'tiny-bert'), { hiddenSize: 16, maxLength: 32, seed: 1 });
});

afterAll(async () => {
  await Promise.all(embedders.map((embedder) => embedder.dispose()));
  globalThis.fetch = originalFetch;
  transformers.env.fetch = originalEnvironmentFetch;
  net.Socket.prototype.connect = originalConnect;
  if (workDirectory) await rm(workDirectory, { recursive: true, force: true });
  expect(networkAttempts).toEqual([]);
});

describe('TransformersEmbedder on a generated tiny ONNX model', () => {
  it('describes the model from its files before loading it', async () => {
    const embedder = makeEmbedder();
    expect(() => embedder.dimensions).toThrow(/describe\(\) or load\(\)/);
    expect(() => embedder.modelId).toThrow(DocentError);

    const description = await embedder.describe();
    expect(description.dimensions).toBe(16);
    expect(description.maxTokens).toBe(32);
    expect(description.modelPath).toBe(model.modelPath);
    expect(description.onnxPath).toBe(model.onnxPath);
    expect(description.modelId).toMatch(/^transformers:tiny-bert@[0-9a-f]{12}:mean$/);
    expect(embedder.dimensions).toBe(16);
    expect(embedder.modelId).toBe(description.modelId);
  });

  it('loads offline once under concurrent first calls, with the thread count as a session option', async () => {
    const loadModel = vi.spyOn(transformers.AutoModel, 'from_pretrained');
    try {
      const embedder = makeEmbedder({ threads: 1 });
      const results = await Promise.all([
        embedder.embedQuery('hello world'),
        embedder.embedDocuments(['the quick brown fox', 'a lazy dog']),
        embedder.load(),
        embedder.embedQuery('vacation policy'),
      ]);
      expect(loadModel).toHaveBeenCalledTimes(1);
      const [modelPath, options] = loadModel.mock.calls[0]!;
      expect(modelPath).toBe(model.modelPath);
      expect(options?.local_files_only).toBe(true);
      expect(options?.session_options).toMatchObject({ intraOpNumThreads: 1 });
      expect(transformers.env.allowRemoteModels).toBe(false);
      expect(transformers.env.allowLocalModels).toBe(true);
      expect((results[0] as Float32Array).length).toBe(16);
    } finally {
      loadModel.mockRestore();
    }
  });

  it('returns unit vectors of the hidden size, stable per text and different across texts', async () => {
    const embedder = makeEmbedder();
    const first = await embedder.embedQuery('where is the vacation policy');
    const again = await embedder.embedQuery('where is the vacation policy');
    const other = await embedder.embedQuery('database backup server');
    expect(first).toBeInstanceOf(Float32Array);
    expect(first.length).toBe(model.hiddenSize);
    expect(embedder.dimensions).toBe(model.hiddenSize);
    expect(norm(first)).toBeCloseTo(1, 5);
    expect(norm(other)).toBeCloseTo(1, 5);
    expect(Array.from(again)).toEqual(Array.from(first));
    expect(cosine(first, other)).toBeLessThan(0.99);
    // Words outside the vocabulary split into letter pieces instead of one shared [UNK].
    const unknownA = await embedder.embedQuery('zyxwv');
    const unknownB = await embedder.embedQuery('qpqpq');
    expect(cosine(unknownA, unknownB)).toBeLessThan(0.99);
  });

  it('gives the same vectors in batches as one text at a time, in input order', async () => {
    const texts = [
      'hello',
      'the quick brown fox jumps over the lazy dog',
      'security password policy for new employees',
      '',
      'invoice 2024 approved',
      'where can i find the onboarding handbook and the benefits',
      'hello',
    ];
    const batched = await makeEmbedder({ batchSize: 3 }).embedDocuments(texts);
    const single = makeEmbedder({ batchSize: 1 });
    expect(batched).toHaveLength(texts.length);
    for (const [index, text] of texts.entries()) {
      const [alone] = await single.embedDocuments([text]);
      expectClose(batched[index]!, alone!);
    }
    expect(Array.from(batched[0]!)).toEqual(Array.from(batched[6]!));
    expect(await single.embedDocuments([])).toEqual([]);
  });

  it('puts the query and document prefixes before the text', async () => {
    const plain = makeEmbedder();
    const prefixed = makeEmbedder({ queryPrefix: 'query: ', documentPrefix: 'passage: ' });
    const query = await prefixed.embedQuery('vacation policy');
    const [passage] = await prefixed.embedDocuments(['vacation policy']);
    expectClose(query, (await plain.embedDocuments(['query: vacation policy']))[0]!);
    expectClose(passage!, await plain.embedQuery('passage: vacation policy'));
    expect(cosine(query, await plain.embedQuery('vacation policy'))).toBeLessThan(0.999);
    expect(prefixed.modelId).toMatch(/:prefix-[0-9a-f]{8}$/);
    expect(prefixed.modelId).not.toBe(plain.modelId);
  });

  it('truncates long texts to the model length instead of failing', async () => {
    const embedder = makeEmbedder();
    const shared = Array.from({ length: 60 }, (_, index) => ['security', 'policy', 'server', 'backup'][index % 4]).join(' ');
    const [left, right] = await embedder.embedDocuments([`${shared} apple banana`, `${shared} water fire earth`]);
    expect(left!.length).toBe(16);
    // Everything after the first 32 tokens is cut, so the different endings do not count.
    expectClose(left!, right!);
    expect(cosine(left!, await embedder.embedQuery('apple banana'))).toBeLessThan(0.99);
    // Truncation keeps the closing [SEP] the model was trained with, as Python tokenizers do:
    // 50 words cut to 32 tokens equal 30 words plus [CLS] and [SEP].
    const words = (count: number): string => Array.from({ length: count }, () => 'security').join(' ');
    expectClose(await embedder.embedQuery(words(50)), await embedder.embedQuery(words(30)));
  });

  it('supports CLS pooling and unnormalised vectors, each with its own model id', async () => {
    const mean = makeEmbedder();
    const cls = makeEmbedder({ pooling: 'cls' });
    const raw = makeEmbedder({ normalize: false });
    const text = 'project budget report';
    const clsVector = await cls.embedQuery(text);
    expect(norm(clsVector)).toBeCloseTo(1, 5);
    expect(cosine(clsVector, await mean.embedQuery(text))).toBeLessThan(0.999);
    expect(cosine(clsVector, await cls.embedQuery('customer contract'))).toBeLessThan(0.99);
    const rawVector = await raw.embedQuery(text);
    expect(cosine(rawVector, await mean.embedQuery(text))).toBeCloseTo(1, 5);
    expect(Math.abs(norm(rawVector) - 1)).toBeGreaterThan(1e-3);
    expect(cls.modelId).toMatch(/:cls$/);
    expect(raw.modelId).toMatch(/:mean:unnormalized$/);
  });

  it('changes the model id when a model file changes, and only then', async () => {
    const folder = path.join(workDirectory, 'changing', 'tiny-bert');
    await writeTinyOnnxModel(folder, { seed: 1 });
    const original = await makeEmbedder({ modelPath: folder }).describe();
    expect(original.modelId).toBe(await makeEmbedder().describe().then((description) => description.modelId));

    await writeTinyOnnxModel(folder, { seed: 2 });
    const retrained = makeEmbedder({ modelPath: folder });
    const changed = await retrained.describe();
    expect(changed.modelId).toMatch(/^transformers:tiny-bert@[0-9a-f]{12}:mean$/);
    expect(changed.modelId).not.toBe(original.modelId);
    // The new weights are what runs, too.
    const before = await makeEmbedder().embedQuery('hello world');
    expect(cosine(await retrained.embedQuery('hello world'), before)).toBeLessThan(0.99);
  });

  it('finds an ONNX file in the model folder itself when there is no onnx/ subfolder', async () => {
    const folder = path.join(workDirectory, 'flat-model');
    await cp(model.modelPath, folder, { recursive: true });
    await rename(path.join(folder, 'onnx', 'model.onnx'), path.join(folder, 'model.onnx'));
    await rm(path.join(folder, 'onnx'), { recursive: true });
    const flat = makeEmbedder({ modelPath: folder });
    expect((await flat.load()).onnxPath).toBe(path.join(folder, 'model.onnx'));
    expectClose(await flat.embedQuery('hello world'), await makeEmbedder().embedQuery('hello world'));
  });

  it('explains a missing or incomplete model folder with its path', async () => {
    const missing = path.join(workDirectory, 'no-such-model');
    await expectUnavailable(makeEmbedder({ modelPath: missing }).embedQuery('hello'), missing, /does not exist/);
    await expectUnavailable(makeEmbedder({ modelPath: missing }).describe(), missing, /does not exist/);

    for (const [file, reason] of [
      ['config.json', /config\.json is missing/],
      ['tokenizer.json', /tokenizer\.json is missing/],
      ['onnx/model.onnx', /no ONNX model file/],
    ] as const) {
      const folder = path.join(workDirectory, `without-${path.basename(file)}`);
      await cp(model.modelPath, folder, { recursive: true });
      await rm(path.join(folder, file));
      await expectUnavailable(makeEmbedder({ modelPath: folder }).embedDocuments(['hello']), folder, reason);
    }
  });

  it('explains an ONNX file that is not a valid model, and can load once it is fixed', async () => {
    const folder = path.join(workDirectory, 'corrupt-model');
    await cp(model.modelPath, folder, { recursive: true });
    const onnxPath = path.join(folder, 'onnx', 'model.onnx');
    await writeFile(onnxPath, Buffer.from('this is not an onnx protobuf, just some text pretending to be one'));
    const embedder = makeEmbedder({ modelPath: folder });
    await expectUnavailable(embedder.embedQuery('hello'), folder, /onnx[/\\]model\.onnx could not be loaded as an ONNX model/);
    await expectUnavailable(embedder.load(), folder, /could not be loaded/);

    await cp(model.onnxPath, onnxPath);
    expect((await embedder.embedQuery('hello')).length).toBe(16);
  });

  it('releases the session on dispose and loads again when used afterwards', async () => {
    const embedder = makeEmbedder();
    await embedder.dispose(); // never loaded: nothing to do
    const before = await embedder.embedQuery('release notes');
    await embedder.dispose();
    await embedder.dispose();
    expect(embedder.dimensions).toBe(16);
    expect(Array.from(await embedder.embedQuery('release notes'))).toEqual(Array.from(before));
    await embedder.dispose();
  });

  it('rejects invalid options when constructed', () => {
    expect(() => new TransformersEmbedder({ modelPath: '' })).toThrow(DocentError);
    expect(() => new TransformersEmbedder({ modelPath: 'x', batchSize: 0 })).toThrow(/batchSize/);
    expect(() => new TransformersEmbedder({ modelPath: 'x', threads: 1.5 })).toThrow(/threads/);
  });
});
