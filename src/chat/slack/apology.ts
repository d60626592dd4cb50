import { isDocentError, ModelBusyError } from '../../core/errors.js';
import type { SlackMessageContent } from './answer-blocks.js';

/**
 * What the asker reads when no answer could be given: short, says whether trying again
 * helps, and carries the error code an administrator can look up. Never silence.
 */
export function apologyFor(error: unknown, { shuttingDown }: { shuttingDown: boolean }): SlackMessageContent {
  if (shuttingDown) return { text: 'Sorry, Docent was restarting and could not finish this answer. Please ask again in a minute.' };
  if (error instanceof ModelBusyError) return { text: `Sorry, Docent is busy answering other questions. Please ask again in ${error.retryAfterSeconds} s.` };
  const code = isDocentError(error) ? ` (${error.code})` : '';
  return { text: `Sorry, I could not answer that just now${code}. Please try again in a minute.` };
}
