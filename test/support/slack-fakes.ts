/**
 * Fakes of the interfaces the Slack surface depends on, implementing the real ones and
 * recording their calls: an answer engine that streams scripted text with delays, as a
 * language model would, and a feedback recorder.
 */
import type { Answer, Citation } from '../../src/core/answer.js';
import type { AnswerEngine, AskOptions, Question } from '../../src/core/answer-engine.js';
import type { Feedback, FeedbackRecorder } from '../../src/core/feedback.js';

export interface AnswerScript {
  /** Texts passed to onPartialText in turn, each after `partialDelayMs`. */
  partials?: string[];
  partialDelayMs?: number;
  /** Wait before answering (after the partials). */
  delayMs?: number;
  /** The answer; the default leave-policy answer when absent. */
  answer?: Partial<Answer>;
  /** Thrown instead of answering. */
  error?: Error;
}

export const leavePolicy: Citation = {
  number: 1,
  documentId: 'folder:handbook/leave-policy.pdf',
  chunkId: 'folder:handbook/leave-policy.pdf#4',
  title: 'Leave Policy 2026',
  uri: 'handbook/leave-policy.pdf',
  location: { page: 3 },
  headingPath: ['Annual leave'],
  locationLabel: 'page 3',
  excerpt: 'Full-time employees receive 25 working days of paid annual leave per calendar year.',
  readableByEveryone: true,
};

export const carryOver: Citation = {
  number: 2,
  documentId: 'wiki:hr/carry-over',
  chunkId: 'wiki:hr/carry-over#1',
  title: 'Carrying leave over <& why>',
  uri: 'https://wiki.acme.example/hr/carry-over',
  location: {},
  headingPath: ['Time off', 'Carrying leave over'],
  locationLabel: 'Time off › Carrying leave over',
  excerpt: 'Up to 5 unused days may be carried over into the next year.',
  readableByEveryone: true,
};

export function sampleAnswer(question: string, overrides: Partial<Answer> = {}): Answer {
  return {
    id: 'ans_0001',
    question,
    notFound: false,
    text: 'You get 25 days of annual leave [1], and up to 5 unused days carry over [2].',
    sentences: [
      { text: 'You get 25 days of annual leave.', citations: [1] },
      { text: 'Up to 5 unused days carry over.', citations: [2] },
    ],
    citations: [leavePolicy, carryOver],
    generator: 'test-model',
    elapsedMs: 5,
    ...overrides,
  };
}

/** Waits, or rejects as soon as the signal aborts, as a real engine stops retrieval and generation. */
function sleep(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const abort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, milliseconds);
    signal?.addEventListener('abort', abort, { once: true });
  });
}

export class ScriptedAnswerEngine implements AnswerEngine {
  readonly questions: Question[] = [];
  /** performance.now() when each question arrived. */
  readonly askedAt: number[] = [];

  constructor(private readonly script: (question: Question) => AnswerScript = () => ({})) {}

  async ask(question: Question, options: AskOptions = {}): Promise<Answer> {
    this.questions.push(question);
    this.askedAt.push(performance.now());
    const script = this.script(question);
    let soFar = '';
    for (const partial of script.partials ?? []) {
      await sleep(script.partialDelayMs ?? 0, options.signal);
      options.signal?.throwIfAborted();
      soFar = partial;
      options.onPartialText?.(soFar);
    }
    if (script.delayMs) await sleep(script.delayMs, options.signal);
    options.signal?.throwIfAborted();
    if (script.error) throw script.error;
    return sampleAnswer(question.text, script.answer);
  }
}

export class RecordingFeedback implements FeedbackRecorder {
  readonly feedback: Feedback[] = [];
  failNext = false;

  async recordFeedback(feedback: Feedback): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('audit log unavailable');
    }
    this.feedback.push(feedback);
  }
}
