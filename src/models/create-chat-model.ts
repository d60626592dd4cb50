import type { DocentConfig } from '../config/schema.js';
import type { ChatModel, ChatModelDescription, Generation } from '../core/chat-model.js';
import type { DocentError } from '../core/errors.js';
import { isDocentError } from '../core/errors.js';
import { LlamaChatModel } from './llama-chat-model.js';
import { resolveModelPath } from './model-store.js';
import { OpenAiCompatibleChatModel } from './openai-compatible-chat-model.js';

/**
 * A configured model that cannot be found. Answers still come (quoted from the
 * documents), each saying why the model did not write them, rather than the service
 * refusing to start over a file an admin can fix while it runs.
 */
class UnavailableChatModel implements ChatModel {
  constructor(private readonly reason: DocentError) {}
  describe(): Promise<ChatModelDescription> {
    return Promise.reject(this.reason);
  }
  countTokens(): Promise<number> {
    return Promise.reject(this.reason);
  }
  generate(): Promise<Generation> {
    return Promise.reject(this.reason);
  }
  async dispose(): Promise<void> {}
}

/** The language model the settings name, or undefined when answers are to be extractive. */
export function createChatModel(config: DocentConfig, environment: NodeJS.ProcessEnv = process.env): ChatModel | undefined {
  const llm = config.llm;
  if (llm.endpoint) {
    const options: ConstructorParameters<typeof OpenAiCompatibleChatModel>[0] = { endpoint: llm.endpoint, model: llm.endpointModel, contextSize: llm.contextSize, timeoutSeconds: llm.timeoutSeconds };
    const apiKey = environment.DOCENT_LLM_API_KEY;
    if (apiKey) options.apiKey = apiKey;
    return new OpenAiCompatibleChatModel(options);
  }
  let modelPath: string | undefined;
  try {
    modelPath = resolveModelPath(config);
  } catch (error) {
    if (isDocentError(error)) return new UnavailableChatModel(error);
    throw error;
  }
  if (!modelPath) return undefined;
  const options: ConstructorParameters<typeof LlamaChatModel>[0] = {
    modelPath,
    contextSize: llm.contextSize,
    gpuLayers: llm.gpuLayers,
    parallel: llm.parallel,
    queueLimit: llm.queueLimit,
    timeoutSeconds: llm.timeoutSeconds,
  };
  if (llm.threads) options.threads = llm.threads;
  return new LlamaChatModel(options);
}
