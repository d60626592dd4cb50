import type { Asker } from './access.js';

/** A thumbs up or down on one answer, from whoever saw it. */
export interface Feedback {
  /** `Answer.id` of the answer rated. */
  answerId: string;
  asker: Asker;
  rating: 'up' | 'down';
  /** Free text, when the surface collects it. */
  comment?: string;
  /** `web`, `slack`, `teams`. */
  platform: string;
}

/** Where chat surfaces send feedback; the audit log records it against the answer. */
export interface FeedbackRecorder {
  recordFeedback(feedback: Feedback): Promise<void>;
}
