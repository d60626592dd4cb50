import { DocentError, describeError, isDocentError } from '../core/errors.js';

/** Error codes that only an admin can fix: the connector is marked as needing attention and not retried. */
const attentionCodes: ReadonlySet<string> = new Set(['credentials_rejected', 'permission_denied', 'config_invalid']);

/** True for credential, permission and settings errors: retrying cannot help, an admin must act. */
export function needsAttention(error: unknown): boolean {
  return isDocentError(error) && attentionCodes.has(error.code);
}

/**
 * Whether another try may succeed. A `DocentError` says so itself; an unknown error
 * (a bug, a library failure) is retried, since giving up on a whole connector run for a
 * hiccup costs more than a repeated try, and the tries are bounded.
 */
export function isRetryable(error: unknown): boolean {
  if (needsAttention(error)) return false;
  return isDocentError(error) ? error.retryable : true;
}

/** Delay before try `attempt + 1` (attempt counts from 1): the base, doubled per earlier retry. */
export function backoffDelay(baseMilliseconds: number, attempt: number): number {
  return baseMilliseconds * 2 ** Math.max(0, attempt - 1);
}

/** The error as a `DocentError`, so a run record always has a stable code. */
export function asDocentError(error: unknown): DocentError {
  return isDocentError(error) ? error : new DocentError('internal', describeError(error), { cause: error });
}

/** Raised inside a job when the process is shutting down: the job goes back to its queue, not to the failed list. */
export class JobInterruptedError extends Error {
  constructor() {
    super('interrupted by shutdown; handed back to the queue');
    this.name = 'JobInterruptedError';
  }
}
