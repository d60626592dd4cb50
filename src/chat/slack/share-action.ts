import type { App } from '@slack/bolt';
import { describeError } from '../../core/errors.js';
import { shareActionId } from './action-ids.js';
import { answerMessage } from './answer-blocks.js';
import type { SlackAnswering } from './answer-in-slack.js';
import { buttonClick } from './button-click.js';
import type { ExpiringMap } from '../expiring-map.js';
import { conversationKey } from './incoming-message.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';
import { postToResponseUrl } from './response-url.js';
import type { ShareableAnswer } from './slash-command.js';

export interface ShareActionState {
  answering: SlackAnswering;
  shareable: ExpiringMap<ShareableAnswer>;
  botThreads: ExpiringMap<true>;
  track: <T>(work: Promise<T>) => Promise<T>;
}

/** Slack's answers when the bot may not post in a conversation. */
const notMemberErrors = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

function platformError(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/**
 * "Share with channel" under a private answer: posts the same answer, with who shared it
 * and what they asked, in the channel (its thread then takes follow-ups like any answer),
 * and removes the private copy. Only an answer whose sources are all open to everyone may
 * be shared: the asker's private access is not the channel's.
 */
export function registerShareAction(app: App, state: ShareActionState): void {
  app.action(shareActionId, async ({ ack, body, action, client }) => {
    await ack();
    const click = buttonClick(body, action);
    if (!click) return;
    const tell = async (text: string): Promise<void> => {
      if (click.responseUrl) await postToResponseUrl(click.responseUrl, { response_type: 'ephemeral', replace_original: false, text }).catch(() => undefined);
    };
    const shared = state.shareable.get(click.value);
    if (!shared || shared.userId !== click.userId) {
      await tell('This answer can no longer be shared. Please ask again.');
      return;
    }
    if (!shared.answer.citations.every((citation) => citation.readableByEveryone === true)) {
      await tell('This answer uses documents that not everyone in this conversation may read, so it cannot be shared. Mention me in the channel to get an answer everyone there may see.');
      return;
    }
    const { answering } = state;
    await state.track(
      (async () => {
        const content = answerMessage(shared.answer, { publicUrl: answering.publicUrl, feedback: answering.feedback });
        const asked = `Shared by <@${shared.userId}>, who asked: ${escapeMrkdwn(truncate(shared.question, 300))}`;
        content.blocks = [...(content.blocks ?? []), { type: 'context', elements: [{ type: 'mrkdwn', text: asked }] }];
        let ts: string | undefined;
        try {
          ts = (await client.chat.postMessage({ channel: shared.channelId, text: content.text, blocks: content.blocks, unfurl_links: false, unfurl_media: false })).ts;
        } catch (error) {
          const code = platformError(error);
          answering.logger.warn({ channel: shared.channelId, error: describeError(error) }, 'sharing an answer failed');
          await tell(code && notMemberErrors.has(code) ? 'I cannot post in this conversation. Invite me to the channel (/invite @Docent) and share again.' : 'Sorry, the answer could not be shared just now. Please try again in a minute.');
          return;
        }
        state.shareable.delete(click.value);
        if (ts) {
          const key = conversationKey(shared.teamId, shared.channelId, ts);
          answering.memory.remember(key, { question: shared.question, answer: shared.answer.text });
          state.botThreads.set(key, true);
        }
        if (click.responseUrl) await postToResponseUrl(click.responseUrl, { delete_original: true }).catch(() => undefined);
      })(),
    );
  });
}
