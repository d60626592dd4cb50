import type { Feedback, FeedbackRecorder } from '../core/feedback.js';
import type { AuditedAnswerEngine } from './audited-answer-engine.js';

/**
 * What chat surfaces are given to record 👍/👎: feedback becomes a record in the audit
 * log that names the answer. An answer id the log does not hold fails with
 * `audit_record_not_found`.
 */
export function auditFeedbackRecorder(engine: AuditedAnswerEngine): FeedbackRecorder {
  return {
    async recordFeedback(feedback: Feedback): Promise<void> {
      await engine.recordFeedback(feedback.answerId, feedback.asker, feedback.rating, feedback.comment, feedback.platform);
    },
  };
}
