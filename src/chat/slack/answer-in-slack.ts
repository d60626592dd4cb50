import type { webApi } from '@slack/bolt';
import type { Answer } from '../../core/answer.js';
import type { AnswerEngine } from '../../core/answer-engine.js';
import { describeError } from '../../core/errors.js';
import type { ConversationMemory } from '../conversation-memory.js';
import { answerMessage, partialAnswerMessage } from './answer-blocks.js';
import { apologyFor } from './apology.js';
import { resolveQuestion, type QuestionResolution, type SlackQuestion } from './slack-question.js';
import { StreamingReply, type EditableMessage } from './streaming-reply.js';

export const placeholderText = 'Searching…';

/** What every way of asking in Slack shares. */
export interface SlackAnswering extends QuestionResolution {
  engine: AnswerEngine;
  memory: ConversationMemory;
  /** Public address of the Docent server, for links to sources without a web address. */
  publicUrl: string | undefined;
  /** Whether answers get 👍/👎 buttons (a feedback recorder is configured). */
  feedback: boolean;
  updateIntervalMs: number;
  /** Aborted when the surface stops; answers in flight then end in an apology. */
  signal: AbortSignal;
}

export interface AnswerInSlackOptions {
  /** See StreamingReply: a response URL takes five messages in all. */
  maxPartialEdits?: number;
  /** A value for the answer's "Share with channel" button; no button when absent. */
  shareValue?: (answer: Answer) => string;
}

/**
 * Answers one question in Slack: the placeholder goes up at once (while the asker's
 * identity is resolved), grows as the answer streams, and becomes the answer in Block
 * Kit, or an apology when anything fails. Returns the answer, or undefined after an apology.
 */
export async function answerInSlack(
  answering: SlackAnswering,
  client: webApi.WebClient,
  asked: SlackQuestion,
  message: EditableMessage,
  options: AnswerInSlackOptions = {},
): Promise<Answer | undefined> {
  // One signal per question, linked to the surface's: listeners the engine leaves on it die with the question.
  const cancellation = new AbortController();
  const stop = (): void => cancellation.abort(answering.signal.reason);
  answering.signal.addEventListener('abort', stop, { once: true });
  const reply = new StreamingReply(message, partialAnswerMessage, { intervalMs: answering.updateIntervalMs, ...(options.maxPartialEdits !== undefined ? { maxPartialEdits: options.maxPartialEdits } : {}) });
  const placeholder = reply.start({ text: placeholderText });
  try {
    const history = asked.memoryKey ? answering.memory.history(asked.memoryKey) : [];
    const question = await resolveQuestion(answering, client, asked, history, cancellation.signal);
    const answer = await answering.engine.ask(question, { signal: cancellation.signal, onPartialText: (text) => reply.showPartial(text) });
    // Only an answer whose every source is open to everyone may be shown to a channel.
    const shareable = answer.citations.every((citation) => citation.readableByEveryone === true);
    const shareValue = shareable ? options.shareValue?.(answer) : undefined;
    await reply.finish(answerMessage(answer, { publicUrl: answering.publicUrl, feedback: answering.feedback, ...(shareValue ? { shareValue } : {}) }));
    if (asked.memoryKey) answering.memory.remember(asked.memoryKey, { question: asked.text, answer: answer.text });
    return answer;
  } catch (error) {
    const shuttingDown = answering.signal.aborted;
    if (!shuttingDown) answering.logger.error({ channel: asked.channelId, error: describeError(error) }, 'answering failed');
    await placeholder;
    await reply.finish(apologyFor(error, { shuttingDown })).catch((apologyError: unknown) => {
      answering.logger.error({ channel: asked.channelId, error: describeError(apologyError) }, 'could not post the apology');
    });
    return undefined;
  } finally {
    answering.signal.removeEventListener('abort', stop);
  }
}
