/**
 * Typed errors with stable codes. Every failure that reaches a user, a report or a job
 * queue carries a code that scripts can match on and a flag that says whether trying
 * again can help (a corrupt file will not parse on the second try; a busy disk might).
 */
export type ErrorCode =
  | 'config_invalid'
  | 'file_empty'
  | 'file_too_large'
  | 'file_unreadable'
  | 'file_vanished'
  | 'file_encrypted'
  | 'file_corrupt'
  | 'format_unsupported'
  | 'binary_content'
  | 'embedding_model_mismatch'
  | 'embedding_model_unavailable'
  | 'index_unavailable'
  | 'index_missing'
  | 'source_unreachable'
  | 'credentials_rejected'
  | 'permission_denied'
  | 'queue_unavailable'
  | 'connector_not_found'
  | 'connector_busy'
  | 'connector_paused'
  | 'state_unavailable'
  | 'invalid_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'model_unavailable'
  | 'model_busy'
  | 'model_integrity'
  | 'context_overflow'
  | 'generation_timeout'
  | 'generation_cancelled'
  | 'generation_failed'
  | 'download_failed'
  | 'audit_unavailable'
  | 'audit_corrupt'
  | 'audit_record_not_found'
  | 'directory_unavailable'
  | 'identity_ambiguous'
  | 'internal';

const retryableByDefault: ReadonlySet<ErrorCode> = new Set(['file_unreadable', 'source_unreachable', 'index_unavailable', 'model_busy', 'connector_busy', 'state_unavailable', 'generation_failed', 'download_failed', 'directory_unavailable', 'queue_unavailable']);

export class DocentError extends Error {
  /** Stable machine-readable code; never reworded once published. */
  readonly code: ErrorCode;
  /** Whether the same operation may succeed if tried again later. */
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DocentError';
    this.code = code;
    this.retryable = options.retryable ?? retryableByDefault.has(code);
  }
}

export function isDocentError(error: unknown): error is DocentError {
  return error instanceof DocentError;
}

/** A one-line human explanation of any thrown value, for reports and logs. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}

/** The model is answering as many questions as it may queue; the asker should try again later. */
export class ModelBusyError extends DocentError {
  /** A fair estimate of when a slot frees up, for "try again in N s". */
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number, message = `The language model is busy; try again in ${retryAfterSeconds} s.`) {
    super('model_busy', message, { retryable: true });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
