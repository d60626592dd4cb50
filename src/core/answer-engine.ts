import type { Asker } from './access.js';
import type { Answer } from './answer.js';

/** One earlier exchange in the same conversation, oldest first. */
export interface ConversationTurn {
  question: string;
  answer: string;
}

export interface Question {
  text: string;
  asker: Asker;
  /** Earlier turns of the same thread, for follow-up questions. */
  history?: ConversationTurn[];
  /** Restrict retrieval to these sources. */
  sourceIds?: string[];
}

/**
 * The one place questions are answered; every chat surface (web, Slack, Teams, CLI)
 * calls it and only translates the result for its platform.
 */
export interface AskOptions {
  /** Stops retrieval and generation, e.g. when the asker closed the chat. */
  signal?: AbortSignal;
  /**
   * Called with the answer's text so far while a language model writes it, for surfaces
   * that show it growing. Citations are checked only once it is complete, so the final
   * `Answer` text may differ.
   */
  onPartialText?: (textSoFar: string) => void;
}

export interface AnswerEngine {
  ask(question: Question, options?: AskOptions): Promise<Answer>;
}
