import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { createTeamsSurface } from '../src/chat/teams/teams-surface.js';
import { teamsSchema } from '../src/config/schema.js';
import type { AnswerEngine } from '../src/core/answer-engine.js';
import { personalMessage, postActivity, teamsUser } from '../test/support/bot-framework-activities.js';
import { startBotFrameworkConnectorStandIn, type ConnectorRequest } from '../test/support/bot-framework-connector-stand-in.js';
import { runUsers, summarise, TimedEngine, type ChatLoadResult, type QuestionTiming } from './chat-load.js';

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
 * The Teams surface under load: the real botbuilder CloudAdapter behind Docent's
 * endpoint, replying to the local stand-in of the Bot Framework connector service. Each
 * simulated user writes to the bot in a personal chat, each question as real activity JSON
 * over HTTP; its clock starts as the POST is sent and stops when the stand-in receives the
 * typing indicator (first visible reply) and the Adaptive Card (final answer). Each
 * question is its own conversation, so the engine gets no history to widen the query and
 * retrieves as it does when called directly. The stand-in answers at once: the figures hold
 * Docent's own time, not a network's.
 */
export async function runTeamsChatLoad(options: TeamsChatLoadOptions): Promise<ChatLoadResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const users = Array.from({ length: options.users }, (_, user) => teamsUser(`user${user}`, `User ${user}`, `0a1b2c3d-0000-4000-8000-${String(user).padStart(12, '0')}`));
  const connector = await startBotFrameworkConnectorStandIn({ members: users.map((user) => ({ ...user })) });
  const engine = new TimedEngine(options.engine, (question) => question.conversation?.channelId ?? '');
  const surface = createTeamsSurface({ engine, config: teamsSchema.parse({ allowUnauthenticated: true }), logger: quiet });
  const server = http.createServer((request, response) => void surface.handleRequest(request, response));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;

  /** Questions in flight by activity id. */
  const inFlight = new Map<string, { firstAt?: number; resolve: (finalAt: number | undefined) => void }>();
  connector.onRequest = (request: ConnectorRequest) => {
    // The stand-in keeps every request for tests; here that would only grow memory.
    connector.requests.length = 0;
    const question = request.activityId ? inFlight.get(request.activityId) : undefined;
    if (!question) return;
    if (request.body?.type === 'typing') question.firstAt ??= request.receivedAt;
    // A message without a card is an apology: counted as a failure.
    else if (request.body?.type === 'message') question.resolve(request.body.attachments ? request.receivedAt : undefined);
  };

  const ask = async (user: number, text: string, index: number): Promise<QuestionTiming | undefined> => {
    const message = personalMessage(connector.serviceUrl, users[user]!, text);
    const conversationId = `${message.conversation.id}-${index}`;
    const activity = { ...message, conversation: { ...message.conversation, id: conversationId } };
    const sentAt = performance.now();
    const entry: { firstAt?: number; resolve: (finalAt: number | undefined) => void } = { resolve: () => undefined };
    const finished = new Promise<number | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      entry.resolve = (finalAt) => {
        clearTimeout(timer);
        resolve(finalAt);
      };
    });
    inFlight.set(activity.id, entry);
    try {
      const response = await postActivity(endpoint, activity);
      if (response.status !== 200) return undefined;
      const finalAt = await finished;
      if (finalAt === undefined) return undefined;
      const timing: QuestionTiming = { firstReplyMs: (entry.firstAt ?? finalAt) - sentAt, finalAnswerMs: finalAt - sentAt };
      const engineMs = engine.engineMs.get(conversationId);
      const engineStartedAt = engine.startedAt.get(conversationId);
      if (engineMs !== undefined && engineStartedAt !== undefined) Object.assign(timing, { engineMs, beforeEngineMs: engineStartedAt - sentAt });
      return timing;
    } finally {
      inFlight.delete(activity.id);
      engine.engineMs.delete(conversationId);
      engine.startedAt.delete(conversationId);
    }
  };

  try {
    // Untimed: member records cached, connections open, code paths warm. Indexes past the timed run's, so no question repeats a conversation.
    await runUsers(options.users, options.questions, options.warmUp ?? options.users * 2, (user, text, index) => ask(user, text, options.total + index));
    return summarise('Microsoft Teams (Bot Framework)', options.users, await runUsers(options.users, options.questions, options.total, ask));
  } finally {
    await surface.close();
    server.closeAllConnections();
    server.close();
    await connector.close();
  }
}
