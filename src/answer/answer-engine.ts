import type { Answer } from '../core/answer.js';
import type { AnswerEngine, AskOptions, Question } from '../core/answer-engine.js';
import type { ChatModel } from '../core/chat-model.js';
import type { Embedder } from '../core/embedder.js';
import { DocentError, ModelBusyError, describeError, isDocentError } from '../core/errors.js';
import type { SearchHit } from '../core/search.js';
import type { Retriever } from '../retrieval/hybrid-search.js';
import { questionSearchRequest } from '../retrieval/question-search-request.js';
import { embedderUnderstands } from '../models/embedder-languages.js';
import { candidatesOf, extractiveAnswerer, defaultMinimumSimilarity, evidenceFor, notFoundAnswer, type Candidate, type ExtractiveOptions } from './extractive-answerer.js';
import { GenerativeAnswerer, type GenerativeOptions } from './generative-answerer.js';
import { rewriteFollowUp } from './query-rewriter.js';

export interface AnswerEngineOptions extends ExtractiveOptions {
  /** Passages retrieved for each question. */
  topK: number;
  /** How the language model writes answers, when one is configured. */
  generation?: Omit<GenerativeOptions, 'closestSources'>;
}

export const noModelNotice = 'No language model is configured: these sentences are quoted from the documents.';

/** Failures after which quoting the documents still serves the asker. */
const fallbackCodes = new Set(['model_unavailable', 'model_integrity', 'credentials_rejected', 'generation_timeout', 'generation_failed', 'context_overflow', 'model_busy']);

/**
 * Answers questions for every surface: makes a follow-up standalone, retrieves passages
 * the asker may read, and answers from them with citations: written by the language
 * model when one is configured and the passages hold evidence, quoted from the
 * documents otherwise, or when the model is unavailable (and then the answer says so).
 */
export class DocentAnswerEngine implements AnswerEngine {
  private readonly generative: GenerativeAnswerer | undefined;

  constructor(
    private readonly retriever: Retriever,
    private readonly embedder: Embedder,
    private readonly options: AnswerEngineOptions,
    private readonly chatModel?: ChatModel,
  ) {
    const closestSources = options.closestSources ?? 3;
    if (chatModel && options.generation) this.generative = new GenerativeAnswerer(chatModel, { ...options.generation, closestSources });
  }

  async ask(question: Question, options: AskOptions = {}): Promise<Answer> {
    const started = performance.now();
    const query = await rewriteFollowUp(question.text, question.history, this.generative ? this.chatModel : undefined, options.signal);
    const hits = await this.retriever.search(questionSearchRequest(question, query, this.options.topK));
    const retrieved = hits.map(({ chunk, score }) => ({ chunkId: chunk.id, documentId: chunk.documentId, contentHash: chunk.contentHash, ...(chunk.modifiedAt ? { modifiedAt: chunk.modifiedAt } : {}), score }));
    const finish = (answer: Omit<Answer, 'elapsedMs'>): Answer => ({ ...withAccessNotice(answer, question.accessNotice), question: question.text, query, retrieved, elapsedMs: Math.round(performance.now() - started) });
    const extract = async (): Promise<Omit<Answer, 'elapsedMs'>> => {
      const candidates = candidatesOf(hits);
      const answerer = extractiveAnswerer(query, hits);
      if (!embedderUnderstands(this.embedder, question.text)) return answerer.answer(this.options, candidates);
      // Only sentences that could be quoted are compared in meaning; the rest cannot change the answer.
      const quotable = answerer.worthEmbedding(candidates, this.options);
      return answerer.answer(this.options, quotable, await this.sentenceSimilarities(question.text, quotable));
    };

    if (!this.generative) return finish({ ...(await extract()), notice: noModelNotice });
    if (!this.hasEvidence(query, hits)) {
      return finish(notFoundAnswer(question.text, hits, this.options.closestSources ?? 3, (await this.chatModel!.describe().catch(() => undefined))?.id ?? 'extractive'));
    }
    try {
      const generateOptions: Parameters<GenerativeAnswerer['answer']>[2] = {};
      if (options.signal) generateOptions.signal = options.signal;
      if (options.onPartialText) generateOptions.onPartialText = options.onPartialText;
      return finish(await this.generative.answer(question.text, hits, generateOptions));
    } catch (error) {
      if (!isDocentError(error) || !fallbackCodes.has(error.code)) throw error;
      return finish(this.fallback(await extract(), error));
    }
  }

  /** The quoted answer, saying why the model did not write it. */
  private fallback(extractive: Omit<Answer, 'elapsedMs'>, error: DocentError): Omit<Answer, 'elapsedMs'> {
    if (error instanceof ModelBusyError) {
      return {
        ...extractive,
        notice: `The language model is busy answering other questions; ask again in ${error.retryAfterSeconds} s for a written answer. Meanwhile, these sentences are quoted from the documents.`,
        retryAfterSeconds: error.retryAfterSeconds,
      };
    }
    return { ...extractive, notice: `The language model could not answer (${describeError(error)}); these sentences are quoted from the documents instead.` };
  }

  /**
   * Whether the passages are about the question, by the same rule that lets the
   * extractive answerer quote: enough of the question's key terms in one passage, and
   * a passage close enough in meaning. Below it, a small model given unrelated passages
   * tends to answer from them anyway, so it is not asked and the answer is an honest
   * "not found". Passage similarities come with retrieval, so the check costs nothing.
   */
  private hasEvidence(query: string, hits: SearchHit[]): boolean {
    if (hits.length === 0) return false;
    const passageSimilarities = hits.flatMap((hit) => (hit.vectorScore === undefined ? [] : [hit.vectorScore]));
    const evidence = evidenceFor(query, hits, passageSimilarities);
    return evidence.coverage >= this.options.minimumCoverage && (evidence.similarity === undefined || evidence.similarity >= (this.options.minimumSimilarity ?? defaultMinimumSimilarity));
  }

  /** Sentences compared with the question in meaning, not only by shared words. */
  private async sentenceSimilarities(question: string, candidates: Candidate[]): Promise<number[] | undefined> {
    if (candidates.length === 0) return undefined;
    const [questionVector, sentenceVectors] = await Promise.all([this.embedder.embedQuery(question), this.embedder.embedDocuments(candidates.map((candidate) => candidate.text))]);
    return sentenceVectors.map((vector) => dot(vector, questionVector));
  }
}

/** Tells the asker first when their answer could use fewer documents than usual (e.g. their groups could not be resolved). */
function withAccessNotice<T extends { notice?: string }>(answer: T, accessNotice: string | undefined): T {
  if (!accessNotice) return answer;
  return { ...answer, notice: answer.notice ? `${accessNotice} ${answer.notice}` : accessNotice };
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < a.length; index++) sum += a[index]! * b[index]!;
  return sum;
}
