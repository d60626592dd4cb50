import { isDocentError, ModelBusyError } from '../../core/errors.js';

/** What the bot says when it could not answer: short, and never silence. */
export function apologyText(error: unknown): string {
  if (error instanceof ModelBusyError) return `Sorry, I'm answering a lot of questions right now. Please ask again in about ${error.retryAfterSeconds} seconds.`;
  if (isDocentError(error) && error.retryable) return "Sorry, I couldn't answer that just now. Please try again in a moment.";
  return 'Sorry, something went wrong while I was answering. Please try again, or ask the Docent administrator if it keeps happening.';
}

export const restartingText = 'Sorry, Docent is restarting. Please ask again in a minute.';

export const welcomeText =
  "Hi, I'm Docent. Ask me a question about your organisation's documents and I'll answer with numbered sources. In a channel or group chat, @mention me with your question.";

export const emptyQuestionText = 'What would you like to know? Ask me a question about your documents.';

export const maximumQuestionCharacters = 2000;

export const questionTooLongText = `Questions can be at most ${maximumQuestionCharacters} characters long. Please ask a shorter one.`;

export const feedbackThanksText = 'Thanks for your feedback.';

export const feedbackFailedText = "Sorry, your feedback couldn't be saved. Please try again.";
