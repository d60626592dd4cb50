import type { Asker, Audience } from './access.js';
import type { Answer } from './answer.js';

/** One earlier exchange in the same conversation, oldest first. */
export interface ConversationTurn {
  question: string;
  answer: string;
}

/** Where a question was asked, for permissions (who else sees the answer) and the audit record. */
export interface ConversationContext {
  /** `web`, `slack`, `teams` or `cli`. */
  platform: string;
  /** Channel, group chat or web session the question was asked in. */
  channelId?: string;
  /** Slack workspace or Teams team the channel belongs to, for per-team source restrictions. */
  teamId?: string;
  /** Thread within the channel, when the platform has threads. */
  threadId?: string;
  /**
   * `private`: only the asker sees the answer (direct message, ephemeral reply, web chat,
   * CLI); `shared`: everyone in the channel does, so the answer may use only what all of
   * them may read.
   */
  visibility: 'private' | 'shared';
}

export interface Question {
  text: string;
  asker: Asker;
  /** Where it was asked; a private conversation on an unnamed surface when absent. */
  conversation?: ConversationContext;
  /** Earlier turns of the same thread, for follow-up questions. */
  history?: ConversationTurn[];
  /** Restrict retrieval to these sources. */
  sourceIds?: string[];
  /**
   * Who reads the answer when `conversation.visibility` is `shared`: the channel members'
   * principals (passages every one of them may read) or `public` (documents open to
   * everyone). A shared question without it gets public documents only. Ignored for a
   * private answer, which uses the asker's own access.
   */
  audience?: Audience;
  /**
   * Why the answer may draw on fewer documents than the asker usually reads (the
   * directory could not be reached, the channel has members unknown to it); the answer
   * repeats it in its notice.
   */
  accessNotice?: string;
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
