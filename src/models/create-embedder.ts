import type { EmbeddingConfig } from '../config/schema.js';
import type { Embedder } from '../core/embedder.js';
import { DocentError } from '../core/errors.js';
import { UseLiteEmbedder } from './use-lite-embedder.js';

/**
 * Builds the configured embedder with its identity (model id, dimensions) known, so the
 * index can refuse a mismatched model before anything is embedded. The model weights
 * themselves load lazily on first use.
 */
export async function createEmbedder(config: EmbeddingConfig): Promise<Embedder> {
  if (config.provider === 'use-lite') {
    const options: ConstructorParameters<typeof UseLiteEmbedder>[0] = { batchSize: Math.min(config.batchSize, 16), maximumWindows: config.maximumWindows };
    if (config.threads !== undefined) options.threads = config.threads;
    return new UseLiteEmbedder(options);
  }
  if (!config.modelPath) {
    throw new DocentError('config_invalid', 'embedding.modelPath (DOCENT_EMBEDDING_MODEL_PATH) must name a local folder holding an ONNX model when embedding.provider is "transformers"');
  }
  // Imported only when chosen: transformers.js pulls in onnxruntime and sharp.
  const { TransformersEmbedder } = await import('./transformers-embedder.js');
  const embedder = new TransformersEmbedder({
    modelPath: config.modelPath,
    queryPrefix: config.queryPrefix,
    documentPrefix: config.documentPrefix,
    pooling: config.pooling,
    batchSize: config.batchSize,
    ...(config.threads === undefined ? {} : { threads: config.threads }),
  });
  await embedder.describe();
  return embedder;
}
