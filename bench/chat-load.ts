import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AnswerEngine, Question } from '../src/core/answer-engine.js';

/**
 * What every chat surface's load run shares (`npm run bench:chat`): simulated users each
 * asking their questions one after another (the next once the last was answered), the
 * timings they saw, and the answer engine called the same way with no surface at all,
 * which is the limit a surface can approach.
 */

/** Milliseconds one question took, from the moment it was sent. */
export interface QuestionTiming {
  /** Until something visible came back: the placeholder, a typing indicator, or the answer itself. */
  firstReplyMs: number;
  /** Until the final answer was shown. */
  finalAnswerMs: number;
  /** Time the answer engine itself spent inside that, when known; the rest is the surface's overhead. */
  engineMs?: number;
  /** From sending until the engine was called: receiving, parsing, resolving the asker. */
  beforeEngineMs?: number;
}

export interface Percentiles {
  p50: number;
  p95: number;
}

export interface ChatLoadResult {
  /** e.g. `answer engine (direct)`, `Slack, Socket Mode`. */
  path: string;
  questions: number;
  users: number;
  firstReply: Percentiles;
  finalAnswer: Percentiles;
  /** Per question: final answer time minus the engine's own time within it. */
  overhead?: Percentiles;
  /** The part of the overhead before the engine was called; the rest came after it answered. */
  overheadBeforeEngine?: Percentiles;
  overheadAfterEngine?: Percentiles;
  /** Questions that ended without an answer (an apology or a timeout). */
  failures: number;
  wallMs: number;
  /** The Docent process's event loop during the run (see `withEventLoopDelay`). */
  eventLoop?: EventLoopLoad;
}

export interface EventLoopLoad {
  /** How late (ms) a timer due every 10 ms ran: the wait anything arriving (an HTTP request, a WebSocket frame) had before it could be handled. */
  delayP50: number;
  delayP99: number;
  delayMax: number;
  /** Share of the run the loop spent running code rather than waiting for events. */
  utilisation: number;
}

/**
 * Runs a load and records what the Docent process's event loop went through meanwhile, so a
 * tail in a surface's overhead can be told apart: synchronous work on the loop shows as
 * delay with the loop busy; a machine short of CPU shows as delay with the loop mostly idle.
 */
export async function withEventLoopDelay(run: () => Promise<ChatLoadResult>): Promise<ChatLoadResult> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  const utilisationBefore = performance.eventLoopUtilization();
  histogram.enable();
  try {
    const result = await run();
    const milliseconds = (nanoseconds: number): number => nanoseconds / 1e6;
    return {
      ...result,
      eventLoop: {
        // The histogram counts the timer's resolution in; what is left is the delay.
        delayP50: Math.max(0, milliseconds(histogram.percentile(50)) - 10),
        delayP99: Math.max(0, milliseconds(histogram.percentile(99)) - 10),
        delayMax: Math.max(0, milliseconds(histogram.max) - 10),
        utilisation: performance.eventLoopUtilization(utilisationBefore).utilization,
      },
    };
  } finally {
    histogram.disable();
  }
}

export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * fraction) - 1))]!;
}

export function percentiles(values: number[]): Percentiles {
  return { p50: percentile(values, 0.5), p95: percentile(values, 0.95) };
}

/**
 * Runs `users` simulated users over `questions` (cycled so that each question is asked
 * about equally often): user u asks questions u, u + users, u + 2·users, … in turn.
 */
export async function runUsers(users: number, questions: string[], total: number, ask: (user: number, question: string, index: number) => Promise<QuestionTiming | undefined>): Promise<{ timings: QuestionTiming[]; failures: number; wallMs: number }> {
  const timings: QuestionTiming[] = [];
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: users }, async (_, user) => {
      for (let index = user; index < total; index += users) {
        const timing = await ask(user, questions[index % questions.length]!, index);
        if (timing) timings.push(timing);
        else failures += 1;
      }
    }),
  );
  return { timings, failures, wallMs: performance.now() - started };
}

export function summarise(path: string, users: number, run: { timings: QuestionTiming[]; failures: number; wallMs: number }): ChatLoadResult {
  const withEngine = run.timings.filter((timing) => timing.engineMs !== undefined);
  return {
    path,
    questions: run.timings.length + run.failures,
    users,
    firstReply: percentiles(run.timings.map((timing) => timing.firstReplyMs)),
    finalAnswer: percentiles(run.timings.map((timing) => timing.finalAnswerMs)),
    ...(withEngine.length > 0 ? { overhead: percentiles(withEngine.map((timing) => timing.finalAnswerMs - timing.engineMs!)) } : {}),
    ...(withEngine.some((timing) => timing.beforeEngineMs !== undefined)
      ? {
          overheadBeforeEngine: percentiles(withEngine.map((timing) => timing.beforeEngineMs ?? 0)),
          overheadAfterEngine: percentiles(withEngine.map((timing) => timing.finalAnswerMs - timing.engineMs! - (timing.beforeEngineMs ?? 0))),
        }
      : {}),
    failures: run.failures,
    wallMs: run.wallMs,
  };
}

/** The limit: each user calls the engine directly; what they see first is the first partial text, or the answer. */
export async function runDirectEngineLoad(engine: AnswerEngine, questions: string[], options: { users: number; total: number }): Promise<ChatLoadResult> {
  const run = await runUsers(options.users, questions, options.total, async (user, text) => {
    const question: Question = { text, asker: { id: `bench:user-${user}`, principals: ['everyone'] }, conversation: { platform: 'bench', visibility: 'private' } };
    const started = performance.now();
    let firstReplyMs: number | undefined;
    try {
      await engine.ask(question, { onPartialText: () => (firstReplyMs ??= performance.now() - started) });
    } catch {
      return undefined;
    }
    const finalAnswerMs = performance.now() - started;
    return { firstReplyMs: firstReplyMs ?? finalAnswerMs, finalAnswerMs, engineMs: finalAnswerMs };
  });
  return summarise('answer engine (direct)', options.users, run);
}

/**
 * Wraps an engine to time each question it answers, keyed by what the surface put in the
 * question (a thread id, a conversation id), so a surface's time can be split into the
 * engine's and its own.
 */
export class TimedEngine implements AnswerEngine {
  /** By key: how long the engine took. */
  readonly engineMs = new Map<string, number>();
  /** By key: when the engine was called (performance.now()). */
  readonly startedAt = new Map<string, number>();

  constructor(
    private readonly inner: AnswerEngine,
    private readonly keyOf: (question: Question) => string,
  ) {}

  async ask(...[question, options]: Parameters<AnswerEngine['ask']>): ReturnType<AnswerEngine['ask']> {
    const startedAt = performance.now();
    const key = this.keyOf(question);
    this.startedAt.set(key, startedAt);
    try {
      return await this.inner.ask(question, options);
    } finally {
      this.engineMs.set(key, performance.now() - startedAt);
    }
  }
}
