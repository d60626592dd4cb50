import type { Asker } from '../core/access.js';
import type { Answer } from '../core/answer.js';
import type { AnswerEngine, AskOptions, Question } from '../core/answer-engine.js';
import { DocentError, describeError, isDocentError } from '../core/errors.js';
import { answerRecordContent, failedAnswerRecordContent } from './answer-record.js';
import { redactionKinds, type AuditContent, type AuditRecord, type RedactionKind } from './audit-record.js';
import { redactFields } from './redaction.js';

/** What the audited engine needs of the log: `AuditLog` in production. */
export interface AuditRecorder {
  /** Resolves once the record is durably stored. */
  append(content: AuditContent): Promise<AuditRecord>;
  findRecord(id: string): Promise<AuditRecord | undefined>;
}

export interface AuditedAnswerEngineOptions {
  /** Personal data removed from questions, answers and comments before they are stored; default all kinds. */
  redact?: readonly RedactionKind[];
  /**
   * Pass the model's partial text on while it writes. Off by default: text shown while it
   * is written reaches the asker before the answer is recorded, which a strict audit
   * forbids.
   */
  streamBeforeRecorded?: boolean;
}

/**
 * Wraps any answer engine so that no answer reaches a chat surface unrecorded: it asks
 * the inner engine, appends the record durably, and only then returns the answer, its
 * `id` set to the record's. When the record cannot be written the asker gets an error,
 * not an unrecorded answer. Questions that fail are recorded too.
 */
export class AuditedAnswerEngine implements AnswerEngine {
  private readonly redact: readonly RedactionKind[];
  private readonly streamBeforeRecorded: boolean;
  /** Ids of answers recorded by this process, newest last: feedback mostly follows an answer closely, and the log is large. */
  private readonly recentAnswers = new Set<string>();

  constructor(
    private readonly inner: AnswerEngine,
    private readonly recorder: AuditRecorder,
    options: AuditedAnswerEngineOptions = {},
  ) {
    this.redact = options.redact ?? redactionKinds;
    this.streamBeforeRecorded = options.streamBeforeRecorded ?? false;
  }

  async ask(question: Question, options: AskOptions = {}): Promise<Answer> {
    const started = performance.now();
    const innerOptions: AskOptions = {};
    if (options.signal) innerOptions.signal = options.signal;
    if (options.onPartialText && this.streamBeforeRecorded) innerOptions.onPartialText = options.onPartialText;
    let answer: Answer;
    try {
      answer = await this.inner.ask(question, innerOptions);
    } catch (error) {
      const failure = { code: isDocentError(error) ? error.code : 'internal', message: describeError(error) };
      // The asker learns of the failure either way; a failure to record it must not hide the original error.
      await this.recorder.append(failedAnswerRecordContent(question, failure, elapsedSince(started), this.redact)).catch(() => undefined);
      throw error;
    }
    let record: AuditRecord;
    try {
      record = await this.recorder.append(answerRecordContent(question, answer, elapsedSince(started), this.redact));
    } catch (error) {
      throw new DocentError('audit_unavailable', `the answer was not shown because it could not be recorded: ${describeError(error)}`, { cause: error, retryable: true });
    }
    this.recentAnswers.add(record.id);
    if (this.recentAnswers.size > recentAnswerLimit) this.recentAnswers.delete(this.recentAnswers.values().next().value!);
    return { ...answer, id: record.id };
  }

  /** Records an asker's rating of an answer; the answer must be in the log. */
  async recordFeedback(answerId: string, asker: Asker, rating: 'up' | 'down', comment?: string, platform?: string): Promise<AuditRecord> {
    if (rating !== 'up' && rating !== 'down') throw new DocentError('invalid_request', `a rating is "up" or "down", not "${String(rating)}"`);
    const known =
      this.recentAnswers.has(answerId) ||
      (await this.recorder.findRecord(answerId).then(
        (record) => record?.type === 'answer',
        (error: unknown) => {
          throw new DocentError('audit_unavailable', `the feedback was not recorded: ${describeError(error)}`, { cause: error, retryable: true });
        },
      ));
    if (!known) throw new DocentError('audit_record_not_found', `no answer with id ${answerId} is in the audit log`);
    const { values, redactions } = redactFields({ comment }, this.redact);
    const content: AuditContent = { type: 'feedback', answerId, asker: { id: asker.id, principals: [...asker.principals] }, rating, redactions };
    if (values.comment !== undefined && values.comment !== '') content.comment = values.comment;
    if (platform) content.platform = platform;
    return this.appendOrFail(content, 'the feedback was not recorded');
  }

  /** Records something an administrator did (connector or model changes, exports, legal holds). */
  recordAdminAction(actor: string, action: string, details: Record<string, unknown>): Promise<AuditRecord> {
    return this.appendOrFail({ type: 'admin', actor, action, details }, `the action ${action} was not recorded`);
  }

  private async appendOrFail(content: AuditContent, failure: string): Promise<AuditRecord> {
    try {
      return await this.recorder.append(content);
    } catch (error) {
      throw new DocentError('audit_unavailable', `${failure}: ${describeError(error)}`, { cause: error, retryable: true });
    }
  }
}

const recentAnswerLimit = 10_000;

function elapsedSince(started: number): number {
  return Math.round(performance.now() - started);
}
