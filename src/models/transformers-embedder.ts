/**
 * An Embedder for any ONNX sentence-embedding model in a local folder (for example
 * multilingual-e5 for Korean), run through `@huggingface/transformers` on onnxruntime-node.
 *
 * Nothing is ever downloaded: remote loading is switched off in transformers.js and the
 * model is addressed by its absolute path, so the library reads the folder and nothing
 * else. The folder is what a Hugging Face ONNX export contains:
 *
 *   config.json, tokenizer.json, tokenizer_config.json, and one ONNX file, looked for in
 *   `onnx/` then in the folder itself: model.onnx (fp32) preferred, else model_fp16.onnx,
 *   model_quantized.onnx, model_int8.onnx, model_uint8.onnx, model_q4.onnx,
 *   model_q4f16.onnx or model_bnb4.onnx; external weights (model.onnx_data...) beside it.
 *
 * Contract of `modelId` and `dimensions`. Both depend on the files, so they are known only
 * after `describe()` (reads config.json and hashes the model files; no ONNX session) or
 * `load()` (describe, then the session) has resolved; reading them earlier throws. The
 * index calls `describe()` first to check an existing table before anything is embedded.
 * `embedDocuments`/`embedQuery` load on first use by themselves.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { PreTrainedModel, PreTrainedTokenizer, Tensor } from '@huggingface/transformers';
import type { Embedder } from '../core/embedder.js';
import { DocentError, describeError } from '../core/errors.js';

export interface TransformersEmbedderOptions {
  /** Folder holding the model (config.json, tokenizer files, ONNX file). Relative paths resolve against the working directory. */
  modelPath: string;
  /** Put before every query, for models trained with prefixes (e5: "query: "). */
  queryPrefix?: string;
  /** Put before every passage (e5: "passage: "). */
  documentPrefix?: string;
  /** How token vectors become one vector: the attention-masked mean, or the first ([CLS]) token. Default mean. */
  pooling?: 'mean' | 'cls';
  /** Scale every vector to unit length, so dot product equals cosine similarity. Default true. */
  normalize?: boolean;
  /** Texts per model call. Default 32. */
  batchSize?: number;
  /** onnxruntime intra-op threads. Default: onnxruntime's own choice (one per physical core). */
  threads?: number;
}

/** What the index needs to know about the model before embedding anything. */
export interface TransformersEmbedderDescription {
  modelId: string;
  dimensions: number;
  /** Tokens kept per text, special tokens included; longer texts are truncated. */
  maxTokens: number;
  /** Absolute path of the model folder. */
  modelPath: string;
  /** Absolute path of the ONNX file that will run. */
  onnxPath: string;
}

interface OnnxChoice {
  /** Subfolder as transformers.js expects it: 'onnx' or '' (the folder itself). */
  subfolder: string;
  /** transformers.js dtype whose file-name suffix names this file. */
  dtype: 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4' | 'q4f16' | 'bnb4';
  absolutePath: string;
}

interface Inspection extends TransformersEmbedderDescription {
  config: Record<string, unknown>;
  onnx: OnnxChoice;
}

interface LoadedModel {
  tokenizer: PreTrainedTokenizer;
  model: PreTrainedModel;
  /** Id the tokenizer ends every sequence with ([SEP], </s>), restored after truncation. */
  endTokenId: number | undefined;
}

/** ONNX file names by preference; the suffix is how transformers.js names a dtype's file. */
const onnxCandidates: ReadonlyArray<{ file: string; dtype: OnnxChoice['dtype'] }> = [
  { file: 'model.onnx', dtype: 'fp32' },
  { file: 'model_fp16.onnx', dtype: 'fp16' },
  { file: 'model_quantized.onnx', dtype: 'q8' },
  { file: 'model_int8.onnx', dtype: 'int8' },
  { file: 'model_uint8.onnx', dtype: 'uint8' },
  { file: 'model_q4.onnx', dtype: 'q4' },
  { file: 'model_q4f16.onnx', dtype: 'q4f16' },
  { file: 'model_bnb4.onnx', dtype: 'bnb4' },
];

/** Config keys that hold the width of the last hidden state, by model family. */
const hiddenSizeKeys = ['hidden_size', 'd_model', 'dim', 'n_embd', 'hidden_dim'];

/** Model types whose position ids start after the padding id (RoBERTa style). */
const paddingOffsetPositionTypes = new Set(['roberta', 'xlm-roberta', 'camembert', 'longformer', 'mpnet']);

/** Tokenizer configs often say 1e30 ("no limit"); anything this large is not a real limit. */
const implausibleMaxLength = 1_000_000;

/** Used when neither the tokenizer nor the config states a limit: the BERT-family norm. */
const fallbackMaxTokens = 512;

export class TransformersEmbedder implements Embedder {
  readonly #modelPath: string;
  readonly #queryPrefix: string;
  readonly #documentPrefix: string;
  readonly #pooling: 'mean' | 'cls';
  readonly #normalize: boolean;
  readonly #batchSize: number;
  readonly #threads: number | undefined;

  #description: Inspection | undefined;
  #describing: Promise<Inspection> | undefined;
  #loaded: LoadedModel | undefined;
  #loading: Promise<LoadedModel> | undefined;
  /** Model calls run one after another: concurrent runs would only fight over the same threads. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: TransformersEmbedderOptions) {
    if (!options.modelPath) {
      throw new DocentError('config_invalid', 'embedding.modelPath is required for the transformers embedder');
    }
    const batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new DocentError('config_invalid', `embedding.batchSize must be a positive integer, got ${batchSize}`);
    }
    if (options.threads !== undefined && (!Number.isInteger(options.threads) || options.threads < 1)) {
      throw new DocentError('config_invalid', `embedding.threads must be a positive integer, got ${options.threads}`);
    }
    this.#modelPath = path.resolve(options.modelPath);
    this.#queryPrefix = options.queryPrefix ?? '';
    this.#documentPrefix = options.documentPrefix ?? '';
    this.#pooling = options.pooling ?? 'mean';
    this.#normalize = options.normalize ?? true;
    this.#batchSize = batchSize;
    this.#threads = options.threads;
  }

  /** Available once `describe()` or `load()` has resolved; throws before. */
  get modelId(): string {
    return this.#requireDescription('modelId').modelId;
  }

  /** Available once `describe()` or `load()` has resolved; throws before. */
  get dimensions(): number {
    return this.#requireDescription('dimensions').dimensions;
  }

  /**
   * Checks the folder, reads the vector width from config.json and hashes the model files,
   * without starting onnxruntime. Runs once; concurrent callers share the same work.
   */
  async describe(): Promise<TransformersEmbedderDescription> {
    const { config: _config, onnx: _onnx, ...description } = await this.#inspect();
    return description;
  }

  /** Loads the tokenizer and the ONNX session (once, even under concurrent calls). */
  async load(): Promise<TransformersEmbedderDescription> {
    await this.#ensureLoaded();
    return this.describe();
  }

  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    return this.#embed(texts.map((text) => this.#documentPrefix + text));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [vector] = await this.#embed([this.#queryPrefix + text]);
    if (!vector) throw new DocentError('internal', 'the embedding model returned no vector for the query');
    return vector;
  }

  /**
   * Waits for running model calls, then releases the ONNX session. A later embed call
   * loads the model again; `modelId` and `dimensions` stay readable and are not
   * recomputed (swap model files only with a new instance, which re-hashes them).
   */
  async dispose(): Promise<void> {
    const loading = this.#loading;
    this.#loading = undefined;
    this.#loaded = undefined;
    if (!loading) return;
    await this.#queue.catch(() => undefined);
    let loaded: LoadedModel;
    try {
      loaded = await loading;
    } catch {
      return; // it never loaded: nothing to release
    }
    await loaded.model.dispose();
  }

  #requireDescription(field: string): Inspection {
    if (!this.#description) {
      throw new DocentError(
        'internal',
        `TransformersEmbedder.${field} is known only after describe() or load() has resolved (model at ${this.#modelPath})`,
      );
    }
    return this.#description;
  }

  #unavailable(reason: string, cause?: unknown): DocentError {
    return new DocentError('embedding_model_unavailable', `Embedding model at ${this.#modelPath}: ${reason}`, cause === undefined ? {} : { cause });
  }

  #inspect(): Promise<Inspection> {
    if (this.#description) return Promise.resolve(this.#description);
    if (!this.#describing) {
      this.#describing = this.#readFolder().then(
        (description) => {
          this.#description = description;
          return description;
        },
        (error: unknown) => {
          this.#describing = undefined; // let a later call retry once the folder is fixed
          throw error;
        },
      );
    }
    return this.#describing;
  }

  async #readFolder(): Promise<Inspection> {
    const folder = this.#modelPath;
    const folderStat = await stat(folder).catch(() => undefined);
    if (!folderStat) throw this.#unavailable('the folder does not exist');
    if (!folderStat.isDirectory()) throw this.#unavailable('the path is not a folder');

    // tokenizer_config.json is required too: transformers.js builds no tokenizer without it.
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) {
      if (!(await isFile(path.join(folder, file)))) throw this.#unavailable(`${file} is missing`);
    }
    const config = await this.#readJson('config.json');
    const tokenizerConfig = await this.#readJson('tokenizer_config.json');

    const onnx = await this.#chooseOnnxFile();
    const dimensions = hiddenSizeKeys.map((key) => config[key]).find(isPositiveInteger);
    if (dimensions === undefined) {
      throw this.#unavailable(`config.json states no vector width (none of ${hiddenSizeKeys.join(', ')} is a positive integer)`);
    }

    const externalData = await this.#externalDataFiles(onnx.absolutePath);
    const hashedFiles = [
      path.join(folder, 'config.json'),
      path.join(folder, 'tokenizer.json'),
      path.join(folder, 'tokenizer_config.json'),
      onnx.absolutePath,
      ...externalData,
    ];
    const filesHash = await hashFiles(folder, hashedFiles);

    return {
      modelId: this.#composeModelId(path.basename(folder), filesHash),
      dimensions,
      maxTokens: maxTokensFor(config, tokenizerConfig),
      modelPath: folder,
      onnxPath: onnx.absolutePath,
      config,
      onnx,
    };
  }

  /**
   * Folder name and file hash identify the weights; pooling, normalisation and prefixes
   * change the vectors of the same weights, so they are part of the id too.
   */
  #composeModelId(folderName: string, filesHash: string): string {
    const parts = [`transformers:${folderName}@${filesHash}`, this.#pooling];
    if (!this.#normalize) parts.push('unnormalized');
    if (this.#queryPrefix || this.#documentPrefix) {
      const prefixes = createHash('sha256').update(JSON.stringify([this.#queryPrefix, this.#documentPrefix])).digest('hex');
      parts.push(`prefix-${prefixes.slice(0, 8)}`);
    }
    return parts.join(':');
  }

  async #readJson(file: string): Promise<Record<string, unknown>> {
    const text = await readFile(path.join(this.#modelPath, file), 'utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw this.#unavailable(`${file} is not valid JSON`, error);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw this.#unavailable(`${file} is not a JSON object`);
    return value as Record<string, unknown>;
  }

  async #chooseOnnxFile(): Promise<OnnxChoice> {
    for (const subfolder of ['onnx', '']) {
      for (const candidate of onnxCandidates) {
        const absolutePath = path.join(this.#modelPath, subfolder, candidate.file);
        if (await isFile(absolutePath)) return { subfolder, dtype: candidate.dtype, absolutePath };
      }
    }
    throw this.#unavailable(`no ONNX model file found (looked for ${onnxCandidates.map((candidate) => candidate.file).join(', ')} in onnx/ and the folder itself)`);
  }

  /** Weights stored beside a large graph: model.onnx_data, model.onnx_data_1, ... */
  async #externalDataFiles(onnxPath: string): Promise<string[]> {
    const files: string[] = [];
    if (await isFile(`${onnxPath}_data`)) files.push(`${onnxPath}_data`);
    for (let chunk = 1; await isFile(`${onnxPath}_data_${chunk}`); chunk += 1) files.push(`${onnxPath}_data_${chunk}`);
    return files;
  }

  #ensureLoaded(): Promise<LoadedModel> {
    if (this.#loaded) return Promise.resolve(this.#loaded);
    if (!this.#loading) {
      const loading = this.#loadModel().then(
        (loaded) => {
          if (this.#loading === loading) this.#loaded = loaded;
          return loaded;
        },
        (error: unknown) => {
          if (this.#loading === loading) this.#loading = undefined;
          throw error;
        },
      );
      this.#loading = loading;
    }
    return this.#loading;
  }

  async #loadModel(): Promise<LoadedModel> {
    const description = await this.#inspect();
    const transformers = await import('@huggingface/transformers');
    const { env } = transformers;
    // Local files only. The file caches are off as well: they can only hold downloads, and
    // a stale cached copy would be read before the folder itself.
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.useFSCache = false;
    env.useBrowserCache = false;

    let tokenizer: PreTrainedTokenizer;
    try {
      tokenizer = await transformers.AutoTokenizer.from_pretrained(description.modelPath, { local_files_only: true });
    } catch (error) {
      throw this.#unavailable(`the tokenizer could not be loaded: ${describeError(error)}`, error);
    }

    let model: PreTrainedModel;
    try {
      model = await transformers.AutoModel.from_pretrained(description.modelPath, {
        local_files_only: true,
        // Passing the config we already read skips transformers.js's per-path memo, which
        // would otherwise keep serving an old config.json after the folder changes.
        config: new transformers.PretrainedConfig(description.config),
        subfolder: description.onnx.subfolder,
        dtype: description.onnx.dtype,
        device: 'cpu',
        session_options: this.#threads === undefined ? {} : { intraOpNumThreads: this.#threads, interOpNumThreads: 1 },
      });
    } catch (error) {
      throw this.#unavailable(`${path.relative(description.modelPath, description.onnx.absolutePath)} could not be loaded as an ONNX model: ${describeError(error)}`, error);
    }

    const endTokenId = findEndTokenId(tokenizer);
    const loaded: LoadedModel = { tokenizer, model, endTokenId };
    // One tiny run proves the graph accepts the inputs and returns the promised width, so a
    // broken model fails here with its path rather than in the middle of indexing.
    try {
      const [probe] = await this.#runBatch(loaded, description, ['a']);
      if (probe?.length !== description.dimensions) {
        throw this.#unavailable(`config.json says vectors have ${description.dimensions} dimensions but the model returned ${probe?.length ?? 0}`);
      }
    } catch (error) {
      await model.dispose().catch(() => undefined);
      if (error instanceof DocentError) throw error;
      throw this.#unavailable(`the model failed on a test input: ${describeError(error)}`, error);
    }
    return loaded;
  }

  async #embed(texts: string[]): Promise<Float32Array[]> {
    // Load (or fail) before queueing anything, so a broken model reports its own error.
    await this.#ensureLoaded();
    const description = await this.#inspect();
    // Texts of similar length share a batch, so little compute goes to padding.
    const order = texts.map((_, index) => index).sort((left, right) => (texts[left]?.length ?? 0) - (texts[right]?.length ?? 0));
    const vectors = new Array<Float32Array>(texts.length);
    for (let start = 0; start < order.length; start += this.#batchSize) {
      const indices = order.slice(start, start + this.#batchSize);
      const batch = indices.map((index) => texts[index] ?? '');
      // Each batch asks for the live model: after dispose() it loads again rather than
      // touching a released session.
      const run = this.#queue.then(async () => this.#runBatch(await this.#ensureLoaded(), description, batch));
      this.#queue = run.catch(() => undefined);
      const batchVectors = await run;
      indices.forEach((index, position) => {
        const vector = batchVectors[position];
        if (!vector) throw new DocentError('internal', 'the embedding model returned fewer vectors than texts');
        vectors[index] = vector;
      });
    }
    return vectors;
  }

  async #runBatch(loaded: LoadedModel, description: Inspection, texts: string[]): Promise<Float32Array[]> {
    const inputs = loaded.tokenizer(texts, { padding: true, truncation: true, max_length: description.maxTokens }) as Record<string, Tensor>;
    const inputIds = inputs['input_ids'];
    const attentionMask = inputs['attention_mask'];
    if (!inputIds || !attentionMask) throw new DocentError('internal', 'the tokenizer returned no input_ids or attention_mask');
    const [batch = 0, sequence = 0] = attentionMask.dims;
    const mask = attentionMask.data as BigInt64Array;
    if (loaded.endTokenId !== undefined) restoreEndTokens(inputIds.data as BigInt64Array, mask, batch, sequence, BigInt(loaded.endTokenId));

    const outputs = (await loaded.model(inputs)) as Record<string, Tensor | undefined>;
    const hidden = outputs['last_hidden_state'] ?? outputs['token_embeddings'];
    if (!hidden) {
      throw this.#unavailable(`the model has no last_hidden_state or token_embeddings output (it returned ${Object.keys(outputs).join(', ')})`);
    }
    const [, hiddenSequence, width = 0] = hidden.dims;
    if (hidden.dims.length !== 3 || hiddenSequence !== sequence) {
      throw this.#unavailable(`expected token vectors shaped [batch, ${sequence}, width], got [${hidden.dims.join(', ')}]`);
    }
    const values = hidden.data as Float32Array;
    const vectors: Float32Array[] = [];
    for (let row = 0; row < batch; row += 1) {
      const vector = new Float32Array(width);
      if (this.#pooling === 'cls') {
        vector.set(values.subarray(row * sequence * width, row * sequence * width + width));
      } else {
        let count = 0;
        for (let position = 0; position < sequence; position += 1) {
          if (mask[row * sequence + position] === 0n) continue;
          count += 1;
          const offset = (row * sequence + position) * width;
          for (let dimension = 0; dimension < width; dimension += 1) vector[dimension]! += values[offset + dimension]!;
        }
        if (count > 0) for (let dimension = 0; dimension < width; dimension += 1) vector[dimension]! /= count;
      }
      if (this.#normalize) normalizeInPlace(vector);
      vectors.push(vector);
    }
    return vectors;
  }
}

async function isFile(filePath: string): Promise<boolean> {
  const fileStat = await stat(filePath).catch(() => undefined);
  return fileStat?.isFile() ?? false;
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

/**
 * Tokens the model accepts per text: the tokenizer's `model_max_length` when it states a
 * real one, else what the position embeddings allow (RoBERTa-style models lose
 * `pad_token_id + 1` positions to the padding offset), else 512.
 */
function maxTokensFor(config: Record<string, unknown>, tokenizerConfig: Record<string, unknown>): number {
  const fromTokenizer = tokenizerConfig['model_max_length'];
  const positions = config['max_position_embeddings'];
  let fromConfig: number | undefined;
  if (isPositiveInteger(positions)) {
    const padTokenId = config['pad_token_id'];
    const offset = paddingOffsetPositionTypes.has(String(config['model_type'])) && typeof padTokenId === 'number' ? padTokenId + 1 : 0;
    fromConfig = positions - offset > 0 ? positions - offset : positions;
  }
  if (isPositiveInteger(fromTokenizer) && fromTokenizer < implausibleMaxLength) {
    return fromConfig === undefined ? fromTokenizer : Math.min(fromTokenizer, fromConfig);
  }
  return fromConfig ?? fallbackMaxTokens;
}

/**
 * The token the tokenizer ends each sequence with, if any. transformers.js truncates by
 * cutting the end off, which drops it ([SEP], </s>); Python's tokenizers keep it, and
 * models are trained with it, so it is put back on truncated rows.
 */
function findEndTokenId(tokenizer: PreTrainedTokenizer): number | undefined {
  const encoded = tokenizer('a', { return_tensor: false }) as unknown as { input_ids: number[] };
  const last = encoded.input_ids.at(-1);
  const candidates = [tokenizer.sep_token_id, tokenizer.eos_token_id].filter((id): id is number => typeof id === 'number');
  return last !== undefined && candidates.includes(last) ? last : undefined;
}

/** A row whose last real token is not the end token was truncated: end it properly. */
function restoreEndTokens(inputIds: BigInt64Array, mask: BigInt64Array, batch: number, sequence: number, endTokenId: bigint): void {
  for (let row = 0; row < batch; row += 1) {
    let last = -1;
    for (let position = sequence - 1; position >= 0; position -= 1) {
      if (mask[row * sequence + position] !== 0n) {
        last = position;
        break;
      }
    }
    if (last > 0 && inputIds[row * sequence + last] !== endTokenId) inputIds[row * sequence + last] = endTokenId;
  }
}

function normalizeInPlace(vector: Float32Array): void {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum);
  if (norm === 0) return; // an all-zero vector has no direction; leave it as it is
  for (let index = 0; index < vector.length; index += 1) vector[index]! /= norm;
}

/** Streams each file into one SHA-256 (name and size first), returning 12 hex digits. */
async function hashFiles(folder: string, files: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) {
    const { size } = await stat(file);
    hash.update(`${path.relative(folder, file).split(path.sep).join('/')}\0${size}\0`);
    for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  }
  return hash.digest('hex').slice(0, 12);
}
