import type { Answer, Citation } from '../core/answer.js';
import type { ChatModel } from '../core/chat-model.js';
import { DocentError } from '../core/errors.js';
import type { SearchHit } from '../core/search.js';
import { checkCitations } from './citation-check.js';
import { packSources } from './context-packing.js';
import { citationOf, notFoundAnswer } from './extractive-answerer.js';
import { formatQuestion, groundedMessages, modelNotFoundSentence, promptVersion, systemPrompt } from './grounded-prompt.js';

export interface GenerativeOptions {
  maxAnswerTokens: number;
  temperature: number;
  /** Closest sources listed with a "not found" answer. */
  closestSources: number;
}

export interface GenerateAnswerOptions {
  signal?: AbortSignal;
  onPartialText?: (textSoFar: string) => void;
}

/** Tokens the chat template adds around the messages (role markers, turn ends), with room to spare. */
const templateAllowance = 48;

/**
 * Writes an answer with the language model from the retrieved passages, then checks it:
 * citations must name sources the model was given, and an answer that cites nothing is
 * replaced by the honest "not found" answer with the closest sources.
 */
export class GenerativeAnswerer {
  constructor(
    private readonly model: ChatModel,
    private readonly options: GenerativeOptions,
  ) {}

  async answer(question: string, hits: SearchHit[], options: GenerateAnswerOptions = {}): Promise<Omit<Answer, 'elapsedMs'>> {
    const { id, contextSize } = await this.model.describe();
    if (hits.length === 0) return notFoundAnswer(question, hits, this.options.closestSources, id);
    const fixedTokens = (await this.model.countTokens(systemPrompt)) + (await this.model.countTokens(formatQuestion(question))) + templateAllowance;
    const budget = contextSize - this.options.maxAnswerTokens - fixedTokens;
    const sources = await packSources(hits, budget, (text) => this.model.countTokens(text));
    if (sources.length === 0) {
      throw new DocentError('context_overflow', `the question leaves no room for sources in the model's context of ${contextSize} tokens; raise llm.contextSize or lower llm.maxAnswerTokens`);
    }

    let soFar = '';
    const request: Parameters<ChatModel['generate']>[0] = {
      messages: groundedMessages(sources, question),
      maxTokens: this.options.maxAnswerTokens,
      temperature: this.options.temperature,
      onText: (text) => {
        soFar += text;
        options.onPartialText?.(soFar);
      },
    };
    if (options.signal) request.signal = options.signal;
    const generation = await this.model.generate(request);

    const checked = checkCitations(generation.text, sources.length);
    const saysNotFound = generation.text.toLowerCase().includes(modelNotFoundSentence.toLowerCase().replace(/\.$/, ''));
    const usage = { promptTokens: generation.promptTokens, answerTokens: generation.tokens, timeToFirstTokenMs: Math.round(generation.timeToFirstTokenMs), promptVersion };
    if (checked.cited.length === 0 || saysNotFound) {
      return { ...notFoundAnswer(question, hits, this.options.closestSources, id), generation: usage };
    }
    const citations: Citation[] = checked.cited.map((given, position) => {
      const source = sources[given - 1]!;
      return citationOf({ ...source.hit, chunk: { ...source.hit.chunk, text: source.text } }, position + 1);
    });
    return { question, notFound: false, text: checked.text, sentences: checked.sentences, citations, generator: id, generation: usage };
  }
}
