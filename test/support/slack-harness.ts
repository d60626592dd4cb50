/**
 * The Slack surface started for real (Bolt, its Web API client, its receivers) against
 * the local Slack stand-in, with a scripted answer engine: what the end-to-end tests and
 * the chat benchmark share.
 */
import { slackSchema, type ChannelsConfig } from '../../src/config/schema.js';
import type { AnswerEngine } from '../../src/core/answer-engine.js';
import type { FeedbackRecorder } from '../../src/core/feedback.js';
import type { SlackSurfaceLogger } from '../../src/chat/slack/slack-logger.js';
import { startSlackSurface, type SlackSurface, type SlackSurfaceOptions } from '../../src/chat/slack/slack-surface.js';
import type { SlackApiCall, SlackStandIn } from './slack-stand-in.js';

export const slackTokens = {
  botToken: 'xoxb-0001-test-bot-token',
  appToken: 'xapp-1-A0001-test-app-token',
  signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
};

export const slackUsers = {
  UANN: { name: 'ann', email: 'ann@acme.example' },
  UBOB: { name: 'bob', email: 'bob@acme.example' },
  UCAROL: { name: 'carol' },
};

/** Keeps what the surface logged, for assertions; prints nothing. */
export class RecordingLogger implements SlackSurfaceLogger {
  readonly lines: Array<{ level: string; details: object; message: string }> = [];
  debug(details: object, message: string): void {
    this.lines.push({ level: 'debug', details, message });
  }
  info(details: object, message: string): void {
    this.lines.push({ level: 'info', details, message });
  }
  warn(details: object, message: string): void {
    this.lines.push({ level: 'warn', details, message });
  }
  error(details: object, message: string): void {
    this.lines.push({ level: 'error', details, message });
  }
  /** Error lines as `message {details}`. */
  get errors(): string[] {
    return this.lines.filter((line) => line.level === 'error').map((line) => `${line.message} ${JSON.stringify(line.details)}`);
  }
}

export interface HarnessOptions {
  standIn: SlackStandIn;
  engine: AnswerEngine;
  mode: 'socket' | 'http';
  feedback?: FeedbackRecorder;
  updateIntervalMs?: number;
  /** `channels` settings (largest channel whose members' common access is used). */
  channels?: ChannelsConfig;
  logger?: SlackSurfaceLogger;
  extra?: Partial<SlackSurfaceOptions>;
}

export async function startSlackSurfaceForTest(options: HarnessOptions): Promise<{ surface: SlackSurface; eventsUrl: string | undefined }> {
  const slack = slackSchema.parse({
    mode: options.mode,
    http: { host: '127.0.0.1', port: 0, path: '/slack/events' },
    apiUrl: options.standIn.apiUrl,
    updateIntervalMs: options.updateIntervalMs ?? 300,
    publicUrl: 'https://docent.acme.example',
  });
  const surface = await startSlackSurface({
    engine: options.engine,
    ...(options.feedback ? { feedback: options.feedback } : {}),
    config: { slack, ...(options.channels ? { channels: options.channels } : {}) },
    environment: { DOCENT_SLACK_BOT_TOKEN: slackTokens.botToken, DOCENT_SLACK_APP_TOKEN: slackTokens.appToken, DOCENT_SLACK_SIGNING_SECRET: slackTokens.signingSecret },
    logger: options.logger ?? new RecordingLogger(),
    // Fast retries keep the tests short; the policy's shape is the production one.
    webApiRetries: { retries: 4, factor: 2, minTimeout: 50, maxTimeout: 400 },
    ...options.extra,
  });
  const eventsUrl = surface.address ? `http://127.0.0.1:${surface.address.port}/slack/events` : undefined;
  return { surface, eventsUrl };
}

export interface ThreadReply {
  placeholder: SlackApiCall;
  /** chat.update calls that Slack accepted for the reply, in order. */
  updates: SlackApiCall[];
}

/** The bot's reply in a thread (or at the top level of a channel when `threadTs` is undefined), if posted. */
export function replyIn(standIn: SlackStandIn, channel: string, threadTs: string | undefined): ThreadReply | undefined {
  const placeholder = standIn.calls.find((call) => call.method === 'chat.postMessage' && call.status === 200 && call.result?.ok === true && call.params.channel === channel && call.params.thread_ts === threadTs);
  if (!placeholder) return undefined;
  const ts = placeholder.result?.ts;
  const updates = standIn.calls.filter((call) => call.method === 'chat.update' && call.status === 200 && call.params.channel === channel && call.params.ts === ts);
  return { placeholder, updates };
}

/** Waits until the reply shows its final version: the answer or an apology, not a partial text. */
export function waitForFinishedReply(standIn: SlackStandIn, channel: string, threadTs: string | undefined, timeoutMs = 10_000): Promise<ThreadReply> {
  return standIn.waitFor(
    () => {
      const reply = replyIn(standIn, channel, threadTs);
      const last = reply?.updates.at(-1);
      return reply && last && !String(last.params.text).endsWith(' …') ? reply : undefined;
    },
    timeoutMs,
    `the finished reply in ${channel} ${threadTs ?? '(top level)'}`,
  );
}

export const sleep = (milliseconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** Polls `check` until it holds, for state that changes without Slack traffic (a connection's status). */
export async function until(check: () => boolean, timeoutMs = 10_000, what = 'the condition'): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}
