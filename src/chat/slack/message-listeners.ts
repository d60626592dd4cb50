import type { App, webApi } from '@slack/bolt';
import { describeError } from '../../core/errors.js';
import { answerInSlack, type SlackAnswering } from './answer-in-slack.js';
import type { ExpiringMap } from '../expiring-map.js';
import { conversationKey, incomingMessage, isDirectMessage, type IncomingMessage } from './incoming-message.js';
import { mentionsUser, questionFromSlackText } from './question-text.js';
import { PostedMessage } from './slack-messages.js';

/** Longer questions are refused with a message; the web chat has the same limit. */
export const maxQuestionLength = 2000;

export interface MessageListenerState {
  answering: SlackAnswering;
  /** Messages already taken: an @mention arrives both as `app_mention` and as `message`. */
  claimedMessages: ExpiringMap<true>;
  /** Threads the bot answered in, whose follow-ups it answers without being mentioned. */
  botThreads: ExpiringMap<true>;
  /** Registers work that `stop()` must wait for. */
  track: <T>(work: Promise<T>) => Promise<T>;
  /** The slash command, for the help text. */
  command: string;
}

interface ReplyPlace {
  /** Thread to answer in; undefined answers at the top level of a direct message. */
  threadTs: string | undefined;
  memoryKey: string;
  visibility: 'private' | 'shared';
}

function helpText(botUserId: string | undefined, command: string): string {
  const mention = botUserId ? `<@${botUserId}>` : '@Docent';
  return `Ask me a question about the company's documents, for example: ${mention} how many days of annual leave do I get? I answer with the sources I used. For an answer only you see, use ${command} &lt;question&gt;.`;
}

async function answerIncoming(state: MessageListenerState, client: webApi.WebClient, message: IncomingMessage, botUserId: string | undefined, place: ReplyPlace): Promise<void> {
  if (!state.claimedMessages.claim(`${message.channelId}:${message.ts}`, true)) return;
  const reply = new PostedMessage(client, message.channelId, place.threadTs);
  const text = questionFromSlackText(message.text, botUserId);
  if (text.length === 0 || text.length > maxQuestionLength) {
    const notice = text.length === 0 ? helpText(botUserId, state.command) : `Questions can be at most ${maxQuestionLength} characters long; please shorten yours.`;
    await state.track(reply.post({ text: notice })).catch((error: unknown) => state.answering.logger.warn({ channel: message.channelId, error: describeError(error) }, 'could not reply'));
    return;
  }
  // Marked before answering, so a follow-up written while the answer streams is answered too.
  if (place.visibility === 'shared') state.botThreads.set(place.memoryKey, true);
  await state.track(
    answerInSlack(state.answering, client, { text, userId: message.userId, teamId: message.teamId, channelId: message.channelId, threadTs: place.threadTs, visibility: place.visibility, memoryKey: place.memoryKey }, reply),
  );
}

function directPlace(message: IncomingMessage): ReplyPlace {
  // A direct message is one conversation; a thread inside it is its own.
  return { threadTs: message.threadTs, memoryKey: conversationKey(message.teamId, message.channelId, message.threadTs), visibility: 'private' };
}

function channelPlace(message: IncomingMessage): ReplyPlace {
  const threadTs = message.threadTs ?? message.ts;
  return { threadTs, memoryKey: conversationKey(message.teamId, message.channelId, threadTs), visibility: 'shared' };
}

/**
 * Answers an @mention in a channel (in a thread under it), every direct message, and
 * follow-ups in a thread the bot answered in (unless they mention someone else). Other
 * bots, edits and system messages are ignored (see incomingMessage); Bolt's `ignoreSelf`
 * drops the bot's own posts.
 */
export function registerMessageListeners(app: App, state: MessageListenerState): void {
  app.event('app_mention', async ({ event, body, context, client }) => {
    const message = incomingMessage(event as unknown as Record<string, unknown>, body.team_id);
    if (!message || message.userId === context.botUserId) return;
    await answerIncoming(state, client, message, context.botUserId, isDirectMessage(message) ? directPlace(message) : channelPlace(message));
  });

  app.event('message', async ({ event, body, context, client }) => {
    const message = incomingMessage(event as unknown as Record<string, unknown>, body.team_id);
    if (!message || message.userId === context.botUserId) return;
    if (isDirectMessage(message)) {
      await answerIncoming(state, client, message, context.botUserId, directPlace(message));
      return;
    }
    // A mention is answered through its app_mention event, which the app always receives.
    if (mentionsUser(message.text, context.botUserId)) return;
    const isFollowUp = message.threadTs !== undefined && message.threadTs !== message.ts && state.botThreads.has(conversationKey(message.teamId, message.channelId, message.threadTs));
    // "@bob, what do you think?" in the thread is for Bob, not for the bot.
    const addressedToSomeoneElse = /<@[UW][A-Z0-9]+(?:\|[^>]*)?>/.test(message.text);
    if (isFollowUp && !addressedToSomeoneElse) await answerIncoming(state, client, message, context.botUserId, channelPlace(message));
  });
}
