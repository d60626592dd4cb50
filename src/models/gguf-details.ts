import { DocentError } from '../core/errors.js';

/**
 * Checks on GGUF data that `gguf-file.ts` (which checks a file before loading it) does not
 * cover: the first bytes of a download, so that an HTML error page is refused at once rather
 * than after gigabytes, and the header details shown by `docent models list` and `verify`.
 */

/** What the file says about itself, shown by `docent models list` and `verify`. */
export interface GgufDetails {
  architecture?: string;
  /** `general.name`, the name the model's authors gave it. */
  modelName?: string;
  /** Context length the model was trained for. */
  trainedContextLength?: number;
}

/**
 * Reads the GGUF header with node-llama-cpp's reader. Only the metadata is read (not the
 * tensors), and the vocabulary is skipped: it is most of the header and none of the answer.
 */
export async function readGgufDetails(file: string): Promise<GgufDetails> {
  const { readGgufFileInfo } = await import('node-llama-cpp');
  let info: Awaited<ReturnType<typeof readGgufFileInfo>>;
  try {
    info = await readGgufFileInfo(file, {
      readTensorInfo: false,
      sourceType: 'filesystem',
      logWarnings: false,
      ignoreKeys: ['tokenizer.ggml.tokens', 'tokenizer.ggml.scores', 'tokenizer.ggml.token_type', 'tokenizer.ggml.merges'],
    });
  } catch (error) {
    throw new DocentError('model_integrity', `${file} is not a readable GGUF file: ${(error as Error).message}`, { cause: error });
  }
  const details: GgufDetails = {};
  const general = info.metadata.general as { architecture?: unknown; name?: unknown } | undefined;
  if (typeof general?.architecture === 'string') details.architecture = general.architecture;
  if (typeof general?.name === 'string') details.modelName = general.name;
  const contextLength = (info.architectureMetadata as { context_length?: unknown } | undefined)?.context_length;
  if (typeof contextLength === 'number') details.trainedContextLength = contextLength;
  return details;
}
