import type { App } from '@slack/bolt';
import type { FeedbackRecorder } from '../../core/feedback.js';
import { describeError } from '../../core/errors.js';
import { feedbackDownActionId, feedbackUpActionId } from './action-ids.js';
import type { SlackAnswering } from './answer-in-slack.js';
import { buttonClick } from './button-click.js';
import { postToResponseUrl } from './response-url.js';

export interface FeedbackActionState {
  answering: SlackAnswering;
  recorder: FeedbackRecorder;
  track: <T>(work: Promise<T>) => Promise<T>;
}

export const feedbackThanks = 'Thanks for your feedback.';

/**
 * 👍/👎 under an answer: recorded against the answer's id (the button's value) with the
 * clicker as the rater, who may not be the asker when the answer is in a channel. The
 * thanks is ephemeral: a channel need not see who rated what.
 */
export function registerFeedbackAction(app: App, state: FeedbackActionState): void {
  app.action(new RegExp(`^(${feedbackUpActionId}|${feedbackDownActionId})$`), async ({ ack, body, action, client }) => {
    await ack();
    const click = buttonClick(body, action);
    if (!click) return;
    await state.track(
      (async () => {
        let reply = feedbackThanks;
        try {
          const { asker } = await state.answering.identities.askerFor(client, click.userId, click.teamId);
          await state.recorder.recordFeedback({ answerId: click.value, asker, rating: click.actionId === feedbackUpActionId ? 'up' : 'down', platform: 'slack' });
        } catch (error) {
          state.answering.logger.error({ answerId: click.value, error: describeError(error) }, 'feedback could not be recorded');
          reply = 'Sorry, your feedback could not be recorded just now. Please try again later.';
        }
        if (click.responseUrl) await postToResponseUrl(click.responseUrl, { response_type: 'ephemeral', replace_original: false, text: reply }).catch(() => undefined);
      })(),
    );
  });
}
