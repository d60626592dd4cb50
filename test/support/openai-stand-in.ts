/**
 * A local stand-in of an OpenAI-compatible chat server (what vLLM, llama.cpp server and
 * Ollama serve under /v1), so the real `openai` client can be tested without a GPU box.
 * It speaks the documented wire format of POST /v1/chat/completions: server-sent events
 * of `chat.completion.chunk` objects ending in `data: [DONE]` when `stream` is true, one
 * `chat.completion` JSON object otherwise, and `{ error: {...} }` bodies for failures.
 *
 * Each piece of the reply counts as one token, as a real server streams about one token
 * per chunk; a reply longer than the request's `max_tokens` is cut there with
 * `finish_reason: "length"`, as a real server does.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedChatRequest {
  /** The JSON body exactly as the client sent it. */
  body: Record<string, unknown> & { messages?: Array<{ role: string; content: string }> };
  /** The Authorization header, or undefined when the client sent none. */
  authorization: string | undefined;
  headers: http.IncomingHttpHeaders;
}

/** One scripted failure answered instead of a completion. */
export interface ScriptedFailure {
  status: number;
  /** Extra response headers, e.g. `{ 'retry-after': '1' }`. */
  headers?: Record<string, string>;
  /** The error message inside the OpenAI-style `{ error: { message } }` body. */
  message?: string;
}

export interface OpenAiStandInOptions {
  /** The reply, or a function of the request that returns it. Default "Hello from the stand-in." */
  reply?: string | ((request: ReceivedChatRequest) => string);
  /** How the reply is cut into streamed pieces. Default: words, each with the spaces before it. */
  split?: (reply: string) => string[];
  /** Milliseconds to wait before each streamed piece, headers having gone out at once. Default 0. */
  chunkDelayMs?: number;
  /** Milliseconds to wait before answering at all (no headers until then). Default 0. */
  responseDelayMs?: number;
  /** Answered in order, one per request, before any request is served normally. */
  failures?: ScriptedFailure[];
  /** `when-asked` (default) sends a usage chunk if `stream_options.include_usage` is true; `never` acts as a server without usage reporting. */
  usage?: 'when-asked' | 'never';
  /** Prompt tokens reported in usage. Default: the number of words in all messages. */
  promptTokens?: number;
  /** Destroy the connection after this many streamed pieces, as a crashing server would. */
  dropAfterPieces?: number;
}

export interface OpenAiStandIn {
  /** Base URL ending in /v1, as an OpenAI client's `baseURL` expects. */
  url: string;
  /** Every chat request received, failures included, in arrival order. */
  requests: ReceivedChatRequest[];
  /** Failures still to be answered; tests may push more. */
  failures: ScriptedFailure[];
  /** Replies whose stream ended because the client went away. */
  abandonedStreams: number;
  close(): Promise<void>;
}

function splitIntoWords(reply: string): string[] {
  return reply.match(/\s*\S+/g) ?? [];
}

function countWords(messages: Array<{ content: string }> | undefined): number {
  return (messages ?? []).reduce((sum, message) => sum + splitIntoWords(String(message.content)).length, 0);
}

function sleep(milliseconds: number): Promise<void> {
  return milliseconds > 0 ? new Promise((resolve) => setTimeout(resolve, milliseconds)) : Promise.resolve();
}

function sendJson(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function errorBody(status: number, message: string): unknown {
  const type = status === 401 ? 'authentication_error' : status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return { error: { message, type, param: null, code: null } };
}

async function readBody(request: http.IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

export async function startOpenAiStandIn(options: OpenAiStandInOptions = {}): Promise<OpenAiStandIn> {
  const requests: ReceivedChatRequest[] = [];
  const failures = [...(options.failures ?? [])];
  let completionNumber = 0;

  const standIn: OpenAiStandIn = {
    url: '',
    requests,
    failures,
    abandonedStreams: 0,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };

  async function answer(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      sendJson(response, 404, errorBody(404, `Unknown route ${request.method} ${request.url}`));
      return;
    }
    const text = await readBody(request);
    let body: ReceivedChatRequest['body'];
    try {
      body = JSON.parse(text) as ReceivedChatRequest['body'];
    } catch {
      sendJson(response, 400, errorBody(400, 'The body is not JSON.'));
      return;
    }
    const received: ReceivedChatRequest = { body, authorization: request.headers.authorization, headers: request.headers };
    requests.push(received);

    await sleep(options.responseDelayMs ?? 0);
    const failure = failures.shift();
    if (failure) {
      sendJson(response, failure.status, errorBody(failure.status, failure.message ?? `Scripted failure ${failure.status}`), failure.headers);
      return;
    }

    completionNumber += 1;
    const id = `chatcmpl-stand-in-${completionNumber}`;
    const created = Math.floor(Date.now() / 1000);
    const model = typeof body.model === 'string' ? body.model : 'unknown';
    const replyText = typeof options.reply === 'function' ? options.reply(received) : (options.reply ?? 'Hello from the stand-in.');
    const allPieces = (options.split ?? splitIntoWords)(replyText);
    const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : Number.POSITIVE_INFINITY;
    const pieces = allPieces.slice(0, maxTokens);
    const finishReason = pieces.length < allPieces.length ? 'length' : 'stop';
    const promptTokens = options.promptTokens ?? countWords(body.messages);
    const usage = { prompt_tokens: promptTokens, completion_tokens: pieces.length, total_tokens: promptTokens + pieces.length };

    if (body.stream !== true) {
      sendJson(response, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: pieces.join('') }, logprobs: null, finish_reason: finishReason }],
        usage,
      });
      return;
    }

    let clientWentAway = false;
    response.on('close', () => {
      if (!response.writableEnded) clientWentAway = true;
    });
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (data: unknown): void => {
      response.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
    };
    const chunk = (delta: Record<string, unknown>, finish: string | null): unknown => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    });

    // OpenAI opens every stream with the role and empty content; clients must not take it for text.
    send(chunk({ role: 'assistant', content: '' }, null));
    for (const [index, piece] of pieces.entries()) {
      await sleep(options.chunkDelayMs ?? 0);
      if (clientWentAway) {
        standIn.abandonedStreams += 1;
        return;
      }
      if (options.dropAfterPieces !== undefined && index >= options.dropAfterPieces) {
        // Let what was written reach the client first, as it would from a server that dies mid-answer.
        await new Promise<void>((resolve) => response.write('', () => resolve()));
        response.socket?.destroy();
        return;
      }
      send(chunk({ content: piece }, null));
    }
    send(chunk({}, finishReason));
    const streamOptions = body.stream_options as { include_usage?: boolean } | undefined;
    if ((options.usage ?? 'when-asked') === 'when-asked' && streamOptions?.include_usage === true) {
      send({ id, object: 'chat.completion.chunk', created, model, choices: [], usage });
    }
    send('[DONE]');
    response.end();
  }

  const server = http.createServer((request, response) => {
    answer(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, errorBody(500, String(error)));
      else response.destroy();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  standIn.url = `http://127.0.0.1:${port}/v1`;
  return standIn;
}
