import { fork } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createTeamsSurface } from '../src/chat/teams/teams-surface.js';
import { teamsSchema } from '../src/config/schema.js';
import type { AnswerEngine } from '../src/core/answer-engine.js';
import { nextMessage } from './child-driver.js';
import { summarise, TimedEngine, type ChatLoadResult, type QuestionTiming } from './chat-load.js';
import type { TeamsDriverMessage, TeamsLoadRun } from './teams-load-driver.js';

export interface TeamsChatLoadOptions {
  engine: AnswerEngine;
  questions: string[];
  users: number;
  total: number;
  /** Questions asked, untimed, before the timed run (default: two per user). */
  warmUp?: number;
  /** Give up on a question after this long (default 60 s). */
  timeoutMs?: number;
}

const quiet = { info: () => undefined, warn: () => undefined, error: (details: object, message: string) => console.error(message, details) };

/**
 * The Teams surface under load: the real botbuilder CloudAdapter behind Docent's endpoint
 * in this process, answering with the given engine, and the Bot Framework connector
 * service (the local stand-in) with the simulated users in a child process
 * (bench/teams-load-driver.ts), as both are other machines in production. Each user
 * writes to the bot in a personal chat, each question as real activity JSON over HTTP;
 * its clock starts as the POST is sent and stops when the stand-in receives the typing
 * indicator (first visible reply) and the Adaptive Card (final answer). The stand-in
 * answers at once: the figures hold Docent's own time, not a network's.
 */
export async function runTeamsChatLoad(options: TeamsChatLoadOptions): Promise<ChatLoadResult> {
  const child = fork(fileURLToPath(new URL('./teams-load-driver.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, TEAMS_LOAD_USERS: String(options.users) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await nextMessage<TeamsDriverMessage, 'ready'>(child, 'ready');
  const engine = new TimedEngine(options.engine, (question) => question.conversation?.channelId ?? '');
  const surface = createTeamsSurface({ engine, config: teamsSchema.parse({ allowUnauthenticated: true }), logger: quiet });
  const server = http.createServer((request, response) => void surface.handleRequest(request, response));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const run: TeamsLoadRun = {
      type: 'run',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`,
      questions: options.questions,
      users: options.users,
      total: options.total,
      warmUp: options.warmUp ?? options.users * 2,
      timeoutMs: options.timeoutMs ?? 60_000,
    };
    const started = performance.now();
    child.send(run);
    const { records } = await nextMessage<TeamsDriverMessage, 'done'>(child, 'done');
    const wallMs = performance.now() - started;
    // Engine times were taken in this process: absolute times (timeOrigin + now) line them up with the driver's.
    const timings: QuestionTiming[] = records.map((record) => {
      const engineMs = engine.engineMs.get(record.conversationId);
      const engineStartedAt = engine.startedAt.get(record.conversationId);
      return {
        firstReplyMs: (record.firstAt ?? record.finalAt) - record.sentAt,
        finalAnswerMs: record.finalAt - record.sentAt,
        ...(engineMs !== undefined && engineStartedAt !== undefined ? { engineMs, beforeEngineMs: performance.timeOrigin + engineStartedAt - record.sentAt } : {}),
      };
    });
    return summarise('Microsoft Teams (Bot Framework)', options.users, { timings, failures: options.total - records.length, wallMs });
  } finally {
    await surface.close();
    server.closeAllConnections();
    server.close();
    child.send({ type: 'close' });
    await once(child, 'exit');
  }
}
