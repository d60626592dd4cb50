import { randomUUID } from 'node:crypto';
import type { App } from '@slack/bolt';
import type { Answer } from '../../core/answer.js';
import { answerInSlack, type SlackAnswering } from './answer-in-slack.js';
import type { ExpiringMap } from '../expiring-map.js';
import { maxQuestionLength } from './message-listeners.js';
import { questionFromSlackText } from './question-text.js';
import { EphemeralResponse } from './slack-messages.js';

/** A private answer kept so that its "Share with channel" button can post it. */
export interface ShareableAnswer {
  answer: Answer;
  /** The question as the asker typed it, shown with the shared answer. */
  question: string;
  /** Only the asker may share it. */
  userId: string;
  channelId: string;
  teamId: string | undefined;
}

export interface SlashCommandState {
  answering: SlackAnswering;
  /** The command as registered in the app manifest, e.g. `/docent`. */
  command: string;
  shareable: ExpiringMap<ShareableAnswer>;
  track: <T>(work: Promise<T>) => Promise<T>;
}

/**
 * A response URL accepts five messages: the acknowledgement is free, so two partial
 * edits and the final answer leave room for one more (an apology after a failed final).
 */
const maxPartialEdits = 2;

/**
 * `/docent <question>`: answered privately (ephemeral), growing in place as it streams,
 * with a "Share with channel" button. No conversation memory: each command stands alone.
 */
export function registerSlashCommand(app: App, state: SlashCommandState): void {
  app.command(state.command, async ({ command, ack, client }) => {
    const text = questionFromSlackText(command.text ?? '', undefined);
    if (text.length === 0 || text.length > maxQuestionLength) {
      const usage = text.length === 0 ? `Ask a question after the command, for example: ${state.command} how many days of annual leave do I get? Only you will see the answer.` : `Questions can be at most ${maxQuestionLength} characters long; please shorten yours.`;
      await ack({ response_type: 'ephemeral', text: usage });
      return;
    }
    const channelId = command.channel_id;
    const teamId = command.team_id || undefined;
    // Sharing posts as the bot; in a direct message between people it is not a member and could not.
    const canShare = !channelId.startsWith('D');
    const shareValue = (answer: Answer): string => {
      const key = randomUUID();
      state.shareable.set(key, { answer, question: text, userId: command.user_id, channelId, teamId });
      return key;
    };
    const reply = new EphemeralResponse((body) => ack(body), command.response_url);
    await state.track(answerInSlack(state.answering, client, { text, userId: command.user_id, teamId, channelId, visibility: 'private' }, reply, { maxPartialEdits, ...(canShare ? { shareValue } : {}) }));
  });
}
