/**
 * Ids of the buttons Docent puts on its messages. Slack sends them back in
 * `block_actions` payloads, so they are part of the wire format between the message a
 * user saw (possibly days ago) and this process: never rename one.
 */
export const feedbackUpActionId = 'docent_feedback_up';
export const feedbackDownActionId = 'docent_feedback_down';
export const shareActionId = 'docent_share';
/** The block holding the buttons under an answer. */
export const answerActionsBlockId = 'docent_answer_actions';
