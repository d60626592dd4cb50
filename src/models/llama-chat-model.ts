import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { ChatHistoryItem, Llama, LlamaContext, LlamaContextSequence, LlamaModel } from 'node-llama-cpp';
import type { ChatModel, ChatModelDescription, ChatMessage, Generation, GenerationRequest } from '../core/chat-model.js';
import { DocentError, describeError, isDocentError } from '../core/errors.js';
import { GenerationQueue } from './generation-queue.js';
import { assertGgufFile } from './gguf-file.js';

export interface LlamaChatModelOptions {
  modelPath: string;
  /** Tokens each generation may use, prompt and answer together. */
  contextSize: number;
  threads?: number;
  /** `auto` offloads as many layers as fit when a GPU is present; 0 keeps everything on the CPU. */
  gpuLayers: 'auto' | number;
  /** Generations that run at once, each on its own sequence of one shared context. */
  parallel: number;
  queueLimit: number;
  timeoutSeconds: number;
}

interface Loaded {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  /** Sequences not generating now; each keeps its last prompt so a shared prefix is not read again. */
  idleSequences: LlamaContextSequence[];
  description: ChatModelDescription;
}

/**
 * A GGUF model run in this process by node-llama-cpp. The process holds one instance,
 * loaded on first use and shared by every request; a bounded queue admits `parallel`
 * generations at once and refuses the rest with "busy, try again in N s".
 */
export class LlamaChatModel implements ChatModel {
  private loading: Promise<Loaded> | undefined;
  private readonly queue: GenerationQueue;

  constructor(private readonly options: LlamaChatModelOptions) {
    this.queue = new GenerationQueue(options.parallel, options.queueLimit);
  }

  async describe(): Promise<ChatModelDescription> {
    return (await this.load()).description;
  }

  async countTokens(text: string): Promise<number> {
    const { model } = await this.load();
    return model.tokenize(text, false).length;
  }

  async generate(request: GenerationRequest): Promise<Generation> {
    const loaded = await this.load();
    return this.queue.run(() => this.generateOnSequence(loaded, request), request.signal);
  }

  /** Generations running and waiting, for readiness reports. */
  get queueLoad(): { running: number; waiting: number } {
    return this.queue.load;
  }

  async dispose(): Promise<void> {
    const loading = this.loading;
    this.loading = undefined;
    if (!loading) return;
    const loaded = await loading.catch(() => undefined);
    if (!loaded) return;
    await loaded.context.dispose();
    await loaded.model.dispose();
    await loaded.llama.dispose();
  }

  private load(): Promise<Loaded> {
    // A failed load is not remembered: the admin may fix the file and the next question retries.
    this.loading ??= this.loadModel().catch((error: unknown) => {
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }

  private async loadModel(): Promise<Loaded> {
    const { modelPath, gpuLayers, parallel } = this.options;
    await assertGgufFile(modelPath);
    const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
    const threads = this.options.threads ?? availableParallelism();
    let llama: Llama | undefined;
    try {
      // `build: 'never'`: a missing prebuilt binary is an error to report, never a download and compile at run time.
      llama = await getLlama({ gpu: gpuLayers === 0 ? false : 'auto', build: 'never', maxThreads: threads, logLevel: LlamaLogLevel.error, progressLogs: false });
      const model = await llama.loadModel({ modelPath, gpuLayers });
      const context = await model.createContext({ contextSize: this.options.contextSize, sequences: parallel, threads });
      const idleSequences = Array.from({ length: parallel }, () => context.getSequence());
      const description: ChatModelDescription = {
        id: path.basename(modelPath),
        contextSize: context.contextSize,
        threads,
        device: llama.gpu === false ? 'cpu' : llama.gpu,
      };
      return { llama, model, context, idleSequences, description };
    } catch (error) {
      await llama?.dispose().catch(() => undefined);
      throw new DocentError('model_unavailable', `could not load the language model ${modelPath}: ${describeError(error)}`, { cause: error });
    }
  }

  private async generateOnSequence(loaded: Loaded, request: GenerationRequest): Promise<Generation> {
    const sequence = loaded.idleSequences.pop();
    if (!sequence) throw new DocentError('internal', 'the generation queue admitted more requests than there are sequences');
    const { LlamaChat } = await import('node-llama-cpp');
    const chat = new LlamaChat({ contextSequence: sequence, autoDisposeSequence: false });
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new DocentError('generation_timeout', `the language model did not finish within ${this.options.timeoutSeconds} s`)), this.options.timeoutSeconds * 1000);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout.signal]) : timeout.signal;
    const started = performance.now();
    let firstTextAt: number | undefined;
    let tokens = 0;
    try {
      const history = toChatHistory(request.messages);
      const promptTokens = this.promptTokens(chat, loaded.model, history);
      if (promptTokens + request.maxTokens > sequence.contextSize) {
        throw new DocentError('context_overflow', `the prompt takes ${promptTokens} tokens and the answer up to ${request.maxTokens}, more than the model's context of ${sequence.contextSize}`);
      }
      const response = await chat.generateResponse(history, {
        maxTokens: request.maxTokens,
        temperature: request.temperature,
        signal,
        onToken: (generated) => {
          tokens += generated.length;
        },
        onTextChunk: (text) => {
          firstTextAt ??= performance.now();
          request.onText?.(text);
        },
      });
      const elapsedMs = performance.now() - started;
      return {
        text: response.response,
        tokens,
        promptTokens,
        finishReason: response.metadata.stopReason === 'maxTokens' ? 'length' : 'stop',
        timeToFirstTokenMs: (firstTextAt ?? performance.now()) - started,
        elapsedMs,
      };
    } catch (error) {
      if (timeout.signal.aborted && error === timeout.signal.reason) throw error;
      if (request.signal?.aborted) throw new DocentError('generation_cancelled', 'the answer was cancelled', { cause: error });
      if (isDocentError(error)) throw error;
      throw new DocentError('generation_failed', `the language model failed: ${describeError(error)}`, { cause: error });
    } finally {
      clearTimeout(timer);
      chat.dispose({ disposeSequence: false });
      loaded.idleSequences.push(sequence);
    }
  }

  /** Tokens of the whole prompt as the model will read it, chat template included. */
  private promptTokens(chat: InstanceType<typeof import('node-llama-cpp').LlamaChat>, model: LlamaModel, history: ChatHistoryItem[]): number {
    const { contextText } = chat.chatWrapper.generateContextState({ chatHistory: history });
    return contextText.tokenize(model.tokenizer).length;
  }
}

/** Our messages in node-llama-cpp's history form, ending with the empty reply the model writes. */
export function toChatHistory(messages: ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((message) =>
    message.role === 'system' ? { type: 'system', text: message.content } : message.role === 'user' ? { type: 'user', text: message.content } : { type: 'model', response: [message.content] },
  );
  history.push({ type: 'model', response: [] });
  return history;
}
