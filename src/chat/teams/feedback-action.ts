import type { Activity } from 'botbuilder';

/** `verb` of the card's feedback buttons: names the action in the `adaptiveCard/action` invoke. */
export const feedbackVerb = 'docent.feedback';

/** What a feedback button carries back to the bot. */
export interface FeedbackActionData {
  docentFeedback: 'up' | 'down';
  /** `Answer.id` of the answer the card showed. */
  answerId: string;
}

export interface FeedbackClick {
  answerId: string;
  rating: 'up' | 'down';
}

/** Answer ids are short opaque strings; anything longer or odder is not from our card. */
const answerIdPattern = /^[A-Za-z0-9._:-]{1,200}$/;

function parseData(data: unknown): FeedbackClick | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { docentFeedback, answerId } = data as Partial<Record<keyof FeedbackActionData, unknown>>;
  if ((docentFeedback !== 'up' && docentFeedback !== 'down') || typeof answerId !== 'string' || !answerIdPattern.test(answerId)) return undefined;
  return { answerId, rating: docentFeedback };
}

/**
 * The feedback a click on the answer card's buttons gave, from either way Teams delivers it:
 *
 * - `Action.Execute`: an `invoke` named `adaptiveCard/action` whose `value.action` has the
 *   button's `verb` and `data`;
 * - `Action.Submit` (the fallback of older clients): a `message` whose `value` is the data.
 *
 * `undefined` when the activity is not a feedback click; `'invalid'` when it claims to be
 * one but its data is not what our card sends.
 */
export function feedbackClick(activity: Partial<Activity>): FeedbackClick | 'invalid' | undefined {
  if (activity.type === 'invoke' && activity.name === 'adaptiveCard/action') {
    const action = (activity.value as { action?: { type?: unknown; verb?: unknown; data?: unknown } } | undefined)?.action;
    if (action?.verb !== feedbackVerb) return undefined;
    return parseData(action.data) ?? 'invalid';
  }
  if (activity.type === 'message' && typeof activity.value === 'object' && activity.value !== null && 'docentFeedback' in activity.value) {
    return parseData(activity.value) ?? 'invalid';
  }
  return undefined;
}
