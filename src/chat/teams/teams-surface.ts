import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { CloudAdapter, type Request as BotRequest, type Response as BotResponse } from 'botbuilder';
import type { FastifyInstance } from 'fastify';
import type { TeamsConfig } from '../../config/schema.js';
import type { AnswerEngine } from '../../core/answer-engine.js';
import { describeError } from '../../core/errors.js';
import type { FeedbackRecorder } from '../../core/feedback.js';
import { ConversationMemory, type ConversationMemoryOptions } from '../conversation-memory.js';
import { DeliveryState, type TeamsSurfaceState } from './delivery-state.js';
import { readJsonBody } from './http-json-body.js';
import { InFlightWork } from './in-flight-work.js';
import { silentLogger, type SurfaceLogger } from './surface-logger.js';
import { TeamsAskerResolver, type AudienceResolver, type PrincipalResolver } from './teams-asker.js';
import { TeamsMembers } from './teams-members.js';
import { isLocalServiceUrl, teamsAuthentication, type BotFrameworkAuthentication } from './teams-authentication.js';
import { TeamsBot } from './teams-bot.js';

export type { TeamsSurfaceState } from './delivery-state.js';
export type { AudienceResolver, PrincipalResolver } from './teams-asker.js';
export type { SurfaceLogger } from './surface-logger.js';
export { teamsConfigured } from './teams-authentication.js';

export interface TeamsSurfaceOptions {
  /** Answers every question; the Teams surface only translates. */
  engine: AnswerEngine;
  /** Where 👍/👎 clicks go; without one they are logged and dropped. */
  feedback?: FeedbackRecorder;
  /** The `teams` section of the settings. */
  config: TeamsConfig;
  logger?: SurfaceLogger;
  /** The directory: principals (groups) of a Teams user beyond `user:<AAD object id>` and `user:<UPN>`. */
  resolvePrincipals?: PrincipalResolver;
  /**
   * Who reads answers in group chats and channels (the `channels` policy applied to the
   * members Teams lists). Without it those answers use documents open to everyone only.
   */
  resolveAudience?: AudienceResolver;
  /** Where DOCENT_TEAMS_APP_PASSWORD is read; `process.env` by default. */
  environment?: NodeJS.ProcessEnv;
  /** Conversation memory, or its bounds (defaults: 6 turns, 1000 conversations, 1 hour). */
  conversations?: ConversationMemory | ConversationMemoryOptions;
  /** Replaces the authentication built from `config` (sovereign clouds, tests). */
  authentication?: BotFrameworkAuthentication;
  /** How often the typing indicator is repeated while an answer is written (default 3000 ms). */
  typingIntervalMs?: number;
  /** Largest accepted activity in bytes (default 1 MiB). */
  bodyLimitBytes?: number;
  /** How long `close()` lets answers in progress finish before stopping them (default 10 s). */
  shutdownGraceMs?: number;
}

/** A request as any HTTP framework presents it, the body already parsed from JSON. */
export interface TeamsHttpRequest {
  method: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface TeamsHttpResponse {
  status: number;
  /** JSON body (an invoke response), or a short text; absent for a plain acknowledgement. */
  body?: unknown;
}

export interface TeamsSurface {
  /** Where the Bot Framework posts activities (`teams.path`, default `/api/messages`). */
  readonly path: string;
  /** Handles one activity; for frameworks that parse JSON themselves. */
  handleActivity(request: TeamsHttpRequest): Promise<TeamsHttpResponse>;
  /** Node's own `http` request handler, for a server of its own: `http.createServer(surface.handleRequest)`. */
  handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** Adds `POST <path>` to a Fastify app (such as the web chat's) before it listens. */
  register(app: FastifyInstance): void;
  /** For `GET /readyz`: whether replies are reaching Teams. */
  state(): TeamsSurfaceState;
  /** Resolves once every answer taken on so far has been posted (or apologised for). */
  settled(): Promise<void>;
  /** Stops taking questions, lets answers in progress finish (up to the grace time), then stops them. */
  close(): Promise<void>;
}

/** What one HTTP request's turn can tell the surface, wherever in botbuilder it runs. */
interface RequestScope {
  /** Lets the request be answered before the turn ends. */
  acknowledge(): void;
  /** Why authentication refused the request, if it did. */
  authenticationFailure?: string;
}

/** Collects what CloudAdapter writes through the Express-like response it expects. */
function collectingResponse(): { response: BotResponse; result: TeamsHttpResponse } {
  const result: TeamsHttpResponse = { status: 200 };
  const response: BotResponse = {
    socket: undefined,
    status(code: number) {
      result.status = code;
    },
    header() {},
    send(body: unknown) {
      result.body = body;
    },
    end() {},
  };
  return { response, result };
}

function describeEndpoint(config: TeamsConfig, path: string): string {
  if (!config.appId) return `${path}, unauthenticated (local Bot Framework Emulator and tests only)`;
  return `${path}, app ${config.appId} (${config.appType}${config.tenantId ? `, tenant ${config.tenantId}` : ''})`;
}

/**
 * Microsoft Teams: the Bot Framework messaging endpoint, served by botbuilder's
 * `CloudAdapter`, over the shared answer engine.
 */
export function createTeamsSurface(options: TeamsSurfaceOptions): TeamsSurface {
  const { config } = options;
  const logger = options.logger ?? silentLogger;
  const authentication = options.authentication ?? teamsAuthentication(config, options.environment);
  // Keyed by the activity object: botbuilder hands the parsed body itself to authentication
  // and to the turn. (AsyncLocalStorage would do too, but turns on promise hooks for the
  // whole process on Node 20, the answer engine included.)
  const requests = new WeakMap<object, RequestScope>();
  recordAuthenticationFailures(authentication, requests);
  const adapter = new CloudAdapter(authentication);
  const path = config.path;
  const bodyLimitBytes = options.bodyLimitBytes ?? 1024 * 1024;
  const delivery = new DeliveryState(describeEndpoint(config, path));
  const work = new InFlightWork();
  const memory = options.conversations instanceof ConversationMemory ? options.conversations : new ConversationMemory(options.conversations);
  const askerOptions: ConstructorParameters<typeof TeamsAskerResolver>[0] = { logger };
  if (options.resolvePrincipals) askerOptions.resolvePrincipals = options.resolvePrincipals;
  const bot = new TeamsBot({
    acknowledge: (activity) => requests.get(activity)?.acknowledge(),
    engine: options.engine,
    ...(options.feedback ? { feedback: options.feedback } : {}),
    memory,
    askers: new TeamsAskerResolver(askerOptions),
    ...(options.resolveAudience ? { resolveAudience: options.resolveAudience } : {}),
    members: new TeamsMembers(),
    work,
    delivery,
    logger,
    card: config.publicUrl ? { publicUrl: config.publicUrl } : {},
    typingIntervalMs: options.typingIntervalMs ?? 3000,
  });
  // The bot catches its own failures; anything reaching here is a bug, and a 500 would only make Teams redeliver.
  adapter.onTurnError = async (context, error) => {
    logger.error({ activityType: context.activity.type, error: describeError(error) }, 'Teams turn failed');
  };
  const unauthenticated = !options.authentication && !config.appId;

  async function handleActivity(request: TeamsHttpRequest): Promise<TeamsHttpResponse> {
    if (request.method !== 'POST') return { status: 405 };
    if (typeof request.body !== 'object' || request.body === null || Array.isArray(request.body) || typeof (request.body as { type?: unknown }).type !== 'string') {
      return { status: 400, body: 'Expected an activity: a JSON object with a type.' };
    }
    if (unauthenticated && !isLocalServiceUrl((request.body as { serviceUrl?: unknown }).serviceUrl)) {
      delivery.rejected();
      return { status: 401, body: 'Unauthenticated mode answers only activities whose serviceUrl is on this machine.' };
    }
    const { response, result } = collectingResponse();
    const botRequest: BotRequest = { method: 'POST', headers: request.headers as BotRequest['headers'], body: request.body as Record<string, unknown> };
    let acknowledge = (): void => undefined;
    const acknowledged = new Promise<'acknowledged'>((resolve) => (acknowledge = () => resolve('acknowledged')));
    const scope: RequestScope = { acknowledge };
    requests.set(request.body, scope);
    const turn = adapter.process(botRequest, response, (context) => bot.onTurn(context));
    if ((await Promise.race([turn.then(() => 'done' as const), acknowledged])) === 'acknowledged') {
      // A question: the turn goes on answering it; Teams only needs to know the activity arrived.
      turn.catch((error: unknown) => logger.error({ error: describeError(error) }, 'Teams turn failed'));
      return { status: 200 };
    }
    if (scope.authenticationFailure !== undefined) {
      delivery.rejected();
      logger.warn({ reason: scope.authenticationFailure }, 'rejected a Teams request that is not from the Bot Framework');
      return { status: 401, body: 'Unauthorized.' };
    }
    return result;
  }

  async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let result: TeamsHttpResponse;
    try {
      const body = request.method === 'POST' ? await readJsonBody(request, bodyLimitBytes) : undefined;
      if (!body) {
        request.resume();
        result = { status: 405 };
      } else if (!body.ok) result = { status: body.status, body: body.message };
      else result = await handleActivity({ method: 'POST', headers: request.headers, body: body.value });
    } catch (error) {
      logger.error({ error: describeError(error) }, 'Teams request failed');
      result = { status: 500 };
    }
    if (!response.headersSent) writeResult(response, result);
  }

  return {
    path,
    handleActivity,
    handleRequest,
    register(app) {
      app.post(path, { bodyLimit: bodyLimitBytes }, async (request, reply) => {
        const result = await handleActivity({ method: request.method, headers: request.headers, body: request.body });
        reply.code(result.status).header('cache-control', 'no-store');
        if (result.body === undefined) return reply.send();
        return typeof result.body === 'string' ? reply.type('text/plain; charset=utf-8').send(result.body) : reply.send(result.body);
      });
    },
    state: () => delivery.state(),
    settled: () => work.settled(),
    close: () => work.close(options.shutdownGraceMs ?? 10_000),
  };
}

/**
 * botbuilder answers 401 only for its own `AuthenticationError`; a token with a bad
 * signature fails inside jsonwebtoken and comes out as 500. Every failure of the
 * authentication step is noted here so the surface can answer 401 for all of them.
 */
function recordAuthenticationFailures(authentication: BotFrameworkAuthentication, requests: WeakMap<object, RequestScope>): void {
  const authenticateRequest = authentication.authenticateRequest.bind(authentication);
  authentication.authenticateRequest = async (activity, authorization) => {
    try {
      return await authenticateRequest(activity, authorization);
    } catch (error) {
      const scope = requests.get(activity);
      if (scope) scope.authenticationFailure = describeError(error);
      throw error;
    }
  };
}

function writeResult(response: ServerResponse, result: TeamsHttpResponse): void {
  response.setHeader('cache-control', 'no-store');
  if (result.body === undefined) {
    response.writeHead(result.status).end();
    return;
  }
  const isText = typeof result.body === 'string';
  const payload = isText ? (result.body as string) : JSON.stringify(result.body);
  response.writeHead(result.status, { 'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8' }).end(payload);
}
