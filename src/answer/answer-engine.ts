import type { Answer } from '../core/answer.js';
import type { AnswerEngine, Question } from '../core/answer-engine.js';
import type { Retriever } from '../retrieval/hybrid-search.js';
import type { Embedder } from '../core/embedder.js';
import { embedderUnderstands } from '../models/embedder-languages.js';
import { answerExtractively, candidatesOf, type ExtractiveOptions } from './extractive-answerer.js';
import { standaloneQuery } from './follow-up.js';

export interface AnswerEngineOptions extends ExtractiveOptions {
  /** Passages retrieved for each question. */
  topK: number;
}

/**
 * Answers questions for every surface: makes a follow-up standalone, retrieves passages
 * the asker may read, and answers from them with citations (extractively until a
 * language model is configured).
 */
export class DocentAnswerEngine implements AnswerEngine {
  constructor(
    private readonly retriever: Retriever,
    private readonly embedder: Embedder,
    private readonly options: AnswerEngineOptions,
  ) {}

  async ask(question: Question): Promise<Answer> {
    const started = performance.now();
    const query = standaloneQuery(question.text, question.history);
    const request: Parameters<Retriever['search']>[0] = { query, limit: this.options.topK, principals: question.asker.principals };
    if (question.sourceIds) request.sourceIds = question.sourceIds;
    const hits = await this.retriever.search(request);
    // Sentences are compared with the question in meaning too, not only by shared words.
    const candidates = candidatesOf(hits);
    let similarities: number[] | undefined;
    if (candidates.length > 0 && embedderUnderstands(this.embedder, question.text)) {
      const [questionVector, sentenceVectors] = await Promise.all([
        this.embedder.embedQuery(question.text),
        this.embedder.embedDocuments(candidates.map((candidate) => candidate.text)),
      ]);
      similarities = sentenceVectors.map((vector) => dot(vector, questionVector));
    }
    const answer = answerExtractively(query, hits, this.options, candidates, similarities);
    return { ...answer, question: question.text, elapsedMs: Math.round(performance.now() - started) };
  }
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < a.length; index++) sum += a[index]! * b[index]!;
  return sum;
}
