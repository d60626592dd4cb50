import type { ConversationTurn } from '../core/answer-engine.js';
import { keyTermsOf } from './query-terms.js';

const referringWords = /\b(it|its|that|this|those|these|they|them|there|he|she|same|above)\b|그것|그거|이것|이거|거기|그건|그럼|그러면|저것/iu;

/**
 * Makes a follow-up question searchable on its own when no language model is there to
 * rewrite it: a question that refers back ("and for contractors?", "how do I request
 * it?") or names too little is searched together with the previous question's key terms.
 */
export function standaloneQuery(question: string, history: ConversationTurn[] = []): string {
  const previous = history[history.length - 1];
  if (!previous) return question;
  const terms = keyTermsOf(question);
  const refersBack = referringWords.test(question) || terms.length <= 2 || /^(and|what about|how about|also)\b/i.test(question.trim());
  if (!refersBack) return question;
  const carried = keyTermsOf(previous.question).filter((term) => !terms.includes(term));
  return carried.length > 0 ? `${question} ${previous.question}` : question;
}
