/** A person's new message, as the parts of an Events API `message` or `app_mention` event Docent uses. */
export interface IncomingMessage {
  channelId: string;
  /** `im` for a direct message; `channel`, `group`, `mpim` otherwise; absent on `app_mention`. */
  channelType: string | undefined;
  userId: string;
  text: string;
  ts: string;
  /** The thread's first message when this one is in a thread (equal to `ts` for the first message itself). */
  threadTs: string | undefined;
  teamId: string | undefined;
}

/**
 * Message subtypes that are a person writing something new. Everything else is an edit
 * (`message_changed`), a deletion, a join, a bot's post (`bot_message`) or similar, none
 * of which asks a question.
 */
const newMessageSubtypes = new Set<string | undefined>([undefined, 'thread_broadcast', 'file_share']);

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * The message a person just wrote, or undefined for anything Docent must not answer:
 * other bots' and apps' posts (an answer to a bot could start two bots talking forever),
 * edits, deletions and system messages.
 */
export function incomingMessage(event: Record<string, unknown>, teamId: string | undefined): IncomingMessage | undefined {
  const subtype = text(event.subtype);
  if (!newMessageSubtypes.has(subtype)) return undefined;
  if (event.bot_id !== undefined || event.bot_profile !== undefined || event.app_id !== undefined) return undefined;
  // app_mention events are sent again when a message is edited, carrying `edited`.
  if (event.edited !== undefined) return undefined;
  const channelId = text(event.channel);
  const userId = text(event.user);
  const ts = text(event.ts);
  if (!channelId || !userId || !ts) return undefined;
  return {
    channelId,
    channelType: text(event.channel_type),
    userId,
    text: typeof event.text === 'string' ? event.text : '',
    ts,
    threadTs: text(event.thread_ts),
    // The workspace the app is installed in; `event.team` is the writer's, which differs in shared channels.
    teamId: teamId ?? text(event.team),
  };
}

/** Whether the message was written in a direct message with the bot. */
export function isDirectMessage(message: IncomingMessage): boolean {
  return message.channelType === 'im' || (message.channelType === undefined && message.channelId.startsWith('D'));
}

/** Key of a conversation in memory: a thread, or a whole direct message conversation outside threads. */
export function conversationKey(teamId: string | undefined, channelId: string, threadTs: string | undefined): string {
  return `slack:${teamId ?? ''}:${channelId}:${threadTs ?? ''}`;
}
