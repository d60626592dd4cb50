/**
 * A local stand-in of the Bot Framework Connector service: the REST API a bot replies to
 * at the activity's `serviceUrl` (Teams' is `https://smba.trafficmanager.net/<region>/`),
 * so the real botbuilder `CloudAdapter` can be driven end to end without Microsoft's cloud.
 *
 * Written from the documented Bot Framework REST API (API reference, "Connector" v3):
 *
 * - `POST /v3/conversations/{conversationId}/activities`: Send to Conversation;
 * - `POST /v3/conversations/{conversationId}/activities/{activityId}`: Reply to Activity;
 * - `PUT  /v3/conversations/{conversationId}/activities/{activityId}`: Update Activity;
 * - `DELETE /v3/conversations/{conversationId}/activities/{activityId}`: Delete Activity;
 *   each answering a `ResourceResponse` (`{ "id": "..." }`);
 * - `GET /v3/conversations/{conversationId}/members/{memberId}`: Get Conversation Member,
 *   a Teams `TeamsChannelAccount` (id, name, aadObjectId, email, userPrincipalName, ...);
 * - `GET /v3/conversations/{conversationId}/members` and `.../pagedmembers`;
 * - failures as an `ErrorResponse`: `{ "error": { "code": "...", "message": "..." } }`.
 *
 * Path segments arrive percent-encoded (Teams conversation ids hold `:`, `;`, `@`, `=`)
 * and are decoded before they are recorded.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ConnectorOperation = 'sendToConversation' | 'replyToActivity' | 'updateActivity' | 'deleteActivity' | 'getConversationMember' | 'getConversationMembers' | 'getConversationPagedMembers';

/** One request the bot made, as received. */
export interface ConnectorRequest {
  operation: ConnectorOperation;
  method: string;
  /** Decoded conversation id from the path. */
  conversationId: string;
  /** Decoded activity id from the path (reply, update, delete). */
  activityId?: string;
  /** Decoded member id (get member). */
  memberId?: string;
  /** The JSON body, for sends and updates. */
  body?: Record<string, unknown>;
  /** The Authorization header, or undefined when the bot sent none. */
  authorization: string | undefined;
  /** performance.now() when the request had been read. */
  receivedAt: number;
  /** The id the stand-in gave a posted activity. */
  assignedId?: string;
}

/** A member of a conversation, in Teams' `TeamsChannelAccount` shape. */
export interface TeamsMember {
  id: string;
  name: string;
  aadObjectId: string;
  email?: string;
  userPrincipalName?: string;
  givenName?: string;
  surname?: string;
  tenantId?: string;
  userRole?: 'user' | 'guest' | 'anonymous';
}

/** One scripted failure, answered instead of the next request that matches. */
export interface ScriptedConnectorFailure {
  status: number;
  code?: string;
  message?: string;
  headers?: Record<string, string>;
  /** Which requests it applies to; every request when absent. */
  operation?: ConnectorOperation;
  /** Only activities of this type (`typing`, `message`). */
  activityType?: string;
}

export interface BotFrameworkConnectorStandIn {
  /** Base URL to put in an activity's `serviceUrl` (ends with `/`). */
  serviceUrl: string;
  /** Every request received, in arrival order, failures included. */
  requests: ConnectorRequest[];
  /** Members by id, as `getConversationMember` returns them; tests may add more. */
  members: Map<string, TeamsMember>;
  /** Failures still to be answered, in order; tests may push more. */
  failures: ScriptedConnectorFailure[];
  /** Requests that posted or updated an activity (send, reply, update). */
  activities(): ConnectorRequest[];
  /** Resolves once `predicate` holds for the requests received, or rejects after `timeoutMs`. */
  waitFor(predicate: (requests: ConnectorRequest[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Called for each request as it arrives (benchmarks time replies with it). */
  onRequest?: (request: ConnectorRequest) => void;
  close(): Promise<void>;
}

function sendJson(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

async function readBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

interface Route {
  operation: ConnectorOperation;
  conversationId: string;
  activityId?: string;
  memberId?: string;
}

function route(method: string, pathname: string): Route | undefined {
  const segments = pathname.split('/').filter((segment) => segment.length > 0);
  if (segments[0] !== 'v3' || segments[1] !== 'conversations' || segments[2] === undefined) return undefined;
  const conversationId = decodeURIComponent(segments[2]);
  const [collection, item, extra] = segments.slice(3);
  if (extra !== undefined) return undefined;
  if (collection === 'activities') {
    if (item === undefined) return method === 'POST' ? { operation: 'sendToConversation', conversationId } : undefined;
    const activityId = decodeURIComponent(item);
    if (method === 'POST') return { operation: 'replyToActivity', conversationId, activityId };
    if (method === 'PUT') return { operation: 'updateActivity', conversationId, activityId };
    if (method === 'DELETE') return { operation: 'deleteActivity', conversationId, activityId };
    return undefined;
  }
  if (method !== 'GET') return undefined;
  if (collection === 'members') {
    return item === undefined ? { operation: 'getConversationMembers', conversationId } : { operation: 'getConversationMember', conversationId, memberId: decodeURIComponent(item) };
  }
  if (collection === 'pagedmembers' && item === undefined) return { operation: 'getConversationPagedMembers', conversationId };
  return undefined;
}

export async function startBotFrameworkConnectorStandIn(options: { members?: TeamsMember[] } = {}): Promise<BotFrameworkConnectorStandIn> {
  const requests: ConnectorRequest[] = [];
  const members = new Map((options.members ?? []).map((member) => [member.id, member]));
  const failures: ScriptedConnectorFailure[] = [];
  const waiters = new Set<() => void>();
  let nextId = 1;

  const standIn: BotFrameworkConnectorStandIn = {
    serviceUrl: '',
    requests,
    members,
    failures,
    activities: () => requests.filter((request) => request.operation === 'sendToConversation' || request.operation === 'replyToActivity' || request.operation === 'updateActivity'),
    waitFor(predicate, timeoutMs = 10_000) {
      if (predicate(requests)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (!predicate(requests)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`the connector stand-in did not see the expected requests within ${timeoutMs} ms; it saw ${JSON.stringify(requests.map((request) => [request.operation, request.body?.type]))}`));
        }, timeoutMs);
        waiters.add(check);
      });
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };

  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const method = request.method ?? 'GET';
    const matched = route(method, url.pathname);
    const text = await readBody(request);
    if (!matched) {
      sendJson(response, 404, { error: { code: 'NotFound', message: `no such operation: ${method} ${url.pathname}` } });
      return;
    }
    let body: Record<string, unknown> | undefined;
    if (method === 'POST' || method === 'PUT') {
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        sendJson(response, 400, { error: { code: 'BadSyntax', message: 'The request body is not valid JSON.' } });
        return;
      }
    }
    const received: ConnectorRequest = { ...matched, method, authorization: request.headers.authorization, receivedAt: performance.now() };
    if (body) received.body = body;
    requests.push(received);
    standIn.onRequest?.(received);
    for (const waiter of [...waiters]) waiter();

    const failureIndex = failures.findIndex(
      (failure) => (!failure.operation || failure.operation === matched.operation) && (!failure.activityType || failure.activityType === body?.type),
    );
    if (failureIndex >= 0) {
      const [failure] = failures.splice(failureIndex, 1);
      sendJson(response, failure!.status, { error: { code: failure!.code ?? 'ServiceError', message: failure!.message ?? 'Scripted failure.' } }, failure!.headers);
      return;
    }

    switch (matched.operation) {
      case 'sendToConversation':
      case 'replyToActivity': {
        received.assignedId = `${Date.now()}${String(nextId++).padStart(4, '0')}`;
        sendJson(response, 201, { id: received.assignedId });
        return;
      }
      case 'updateActivity':
        sendJson(response, 200, { id: matched.activityId });
        return;
      case 'deleteActivity':
        response.writeHead(200).end();
        return;
      case 'getConversationMember': {
        const member = members.get(matched.memberId!);
        if (!member) sendJson(response, 404, { error: { code: 'MemberNotFoundInConversation', message: 'The member is not part of this conversation.' } });
        else sendJson(response, 200, member);
        return;
      }
      case 'getConversationMembers':
        sendJson(response, 200, [...members.values()]);
        return;
      case 'getConversationPagedMembers':
        sendJson(response, 200, { members: [...members.values()] });
        return;
    }
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  standIn.serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return standIn;
}
