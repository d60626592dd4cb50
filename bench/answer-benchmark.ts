import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { getLlama, LlamaChat, LlamaLogLevel } from 'node-llama-cpp';
import { DocentAnswerEngine } from '../src/answer/answer-engine.js';
import { formatTable } from '../src/admin/terminal.js';
import { loadConfig } from '../src/config/load.js';
import type { ChatMessage, ChatModel, Generation, GenerationRequest } from '../src/core/chat-model.js';
import { toChatHistory } from '../src/models/llama-chat-model.js';
import { resolveModelPath } from '../src/models/model-store.js';
import { indexFolder } from '../src/runtime/index-folder.js';
import { sampleCorpusPath } from '../src/runtime/package-root.js';
import { openRuntime } from '../src/runtime/runtime.js';
import { writeTinyGguf } from '../test/fixtures/tiny-gguf.js';

/**
 * `npm run bench:answer`: the cost of Docent around the language model. Indexes the
 * sample corpus, then asks 20 of its questions through the answer engine with the
 * configured GGUF model (DOCENT_LLM_MODEL; a generated tiny model when unset) and feeds
 * each exact prompt Docent built to the same model driven directly through
 * node-llama-cpp (the limit: nothing but the model). Both sides run on one process with
 * the same threads, context size and answer length, alternating which goes first.
 */
const questionCount = 20;
/** Each question is asked this many times on each side; one round on a 2-core machine varies by several percent. */
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const answerTokens = Number(process.env.BENCH_ANSWER_TOKENS ?? 128);

interface SampleQuestion {
  question: string;
  document: string | null;
}

interface Timing {
  /** Docent only: time before the model was called (retrieval, evidence check, packing) and after it returned (citation check). */
  beforeModelMs?: number;
  afterModelMs?: number;
  firstTokenMs: number;
  totalMs: number;
  tokens: number;
  generationMs: number;
}

/** Wraps the runtime's model to keep the prompt each question produced and the model's own timing. */
class RecordingModel implements ChatModel {
  private lastRequest: GenerationRequest | undefined;
  private lastGeneration: Generation | undefined;
  /** performance.now() when the engine called the model and when the model returned. */
  calledAt = 0;
  returnedAt = 0;
  constructor(private readonly inner: ChatModel) {}
  /** The prompt and generation of the last question, if the model was asked at all; then forgets them. */
  takeLast(): { request: GenerationRequest; generation: Generation } | undefined {
    const last = this.lastRequest && this.lastGeneration ? { request: this.lastRequest, generation: this.lastGeneration } : undefined;
    this.lastRequest = undefined;
    this.lastGeneration = undefined;
    return last;
  }
  describe = () => this.inner.describe();
  countTokens = (text: string) => this.inner.countTokens(text);
  dispose = () => this.inner.dispose();
  async generate(request: GenerationRequest): Promise<Generation> {
    this.lastRequest = request;
    this.calledAt = performance.now();
    this.lastGeneration = await this.inner.generate(request);
    this.returnedAt = performance.now();
    return this.lastGeneration;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function percentile95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;
}

const workDirectory = await mkdtemp(path.join(tmpdir(), 'docent-bench-answer-'));
const configured = loadConfig();
const modelPath = resolveModelPath(configured) ?? (await writeTinyGguf(workDirectory, { behaviour: { kind: 'babble' } }));
const threads = configured.llm.threads ?? availableParallelism();
const config = loadConfig({
  overrides: { dataDir: path.join(workDirectory, 'data'), 'llm.model': modelPath, 'llm.threads': threads, 'llm.maxAnswerTokens': answerTokens, 'llm.temperature': 0 },
});
const questions = readFileSync(path.join(sampleCorpusPath(), '..', 'questions.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as SampleQuestion)
  .filter((sample) => sample.document !== null)
  .slice(0, questionCount);

const runtime = await openRuntime(config, { create: true });
const llama = await getLlama({ gpu: config.llm.gpuLayers === 0 ? false : 'auto', build: 'never', maxThreads: threads, logLevel: LlamaLogLevel.error });
try {
  console.log(`indexing the sample corpus; model ${path.basename(modelPath)}, ${threads} threads, ${answerTokens} answer tokens`);
  await indexFolder(runtime, sampleCorpusPath());
  const model = new RecordingModel(runtime.chatModel!);
  const engine = new DocentAnswerEngine(
    runtime.retriever,
    runtime.embedder,
    { topK: config.retrieval.topK, ...config.answer, generation: { maxAnswerTokens: answerTokens, temperature: 0 } },
    model,
  );
  const directModel = await llama.loadModel({ modelPath, gpuLayers: config.llm.gpuLayers });
  const directContext = await directModel.createContext({ contextSize: config.llm.contextSize, sequences: 1, threads });
  const directSequence = directContext.getSequence();

  const asker = { id: 'bench', principals: ['everyone'] };
  const docent = async (question: string): Promise<Timing & { prompt: ChatMessage[] } | undefined> => {
    const started = performance.now();
    let firstTokenMs: number | undefined;
    model.takeLast();
    await engine.ask({ text: question, asker }, { onPartialText: () => (firstTokenMs ??= performance.now() - started) });
    const totalMs = performance.now() - started;
    const last = model.takeLast();
    if (!last) return undefined;
    const ended = started + totalMs;
    return {
      beforeModelMs: model.calledAt - started,
      afterModelMs: ended - model.returnedAt,
      firstTokenMs: firstTokenMs ?? totalMs,
      totalMs,
      tokens: last.generation.tokens,
      generationMs: last.generation.elapsedMs,
      prompt: last.request.messages,
    };
  };
  const direct = async (prompt: ChatMessage[]): Promise<Timing> => {
    const started = performance.now();
    let firstTokenMs: number | undefined;
    let tokens = 0;
    const chat = new LlamaChat({ contextSequence: directSequence, autoDisposeSequence: false });
    try {
      await chat.generateResponse(toChatHistory(prompt), {
        maxTokens: answerTokens,
        temperature: 0,
        onToken: (generated) => (tokens += generated.length),
        onTextChunk: () => (firstTokenMs ??= performance.now() - started),
      });
    } finally {
      chat.dispose({ disposeSequence: false });
    }
    const totalMs = performance.now() - started;
    return { firstTokenMs: firstTokenMs ?? totalMs, totalMs, tokens, generationMs: totalMs };
  };

  // An untimed pass learns the prompt Docent builds for each question (the direct side
  // needs it) and warms both sides: the first question pays for loading and page faults.
  const answered: Array<{ question: string; prompt: ChatMessage[] }> = [];
  for (const sample of questions) {
    const probe = await docent(sample.question);
    if (probe) answered.push({ question: sample.question, prompt: probe.prompt });
  }
  if (answered[0]) await direct(answered[0].prompt);

  const ours: Timing[] = [];
  const theirs: Timing[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const [position, { question, prompt }] of answered.entries()) {
      // Alternate who goes first so that neither side always runs on a warmer cache. Each side
      // keeps its own sequence, so both reuse the previous prompt's shared prefix alike.
      const directFirst = (position + round) % 2 === 1;
      if (directFirst) theirs.push(await direct(prompt));
      ours.push((await docent(question))!);
      if (!directFirst) theirs.push(await direct(prompt));
    }
  }
  const skipped = questions.length - answered.length;

  const row = (name: string, timings: Timing[]): (string | number)[] => {
    const tokensPerSecond = timings.reduce((sum, timing) => sum + timing.tokens, 0) / (timings.reduce((sum, timing) => sum + timing.generationMs, 0) / 1000);
    return [name, threads, `${timings.length / rounds} x ${rounds}`, Math.round(median(timings.map((timing) => timing.firstTokenMs))), tokensPerSecond.toFixed(1), Math.round(median(timings.map((timing) => timing.totalMs))), Math.round(percentile95(timings.map((timing) => timing.totalMs)))];
  };
  // Ratios of sums, not medians of per-question ratios: one slow outlier on a busy machine should not decide.
  const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);
  const oursTotal = sum(ours.map((timing) => timing.totalMs));
  const overhead = (oursTotal - sum(theirs.map((timing) => timing.totalMs))) / oursTotal;
  const aroundModel = (sum(ours.map((timing) => timing.generationMs)) - sum(theirs.map((timing) => timing.totalMs))) / oursTotal;
  console.log(
    `\n${formatTable(
      ['answering path', 'threads', 'questions', 'first token ms (median)', 'tokens/s', 'end-to-end ms (median)', 'end-to-end ms (p95)'],
      [row('Docent: retrieve, pack, generate, check', ours), row('node-llama-cpp direct, same prompt (limit)', theirs)],
    )}`,
  );
  const medianOf = (pick: (timing: Timing) => number): number => Math.round(median(ours.map(pick)));
  console.log(
    `\nWhere Docent's time goes (median ms): before the model ${medianOf((timing) => timing.beforeModelMs!)}, ` +
      `model call ${medianOf((timing) => timing.generationMs)}, after the model ${medianOf((timing) => timing.afterModelMs!)}`,
  );
  console.log(
    `\nDocent over the direct call, as a share of Docent's end-to-end time over ${ours.length} answers${skipped ? ` (${skipped} more answered without the model)` : ''}:` +
      `\n  everything (retrieval, evidence check, packing, model call, citation check): ${(overhead * 100).toFixed(1)}%  (target: under 5%)` +
      `\n  around the model call only (queue, prompt check, streaming):               ${(aroundModel * 100).toFixed(1)}%`,
  );
  await directContext.dispose();
  await directModel.dispose();
} finally {
  await runtime.dispose();
  await llama.dispose();
  await rm(workDirectory, { recursive: true, force: true });
}
