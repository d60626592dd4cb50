import type { ConversationTurn } from '../core/answer-engine.js';
import type { ChatModel } from '../core/chat-model.js';
import { standaloneQuery } from './follow-up.js';

/** Turns of the thread the model reads; older ones rarely matter and cost prompt time. */
const recentTurns = 3;

const instructions = [
  'You rewrite follow-up questions so that they can be understood without the conversation.',
  'Given the conversation and a follow-up question, reply with one standalone question in the language of the follow-up question, naming what "it", "that" and similar words refer to.',
  'If the follow-up question already stands on its own, repeat it unchanged. Reply with the question only, no explanation.',
].join('\n');

function shortened(text: string, limit = 600): string {
  return text.length > limit ? `${text.slice(0, limit)} …` : text;
}

/**
 * Makes a follow-up question standalone before retrieval: by the language model when one
 * is configured, by the word rule otherwise, and by the rule whenever the model fails or
 * writes something that is not a plausible question.
 */
export async function rewriteFollowUp(question: string, history: ConversationTurn[] | undefined, model?: ChatModel, signal?: AbortSignal): Promise<string> {
  if (!history || history.length === 0) return question;
  if (!model) return standaloneQuery(question, history);
  const conversation = history
    .slice(-recentTurns)
    .map((turn) => `User: ${shortened(turn.question)}\nAssistant: ${shortened(turn.answer)}`)
    .join('\n');
  try {
    const request: Parameters<ChatModel['generate']>[0] = {
      messages: [
        { role: 'system', content: instructions },
        { role: 'user', content: `Conversation:\n${conversation}\n\nFollow-up question: ${question}` },
      ],
      maxTokens: 96,
      temperature: 0,
    };
    if (signal) request.signal = signal;
    const rewritten = (await model.generate(request)).text.trim().replace(/^["'“]|["'”]$/g, '');
    const plausible = rewritten.length > 0 && rewritten.length <= Math.max(300, question.length * 3) && !rewritten.includes('\n') && !/\[\d+\]/.test(rewritten);
    return plausible ? rewritten : standaloneQuery(question, history);
  } catch (error) {
    if (signal?.aborted) throw error;
    return standaloneQuery(question, history);
  }
}
