/**
 * A ChatModel served by an OpenAI-compatible HTTP endpoint on another machine of the site
 * (vLLM, llama.cpp server, Ollama on a GPU box), through the official `openai` client.
 *
 * The client brings streaming, retries of 408/409/429/5xx and refused connections with
 * exponential backoff that honours Retry-After, and a per-attempt timeout. Two of its
 * behaviours shape the code below:
 * - its timeout only runs until the response headers arrive, and a streaming server sends
 *   those before the first token, so `timeoutSeconds` is enforced here over the whole
 *   call: retries, waits and streaming together;
 * - it sleeps for whatever Retry-After says without listening to the abort signal, so the
 *   call races the client against the signal, and a busy server asking for a wait that
 *   would end past the deadline is reported as busy at once instead of timing out later.
 *
 * The API key goes out only in the Authorization header: no message, log line or error
 * cause built here contains it, and the client is kept from reading OPENAI_* variables
 * that could send a cloud key or organisation to an on-prem server.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ChatModel, ChatModelDescription, Generation, GenerationRequest } from '../core/chat-model.js';
import { DocentError, ModelBusyError, describeError, isDocentError } from '../core/errors.js';

export interface OpenAiCompatibleChatModelOptions {
  /** Base URL of the API, ending where `/chat/completions` is appended: `http://gpu-box:8000/v1`. */
  endpoint: string;
  /** Model name the server knows the model by (vLLM's `--served-model-name`, Ollama's tag). */
  model: string;
  /** Tokens the served model reads at once; the server cannot be asked, so the admin says. */
  contextSize: number;
  /** Longest a whole generation may take, retries and streaming included. Fractions allowed. */
  timeoutSeconds: number;
  /** Sent as `Authorization: Bearer`; when unset no Authorization header is sent at all. */
  apiKey?: string;
  /** Attempts after the first for refused connections, 429 and 5xx answers. Default 3. */
  maxRetries?: number;
}

const defaultMaxRetries = 3;
/** What a busy server that gives no Retry-After is assumed to mean. */
const defaultBusySeconds = 5;
/** Chat templates wrap each message in role markers; a few tokens each covers the usual ones. */
const templateTokensPerMessage = 4;
/** Server messages are quoted in errors; a proxy's HTML error page should not be. */
const longestQuotedMessage = 300;
/** Above this code point a character is counted as a whole token (see countTokens). */
const lastLatinCodePoint = 0x24f;

export class OpenAiCompatibleChatModel implements ChatModel {
  private readonly client: OpenAI;
  private readonly apiKey: string | undefined;
  /** The endpoint as errors name it: without any user name or password in the URL. */
  private readonly endpointName: string;
  private readonly timeoutMilliseconds: number;

  constructor(private readonly options: OpenAiCompatibleChatModelOptions) {
    this.apiKey = options.apiKey === undefined || options.apiKey === '' ? undefined : options.apiKey;
    this.endpointName = nameEndpoint(options.endpoint);
    // fetch refuses such URLs anyway, and its error would quote the password.
    if (carriesCredentials(options.endpoint)) {
      throw new DocentError('config_invalid', `The language model endpoint ${this.endpointName} must not carry a user name or password; give the key in DOCENT_LLM_API_KEY.`);
    }
    this.timeoutMilliseconds = Math.max(1, Math.round(options.timeoutSeconds * 1000));
    this.client = new OpenAI({
      baseURL: options.endpoint,
      // The client refuses to start without a key; servers without one (the usual on-prem
      // setup) get no Authorization header at all: a null default header removes it.
      apiKey: this.apiKey ?? 'unused',
      ...(this.apiKey === undefined ? { defaultHeaders: { Authorization: null } } : {}),
      // Explicit nulls stop the client from falling back to OPENAI_* environment variables.
      adminAPIKey: null,
      organization: null,
      project: null,
      webhookSecret: null,
      timeout: this.timeoutMilliseconds,
      maxRetries: options.maxRetries ?? defaultMaxRetries,
    });
  }

  async describe(): Promise<ChatModelDescription> {
    return { id: this.options.model, contextSize: this.options.contextSize, device: 'remote' };
  }

  /**
   * The OpenAI API has no route that tokenizes, and servers that have one each name it
   * differently, so this estimates. It must not underestimate: prompts are packed to fill
   * the context, and a prompt longer than the model reads fails or loses its beginning.
   * English runs about four characters a token in current tokenizers, so three per token
   * leaves a margin. Korean, Chinese, Japanese and most other scripts run one character
   * a token or worse, so every character beyond Latin counts as a whole token.
   */
  async countTokens(text: string): Promise<number> {
    return estimateTokens(text);
  }

  async generate(request: GenerationRequest): Promise<Generation> {
    if (request.signal?.aborted) throw this.cancelled();
    const startedAt = performance.now();
    const deadline = Date.now() + this.timeoutMilliseconds;
    // One signal for the client, aborted by the caller or the deadline; its reason is the error to throw.
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(this.timedOut()), this.timeoutMilliseconds);
    const onCallerAbort = (): void => stop.abort(this.cancelled());
    request.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const stopped = new Promise<never>((_resolve, reject) => {
      stop.signal.addEventListener('abort', () => reject(stop.signal.reason), { once: true });
    });
    try {
      // The race makes cancellation prompt even while the client sleeps before a retry.
      return await Promise.race([this.stream(request, stop.signal, deadline, startedAt), stopped]);
    } catch (error) {
      if (stop.signal.aborted) throw stop.signal.reason;
      throw this.translate(error);
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  /** Nothing to free: the client holds no connection of its own beyond Node's shared pool. */
  async dispose(): Promise<void> {}

  private async stream(request: GenerationRequest, signal: AbortSignal, deadline: number, startedAt: number): Promise<Generation> {
    const client = this.client.withOptions({ fetch: giveUpOnWaitsPast(deadline) });
    const chunks = await client.chat.completions.create(
      {
        model: this.options.model,
        messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
        max_tokens: request.maxTokens,
        temperature: request.temperature,
        stream: true,
        stream_options: { include_usage: true },
      },
      { signal, timeout: Math.max(1, deadline - Date.now()) },
    );
    let text = '';
    let pieces = 0;
    let firstTextAt: number | undefined;
    let finishReason: string | undefined;
    let usage: ChatCompletionChunk['usage'];
    for await (const chunk of chunks) {
      // The client ends the iteration quietly when its signal aborts; the caller hears nothing more.
      if (signal.aborted) break;
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (!choice) continue;
      const piece = choice.delta?.content;
      if (piece) {
        firstTextAt ??= performance.now();
        text += piece;
        pieces += 1;
        request.onText?.(piece);
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
    if (signal.aborted) throw signal.reason;
    const finishedAt = performance.now();
    return {
      text,
      // Servers that send no usage stream about one token per chunk.
      tokens: usage?.completion_tokens ?? pieces,
      promptTokens: usage?.prompt_tokens ?? estimatePromptTokens(request),
      finishReason: finishReason === 'length' ? 'length' : 'stop',
      timeToFirstTokenMs: (firstTextAt ?? finishedAt) - startedAt,
      elapsedMs: finishedAt - startedAt,
    };
  }

  private translate(error: unknown): DocentError {
    if (isDocentError(error)) return error;
    if (error instanceof APIUserAbortError) return this.cancelled();
    if (error instanceof APIConnectionTimeoutError) return this.timedOut();
    if (error instanceof APIConnectionError) {
      const reason = deepestReason(error);
      return new DocentError('model_unavailable', `Cannot reach the language model at ${this.endpointName}: ${this.scrub(reason)}.`, {
        cause: error.cause,
        retryable: true,
      });
    }
    // Errors that carry the server's answer are not attached as causes: a server may echo the key.
    if (error instanceof APIError) return this.translateAnswer(error);
    return new DocentError('generation_failed', `The language model at ${this.endpointName} failed mid-answer: ${this.scrub(deepestReason(error))}.`, { cause: error });
  }

  private translateAnswer(error: APIError): DocentError {
    const status = error.status;
    const said = this.quote(error);
    if (status === 401 || status === 403) {
      return new DocentError('credentials_rejected', `The language model at ${this.endpointName} rejected the API key (HTTP ${status}); check DOCENT_LLM_API_KEY.`);
    }
    if (status === 429) return new ModelBusyError(retryAfterSeconds(error.headers) ?? defaultBusySeconds);
    if (status === 404) {
      return new DocentError(
        'model_unavailable',
        `The language model endpoint ${this.endpointName} has no model "${this.options.model}" (HTTP 404${said}); check the model name and that the URL ends in /v1.`,
      );
    }
    if (status !== undefined && status >= 500) {
      return new DocentError('model_unavailable', `The language model at ${this.endpointName} failed (HTTP ${status}${said}).`, { retryable: true });
    }
    if (status === 400 || status === 413 || status === 422) {
      const overflow = /context (length|size|window)|too long|too many tokens|exceeds/i.test(error.message);
      return new DocentError(overflow ? 'context_overflow' : 'invalid_request', `The language model at ${this.endpointName} refused the request (HTTP ${status}${said}).`);
    }
    // No status: the server reported an error inside the stream, after it had started answering.
    return new DocentError('generation_failed', `The language model at ${this.endpointName} failed mid-answer${status === undefined ? '' : ` (HTTP ${status})`}${said}.`);
  }

  /** The server's own words, shortened and stripped of the key, prefixed for a message. */
  private quote(error: APIError): string {
    const body = error.error as { message?: unknown } | undefined;
    const message = typeof body?.message === 'string' ? body.message : '';
    const trimmed = this.scrub(message.replace(/\s+/g, ' ').trim());
    if (trimmed === '') return '';
    return `: ${trimmed.length > longestQuotedMessage ? `${trimmed.slice(0, longestQuotedMessage)}…` : trimmed}`;
  }

  private scrub(text: string): string {
    return this.apiKey === undefined ? text : text.split(this.apiKey).join('[api key]');
  }

  private timedOut(): DocentError {
    return new DocentError('generation_timeout', `The language model at ${this.endpointName} did not finish within ${this.options.timeoutSeconds} s.`);
  }

  private cancelled(): DocentError {
    return new DocentError('generation_cancelled', 'The generation was cancelled.');
  }
}

function estimateTokens(text: string): number {
  let latinCharacters = 0;
  let otherCharacters = 0;
  for (const character of text) {
    if (character.codePointAt(0)! <= lastLatinCodePoint) latinCharacters += 1;
    else otherCharacters += 1;
  }
  return Math.ceil(latinCharacters / 3) + otherCharacters;
}

/** fetch wraps the useful part ("connect ECONNREFUSED", "getaddrinfo ENOTFOUND") in causes. */
function deepestReason(error: unknown): string {
  let current = error;
  for (let depth = 0; depth < 5; depth += 1) {
    const inner = current instanceof AggregateError ? current.errors[0] : current instanceof Error ? current.cause : undefined;
    if (inner === undefined) break;
    current = inner;
  }
  return describeError(current).replace(/\.$/, '');
}

function estimatePromptTokens(request: GenerationRequest): number {
  return request.messages.reduce((sum, message) => sum + estimateTokens(message.content) + templateTokensPerMessage, 0);
}

/** The URL without user name or password, which must not end up in logs. */
function nameEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return endpoint;
  }
}

function carriesCredentials(endpoint: string): boolean {
  try {
    const url = new URL(endpoint);
    return url.username !== '' || url.password !== '';
  } catch {
    return false;
  }
}

/** Milliseconds a server asks the client to wait, from `retry-after-ms` or `retry-after` (seconds or an HTTP date). */
function requestedWaitMilliseconds(headers: Headers | undefined): number | undefined {
  const milliseconds = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const header = headers?.get('retry-after')?.trim();
  if (!header) return undefined;
  const wait = /^\d+(\.\d+)?$/.test(header) ? Number.parseFloat(header) * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(wait) ? Math.max(0, wait) : undefined;
}

/** Whole seconds for "try again in N s": never 0, which would invite an immediate retry storm. */
function retryAfterSeconds(headers: Headers | undefined): number | undefined {
  const wait = requestedWaitMilliseconds(headers);
  return wait === undefined ? undefined : Math.max(1, Math.ceil(wait / 1000));
}

/**
 * A fetch that marks an answer as final when the wait it asks for would end past the
 * deadline: the client then gives up at once (it obeys `x-should-retry`), and the caller
 * hears "busy, try again in N s" instead of a timeout after sleeping through the wait.
 */
function giveUpOnWaitsPast(deadline: number): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const response = await globalThis.fetch(input, init);
    if (response.ok) return response;
    const wait = requestedWaitMilliseconds(response.headers);
    if (wait === undefined || Date.now() + wait < deadline) return response;
    const headers = new Headers(response.headers);
    headers.set('x-should-retry', 'false');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}
