/**
 * A local stand-in of Slack for the real Bolt app: the Web API methods Docent calls, the
 * response URLs of slash commands and buttons, and the Socket Mode WebSocket. Written from
 * Slack's documented wire formats:
 *
 * - Web API: `POST /api/<method>` with the token as `Authorization: Bearer`, arguments
 *   form-encoded (objects such as `blocks` as JSON strings) or JSON; every reply is HTTP
 *   200 with `{ ok: true, ... }` or `{ ok: false, error }`, except rate limiting: HTTP 429
 *   with a `Retry-After` header in seconds.
 * - Response URLs: `POST` of a JSON message (`response_type`, `replace_original`,
 *   `delete_original`, `text`, `blocks`).
 * - Socket Mode: `apps.connections.open` (app-level token) returns a `wss://` URL (here
 *   `ws://`); the server greets with `{ type: "hello" }`, sends envelopes
 *   `{ envelope_id, type: "events_api" | "slash_commands" | "interactive", payload,
 *   accepts_response_payload, retry_attempt, retry_reason }`, and the app acknowledges
 *   each with `{ envelope_id, payload? }`.
 *
 * Everything received is recorded with its arrival time (performance.now()) so tests can
 * assert exact messages and their order, and benchmarks can measure latency.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface SlackApiCall {
  /** e.g. `chat.postMessage`. */
  method: string;
  /** The token the client presented. */
  token: string | undefined;
  /** Arguments, with JSON-encoded objects (blocks) decoded; `token` and `team_id` are kept apart. */
  params: Record<string, unknown>;
  /** `team_id`, which Bolt's client adds to every call it makes for a workspace. */
  teamId: string | undefined;
  /** What the stand-in answered (HTTP 200 bodies only). */
  result?: Record<string, unknown>;
  /** HTTP status sent back. */
  status: number;
  at: number;
}

export interface ResponseUrlPost {
  /** Which response URL: the id given to `responseUrl()`. */
  id: string;
  body: Record<string, unknown>;
  status: number;
  at: number;
}

export interface SocketAck {
  envelopeId: string;
  payload: Record<string, unknown> | undefined;
  at: number;
}

/** A failure answered instead of the next matching call; consumed when used. */
export interface ScriptedFailure {
  /** A Web API method, or `response_url`. */
  method: string;
  /** HTTP status: 429 (with `retryAfterSeconds`), 500, 503. Omitted: HTTP 200 with `{ ok: false, error }`. */
  status?: number;
  retryAfterSeconds?: number;
  /** The `error` of an `ok: false` reply. */
  error?: string;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  text?: string;
  blocks?: unknown;
  /** Every version the message had, first the posted one. */
  versions: Array<{ text?: string; blocks?: unknown }>;
}

export interface SlackStandInOptions {
  botToken: string;
  appToken: string;
  team?: { id: string; name: string };
  bot?: { userId: string; botId: string; name: string };
  /** Users `users.info` knows; others are `user_not_found`. */
  users?: Record<string, { name: string; email?: string; isBot?: boolean }>;
  /** Member ids per channel, for `conversations.members`; tests may change them. */
  channelMembers?: Record<string, string[]>;
  /** Channels the bot is not a member of: posting there is `not_in_channel`. */
  channelsWithoutBot?: string[];
  /** Milliseconds each Web API call and response URL post takes, like a network round trip. */
  latencyMs?: number;
}

interface PendingAck {
  resolve: (payload: Record<string, unknown> | undefined) => void;
  reject: (error: Error) => void;
}

export class SlackStandIn {
  readonly calls: SlackApiCall[] = [];
  readonly responses: ResponseUrlPost[] = [];
  readonly acks: SocketAck[] = [];
  readonly failures: ScriptedFailure[] = [];
  readonly messages = new Map<string, StoredMessage>();
  readonly team: { id: string; name: string };
  readonly bot: { userId: string; botId: string; name: string };
  /** Socket Mode connections opened so far (reconnections included). */
  socketConnections = 0;

  private readonly server: http.Server;
  private readonly sockets = new WebSocketServer({ noServer: true });
  private readonly openSockets = new Set<WebSocket>();
  private readonly tickets = new Set<string>();
  private readonly pendingAcks = new Map<string, PendingAck>();
  private readonly events = new EventEmitter();
  private messageCounter = 0;
  private port = 0;

  private constructor(private readonly options: SlackStandInOptions) {
    this.team = options.team ?? { id: 'T0001', name: 'Acme' };
    this.bot = options.bot ?? { userId: 'UDOCENT', botId: 'BDOCENT', name: 'docent' };
    this.events.setMaxListeners(0);
    this.server = http.createServer((request, response) => {
      void this.handle(request, response).catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      });
    });
    this.server.on('upgrade', (request, socket, head) => this.upgrade(request, socket, head));
    this.sockets.on('connection', (socket) => this.connected(socket));
  }

  static async start(options: SlackStandInOptions): Promise<SlackStandIn> {
    const standIn = new SlackStandIn(options);
    standIn.server.listen(0, '127.0.0.1');
    await once(standIn.server, 'listening');
    standIn.port = (standIn.server.address() as AddressInfo).port;
    return standIn;
  }

  /** Base URL of the Web API, for Bolt's `clientOptions.slackApiUrl`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** A fresh response URL, as Slack puts in a slash command or button payload. */
  responseUrl(id: string = randomUUID()): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  /** Calls of one method, in arrival order. */
  callsOf(method: string): SlackApiCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Calls `listener` with every Web API call as it is recorded (benchmarks match replies without scanning). */
  onCall(listener: (call: SlackApiCall) => void): () => void {
    this.events.on('call', listener);
    return () => this.events.off('call', listener);
  }

  /** Resolves with the first truthy value of `check`, evaluated now and after everything the stand-in records. */
  waitFor<T>(check: () => T | undefined | false, timeoutMs = 10_000, what = 'the expected Slack traffic'): Promise<T> {
    const first = check();
    if (first) return Promise.resolve(first);
    return new Promise<T>((resolve, reject) => {
      const onRecord = (): void => {
        const value = check();
        if (value) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; calls so far: ${this.calls.map((call) => call.method).join(', ') || 'none'}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.events.off('record', onRecord);
      };
      this.events.on('record', onRecord);
    });
  }

  /**
   * Sends a Socket Mode envelope on the newest connection; resolves with the app's
   * acknowledgement payload (the slash command's immediate response, for example).
   */
  sendEnvelope(type: 'events_api' | 'slash_commands' | 'interactive', payload: Record<string, unknown>, options: { retryAttempt?: number; retryReason?: string; envelopeId?: string } = {}): Promise<Record<string, unknown> | undefined> {
    const socket = [...this.openSockets].at(-1);
    if (!socket) return Promise.reject(new Error('no Socket Mode connection is open'));
    const envelopeId = options.envelopeId ?? randomUUID();
    const envelope = {
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
      ...(type === 'events_api' ? { retry_attempt: options.retryAttempt ?? 0, retry_reason: options.retryReason ?? '' } : {}),
    };
    return new Promise((resolve, reject) => {
      // A redelivery reuses an envelope's payload, not its id, so ids stay unique here.
      this.pendingAcks.set(envelopeId, { resolve, reject });
      socket.send(JSON.stringify(envelope));
    });
  }

  /** Asks every Socket Mode client to reconnect, as Slack does before recycling a server. */
  sendDisconnect(reason = 'refresh_requested'): void {
    for (const socket of this.openSockets) socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'stand-in' } }));
  }

  /** Drops every Socket Mode connection without a goodbye, as a network failure would. */
  dropSockets(): void {
    for (const socket of this.openSockets) socket.terminate();
  }

  get openSocketCount(): number {
    return this.openSockets.size;
  }

  async close(): Promise<void> {
    for (const socket of this.openSockets) socket.terminate();
    for (const pending of this.pendingAcks.values()) pending.reject(new Error('stand-in closed'));
    this.sockets.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private record(): void {
    this.events.emit('record');
  }

  private takeFailure(method: string): ScriptedFailure | undefined {
    const index = this.failures.findIndex((failure) => failure.method === method);
    return index < 0 ? undefined : this.failures.splice(index, 1)[0];
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    // When the request arrived, as Slack would see it; reading its body takes further turns of the event loop.
    const arrivedAt = performance.now();
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));

    if (request.method === 'POST' && url.pathname.startsWith('/response/')) {
      const id = decodeURIComponent(url.pathname.slice('/response/'.length));
      const failure = this.takeFailure('response_url');
      const status = failure?.status ?? 200;
      this.responses.push({ id, body: JSON.parse(raw || '{}') as Record<string, unknown>, status, at: arrivedAt });
      this.record();
      response.writeHead(status, { 'content-type': 'text/plain', ...(failure?.retryAfterSeconds ? { 'retry-after': String(failure.retryAfterSeconds) } : {}) }).end(status === 200 ? 'ok' : 'failed');
      return;
    }
    if (request.method !== 'POST' || !url.pathname.startsWith('/api/')) {
      response.writeHead(404).end();
      return;
    }
    const method = url.pathname.slice('/api/'.length);
    const { token: bodyToken, team_id: teamId, ...params } = parseArguments(raw, request.headers['content-type']);
    const authorization = request.headers.authorization;
    const token = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : typeof bodyToken === 'string' ? bodyToken : undefined;
    const call: SlackApiCall = { method, token, params, teamId: typeof teamId === 'string' ? teamId : undefined, status: 200, at: arrivedAt };
    this.calls.push(call);

    const failure = this.takeFailure(method);
    if (failure?.status) {
      call.status = failure.status;
      this.record();
      response.writeHead(failure.status, { 'content-type': 'application/json', ...(failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : {}) });
      response.end(JSON.stringify({ ok: false, error: failure.status === 429 ? 'ratelimited' : 'internal_error' }));
      return;
    }
    const result = failure?.error ? { ok: false, error: failure.error } : this.answer(method, token, params);
    call.result = result;
    this.events.emit('call', call);
    this.record();
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(result));
  }

  private answer(method: string, token: string | undefined, params: Record<string, unknown>): Record<string, unknown> {
    if (method === 'apps.connections.open') {
      if (token !== this.options.appToken) return { ok: false, error: 'invalid_auth' };
      const ticket = randomUUID();
      this.tickets.add(ticket);
      return { ok: true, url: `ws://127.0.0.1:${this.port}/link/?ticket=${ticket}&app_id=A0001` };
    }
    if (token !== this.options.botToken) return { ok: false, error: token ? 'invalid_auth' : 'not_authed' };
    switch (method) {
      case 'auth.test':
        return { ok: true, url: `https://${this.team.name.toLowerCase()}.slack.com/`, team: this.team.name, user: this.bot.name, team_id: this.team.id, user_id: this.bot.userId, bot_id: this.bot.botId, is_enterprise_install: false };
      case 'users.info': {
        const user = this.options.users?.[String(params.user)];
        if (!user) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: { id: params.user, team_id: this.team.id, name: user.name, deleted: false, is_bot: user.isBot === true, profile: { real_name: user.name, display_name: user.name, ...(user.email ? { email: user.email } : {}) } } };
      }
      case 'chat.postMessage': {
        const channel = String(params.channel ?? '');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (this.options.channelsWithoutBot?.includes(channel)) return { ok: false, error: 'not_in_channel' };
        if (params.text === undefined && params.blocks === undefined) return { ok: false, error: 'no_text' };
        const ts = this.nextTs();
        const threadTs = typeof params.thread_ts === 'string' ? params.thread_ts : undefined;
        const content = { ...(params.text !== undefined ? { text: String(params.text) } : {}), ...(params.blocks !== undefined ? { blocks: params.blocks } : {}) };
        this.messages.set(`${channel}/${ts}`, { channel, ts, ...(threadTs ? { threadTs } : {}), ...content, versions: [content] });
        return { ok: true, channel, ts, message: { type: 'message', user: this.bot.userId, bot_id: this.bot.botId, ts, ...(threadTs ? { thread_ts: threadTs } : {}), ...content } };
      }
      case 'chat.update': {
        const channel = String(params.channel ?? '');
        const stored = this.messages.get(`${channel}/${String(params.ts)}`);
        if (!stored) return { ok: false, error: 'message_not_found' };
        const content = { ...(params.text !== undefined ? { text: String(params.text) } : {}), ...(params.blocks !== undefined ? { blocks: params.blocks } : {}) };
        Object.assign(stored, content);
        stored.versions.push(content);
        return { ok: true, channel, ts: stored.ts, text: stored.text ?? '' };
      }
      case 'conversations.members': {
        const members = this.options.channelMembers?.[String(params.channel)];
        if (!members) return { ok: false, error: 'channel_not_found' };
        const limit = Number(params.limit ?? 100);
        const start = Number(params.cursor ?? 0);
        const next = start + limit < members.length ? String(start + limit) : '';
        return { ok: true, members: members.slice(start, start + limit), response_metadata: { next_cursor: next } };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private nextTs(): string {
    this.messageCounter += 1;
    return `${1_767_225_600 + this.messageCounter}.${String(this.messageCounter).padStart(6, '0')}`;
  }

  private upgrade(request: http.IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const ticket = url.searchParams.get('ticket');
    if (!url.pathname.startsWith('/link') || !ticket || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    this.sockets.handleUpgrade(request, socket, head, (webSocket) => this.sockets.emit('connection', webSocket, request));
  }

  private connected(socket: WebSocket): void {
    this.socketConnections += 1;
    this.openSockets.add(socket);
    socket.on('close', () => this.openSockets.delete(socket));
    socket.on('message', (data) => {
      let message: { envelope_id?: string; payload?: Record<string, unknown> };
      try {
        message = JSON.parse(String(data)) as typeof message;
      } catch {
        return;
      }
      if (!message.envelope_id) return;
      this.acks.push({ envelopeId: message.envelope_id, payload: message.payload, at: performance.now() });
      this.record();
      const pending = this.pendingAcks.get(message.envelope_id);
      this.pendingAcks.delete(message.envelope_id);
      const payload = message.payload && Object.keys(message.payload).length > 0 ? message.payload : undefined;
      pending?.resolve(payload);
    });
    socket.send(JSON.stringify({ type: 'hello', num_connections: this.openSockets.size, debug_info: { host: 'stand-in', build_number: 1, approximate_connection_time: 3600 }, connection_info: { app_id: 'A0001' } }));
    this.record();
  }
}

/** Web API arguments as sent: form-encoded with objects as JSON strings, or a JSON body. */
function parseArguments(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw.length === 0) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    params[key] = (key === 'blocks' || key === 'attachments' || key === 'metadata') && /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return params;
}
