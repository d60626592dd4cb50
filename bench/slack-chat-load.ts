import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { slackSchema } from '../src/config/schema.js';
import type { AnswerEngine } from '../src/core/answer-engine.js';
import { startSlackSurface } from '../src/chat/slack/slack-surface.js';
import { slackTokens } from '../test/support/slack-harness.js';
import { nextMessage } from './child-driver.js';
import { summarise, TimedEngine, type ChatLoadResult, type QuestionTiming } from './chat-load.js';
import type { DriverMessage, LoadRun } from './slack-load-driver.js';

export interface SlackChatLoadOptions {
  engine: AnswerEngine;
  questions: string[];
  users: number;
  total: number;
  mode: 'socket' | 'http';
  /** Questions asked, untimed, before the timed run; one per user by default. */
  warmUp?: number;
  /** Give up on a question after this long. */
  timeoutMs?: number;
}

const quiet = { info: () => undefined, warn: () => undefined, error: (details: object, message: string) => console.error(`slack: ${message} ${JSON.stringify(details)}`) };

/**
 * The Slack surface under load: the real Bolt app (Socket Mode or the HTTP Events API) in
 * this process, answering with the given engine, and Slack (the local stand-in) with the
 * simulated users in a child process (bench/slack-load-driver.ts), as Slack is another
 * machine in production. Each user @mentions the bot in a channel of their own; a
 * question's clock starts as its event is sent and stops when Slack receives the
 * placeholder (first visible reply) and the final Block Kit edit.
 */
export async function runSlackChatLoad(options: SlackChatLoadOptions): Promise<ChatLoadResult> {
  const child = fork(fileURLToPath(new URL('./slack-load-driver.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, SLACK_LOAD_USERS: String(options.users) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { apiUrl } = await nextMessage<DriverMessage, 'ready'>(child, 'ready');
  const engine = new TimedEngine(options.engine, (question) => question.conversation?.threadId ?? '');
  const surface = await startSlackSurface({
    engine,
    config: { slack: slackSchema.parse({ mode: options.mode, http: { host: '127.0.0.1', port: 0 }, apiUrl }) },
    environment: { DOCENT_SLACK_BOT_TOKEN: slackTokens.botToken, DOCENT_SLACK_APP_TOKEN: slackTokens.appToken, DOCENT_SLACK_SIGNING_SECRET: slackTokens.signingSecret },
    logger: quiet,
  });
  try {
    const run: LoadRun = {
      type: 'run',
      mode: options.mode,
      ...(surface.address ? { eventsUrl: `http://127.0.0.1:${surface.address.port}/slack/events` } : {}),
      questions: options.questions,
      users: options.users,
      total: options.total,
      warmUp: options.warmUp ?? options.users,
      timeoutMs: options.timeoutMs ?? 60_000,
    };
    const started = performance.now();
    child.send(run);
    const { records } = await nextMessage<DriverMessage, 'done'>(child, 'done');
    const wallMs = performance.now() - started;
    // Engine times were taken in this process: absolute times (timeOrigin + now) line them up with the driver's.
    const timings: QuestionTiming[] = records.map((record) => {
      const engineMs = engine.engineMs.get(record.ts);
      const engineStartedAt = engine.startedAt.get(record.ts);
      const finalAt = record.finalAt ?? record.sentAt;
      return {
        firstReplyMs: (record.firstAt ?? finalAt) - record.sentAt,
        finalAnswerMs: finalAt - record.sentAt,
        ...(engineMs !== undefined && engineStartedAt !== undefined ? { engineMs, beforeEngineMs: performance.timeOrigin + engineStartedAt - record.sentAt } : {}),
      };
    });
    return summarise(options.mode === 'socket' ? 'Slack, Socket Mode' : 'Slack, HTTP Events API', options.users, { timings, failures: options.total - records.length, wallMs });
  } finally {
    await surface.stop();
    child.send({ type: 'close' });
    await once(child, 'exit');
  }
}
