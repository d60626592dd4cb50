/**
 * A language model that writes answers. Implementations: a local GGUF file through
 * node-llama-cpp, or an OpenAI-compatible HTTP endpoint on another machine of the site.
 * The answer engine depends on this interface only.
 */

/** One message of a chat prompt, in the order the model reads them. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface GenerationRequest {
  messages: ChatMessage[];
  /** Upper bound on tokens generated for the reply. */
  maxTokens: number;
  /** 0 picks the most likely token every time (reproducible answers). */
  temperature: number;
  /** Aborts the generation; the promise then rejects with a `generation_cancelled` error. */
  signal?: AbortSignal;
  /** Called with each piece of text as soon as the model produces it. */
  onText?: (text: string) => void;
}

export interface Generation {
  text: string;
  /** Tokens the model generated. */
  tokens: number;
  /** Tokens of the prompt as the model read it (after its chat template). */
  promptTokens: number;
  /** `stop`: the model ended its reply; `length`: it reached `maxTokens`. */
  finishReason: 'stop' | 'length';
  /** Milliseconds from the request to the first generated text. */
  timeToFirstTokenMs: number;
  elapsedMs: number;
}

export interface ChatModelDescription {
  /** Shown to users beside answers and written to the audit record: file name or served model name. */
  id: string;
  /** Tokens the model reads at once: prompt and reply together. */
  contextSize: number;
  /** CPU threads the model uses, or undefined when it runs elsewhere. */
  threads?: number;
  /** Where it runs: `cpu`, `cuda`, `vulkan`, `metal`, or `remote`. */
  device: string;
}

export interface ChatModel {
  /** Loads the model on first use; later calls return the same description. */
  describe(): Promise<ChatModelDescription>;
  /**
   * Tokens `text` takes in this model's own tokenizer, to pack prompts that fit. An
   * endpoint that cannot tokenize returns a conservative estimate.
   */
  countTokens(text: string): Promise<number>;
  /**
   * Generates a reply. Rejects with a `model_busy` error (with `retryAfterSeconds`) when
   * the model's queue is full, `generation_timeout` past the configured time, and
   * `generation_cancelled` when `signal` aborts.
   */
  generate(request: GenerationRequest): Promise<Generation>;
  /** Frees the model's memory; the process loads it again on the next request. */
  dispose(): Promise<void>;
}
