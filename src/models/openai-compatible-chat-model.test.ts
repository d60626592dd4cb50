/**
 * Runs the real `openai` client against a local stand-in of an OpenAI-compatible server
 * (test/support/openai-stand-in.ts): the wire format, retries, timeouts and error codes
 * are those a vLLM, llama.cpp or Ollama server would meet.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startOpenAiStandIn, type OpenAiStandIn, type OpenAiStandInOptions } from '../../test/support/openai-stand-in.js';
import type { GenerationRequest } from '../core/chat-model.js';
import { DocentError, ModelBusyError } from '../core/errors.js';
import { OpenAiCompatibleChatModel, type OpenAiCompatibleChatModelOptions } from './openai-compatible-chat-model.js';

const apiKey = 'sk-docent-test-0123456789abcdef';
const standIns: OpenAiStandIn[] = [];

async function standIn(options: OpenAiStandInOptions = {}): Promise<OpenAiStandIn> {
  const started = await startOpenAiStandIn(options);
  standIns.push(started);
  return started;
}

function modelFor(url: string, options: Partial<OpenAiCompatibleChatModelOptions> = {}): OpenAiCompatibleChatModel {
  return new OpenAiCompatibleChatModel({ endpoint: url, model: 'qwen2.5-7b-instruct', contextSize: 8192, timeoutSeconds: 10, ...options });
}

function question(overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  return {
    messages: [
      { role: 'system', content: 'Answer from the sources only.' },
      { role: 'user', content: 'How many vacation days do I get?' },
    ],
    maxTokens: 200,
    temperature: 0,
    ...overrides,
  };
}

/** The rejection of `promise`, failing the test if it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<DocentError> {
  const outcome = await promise.then(
    (value) => ({ resolved: value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.resolved)}`);
  expect(outcome.error).toBeInstanceOf(DocentError);
  return outcome.error as DocentError;
}

/** A base URL on which nothing listens: a port that was just free. */
async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return `http://127.0.0.1:${port}/v1`;
}

afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(standIns.splice(0).map((started) => started.close()));
});

describe('OpenAiCompatibleChatModel', () => {
  it('streams the reply through onText piece by piece, in order, and returns the whole generation', async () => {
    const server = await standIn({ reply: 'You get twenty-five days a year.', promptTokens: 42, chunkDelayMs: 5 });
    const pieces: string[] = [];
    const generation = await modelFor(server.url).generate(question({ onText: (piece) => pieces.push(piece) }));

    expect(pieces).toEqual(['You', ' get', ' twenty-five', ' days', ' a', ' year.']);
    expect(generation.text).toBe('You get twenty-five days a year.');
    expect(generation.tokens).toBe(6);
    expect(generation.promptTokens).toBe(42);
    expect(generation.finishReason).toBe('stop');
    expect(generation.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(generation.elapsedMs).toBeGreaterThanOrEqual(generation.timeToFirstTokenMs);
  });

  it('sends the messages, model, max_tokens and temperature, and asks for usage in the stream', async () => {
    const server = await standIn();
    const request = question({ maxTokens: 123, temperature: 0.3 });
    await modelFor(server.url).generate(request);

    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body).toMatchObject({
      model: 'qwen2.5-7b-instruct',
      messages: request.messages,
      max_tokens: 123,
      temperature: 0.3,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('sends the API key as a Bearer token', async () => {
    const server = await standIn();
    await modelFor(server.url, { apiKey }).generate(question());
    expect(server.requests[0]!.authorization).toBe(`Bearer ${apiKey}`);
  });

  it('sends no Authorization header without a key, even when OPENAI_API_KEY is set', async () => {
    vi.stubEnv('OPENAI_API_KEY', 'sk-cloud-key-that-must-stay-home');
    vi.stubEnv('OPENAI_ORG_ID', 'org-that-must-stay-home');
    const server = await standIn();
    await modelFor(server.url).generate(question());
    expect(server.requests[0]!.authorization).toBeUndefined();
    expect(server.requests[0]!.headers['openai-organization']).toBeUndefined();
  });

  it('reports finishReason length when the reply reaches maxTokens', async () => {
    const server = await standIn({ reply: 'one two three four five six' });
    const generation = await modelFor(server.url).generate(question({ maxTokens: 3 }));
    expect(generation.text).toBe('one two three');
    expect(generation.tokens).toBe(3);
    expect(generation.finishReason).toBe('length');
  });

  it('counts chunks and estimates the prompt when the server sends no usage', async () => {
    const server = await standIn({ reply: 'alpha beta gamma delta', usage: 'never' });
    const model = modelFor(server.url);
    const request = question();
    const generation = await model.generate(request);

    expect(generation.tokens).toBe(4);
    const contentTokens = await Promise.all(request.messages.map((message) => model.countTokens(message.content)));
    expect(generation.promptTokens).toBeGreaterThanOrEqual(contentTokens.reduce((sum, tokens) => sum + tokens, 0));
  });

  it('retries a 429 that carries Retry-After and then succeeds', async () => {
    const server = await standIn({ reply: 'after the wait', failures: [{ status: 429, headers: { 'retry-after': '0' } }] });
    const generation = await modelFor(server.url).generate(question());
    expect(generation.text).toBe('after the wait');
    expect(server.requests).toHaveLength(2);
  });

  it('rejects with ModelBusyError carrying Retry-After when the server stays busy through the retries', async () => {
    const busy = { status: 429, headers: { 'retry-after': '1' }, message: 'Too many requests in the queue' };
    const server = await standIn({ failures: Array.from({ length: 5 }, () => busy) });
    const error = await rejectionOf(modelFor(server.url, { maxRetries: 1 }).generate(question()));

    expect(error).toBeInstanceOf(ModelBusyError);
    expect(error.code).toBe('model_busy');
    expect(error.retryable).toBe(true);
    expect((error as ModelBusyError).retryAfterSeconds).toBe(1);
    expect(server.requests).toHaveLength(2);
  });

  it('reports busy at once when the wait asked for would end past the timeout', async () => {
    const server = await standIn({ failures: [{ status: 429, headers: { 'retry-after': '30' } }] });
    const startedAt = Date.now();
    const error = await rejectionOf(modelFor(server.url, { timeoutSeconds: 5 }).generate(question()));

    expect((error as ModelBusyError).retryAfterSeconds).toBe(30);
    expect(server.requests).toHaveLength(1);
    expect(Date.now() - startedAt).toBeLessThan(2000);
  });

  it('uses a few seconds as the wait when a 429 gives no Retry-After', async () => {
    const server = await standIn({ failures: [{ status: 429 }] });
    const error = await rejectionOf(modelFor(server.url, { maxRetries: 0 }).generate(question()));
    expect((error as ModelBusyError).retryAfterSeconds).toBeGreaterThan(0);
    expect((error as ModelBusyError).retryAfterSeconds).toBeLessThanOrEqual(10);
  });

  it('retries a 503 and then succeeds', async () => {
    const server = await standIn({ reply: 'back again', failures: [{ status: 503 }] });
    const generation = await modelFor(server.url).generate(question());
    expect(generation.text).toBe('back again');
    expect(server.requests).toHaveLength(2);
  });

  it('rejects with model_unavailable naming the endpoint when 5xx answers outlast the retries', async () => {
    const server = await standIn({ failures: Array.from({ length: 5 }, () => ({ status: 502, headers: { 'retry-after': '0' } })) });
    const error = await rejectionOf(modelFor(server.url, { maxRetries: 2 }).generate(question()));
    expect(error.code).toBe('model_unavailable');
    expect(error.message).toContain(server.url);
    expect(error.message).toContain('502');
    expect(server.requests).toHaveLength(3);
  });

  it('rejects with model_unavailable naming the endpoint when the connection is refused', async () => {
    const url = await closedPortUrl();
    const error = await rejectionOf(modelFor(url, { maxRetries: 1, apiKey }).generate(question()));
    expect(error.code).toBe('model_unavailable');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(url);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).not.toContain(apiKey);
  });

  it('refuses an endpoint URL that carries a password, without repeating it', () => {
    let thrown: unknown;
    try {
      modelFor('http://docent:hunter2@127.0.0.1:8000/v1');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DocentError);
    expect((thrown as DocentError).code).toBe('config_invalid');
    expect((thrown as DocentError).message).toContain('127.0.0.1:8000');
    expect((thrown as DocentError).message).not.toContain('hunter2');
  });

  it('rejects with generation_timeout when the stream runs past timeoutSeconds', async () => {
    // Headers go out at once and tokens trickle: the client's own timeout would never fire.
    const server = await standIn({ reply: 'a slow reply that takes far too long', chunkDelayMs: 200 });
    const startedAt = Date.now();
    const pieces: string[] = [];
    const error = await rejectionOf(modelFor(server.url, { timeoutSeconds: 0.5 }).generate(question({ onText: (piece) => pieces.push(piece) })));

    expect(error.code).toBe('generation_timeout');
    expect(error.message).toContain(server.url);
    expect(Date.now() - startedAt).toBeLessThan(1500);
    expect(pieces.length).toBeGreaterThan(0);
  });

  it('rejects with generation_timeout when the server does not answer at all in time', async () => {
    const server = await standIn({ responseDelayMs: 2000 });
    const startedAt = Date.now();
    const error = await rejectionOf(modelFor(server.url, { timeoutSeconds: 0.3 }).generate(question()));
    expect(error.code).toBe('generation_timeout');
    expect(Date.now() - startedAt).toBeLessThan(1500);
  });

  it('rejects with generation_cancelled when the signal aborts mid-stream, and stops reading', async () => {
    const server = await standIn({ reply: 'one two three four five six seven eight', chunkDelayMs: 30 });
    const controller = new AbortController();
    const pieces: string[] = [];
    const onText = (piece: string): void => {
      pieces.push(piece);
      if (pieces.length === 2) controller.abort();
    };
    const error = await rejectionOf(modelFor(server.url).generate(question({ signal: controller.signal, onText })));

    expect(error.code).toBe('generation_cancelled');
    expect(pieces).toEqual(['one', ' two']);
    await vi.waitFor(() => expect(server.abandonedStreams).toBe(1));
  });

  it('rejects with generation_cancelled without a request when the signal has already aborted', async () => {
    const server = await standIn();
    const error = await rejectionOf(modelFor(server.url).generate(question({ signal: AbortSignal.abort() })));
    expect(error.code).toBe('generation_cancelled');
    expect(server.requests).toHaveLength(0);
  });

  it('rejects with generation_cancelled promptly while the client waits to retry', async () => {
    const server = await standIn({ failures: [{ status: 429, headers: { 'retry-after': '5' } }] });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const startedAt = Date.now();
    const error = await rejectionOf(modelFor(server.url, { timeoutSeconds: 30 }).generate(question({ signal: controller.signal })));
    expect(error.code).toBe('generation_cancelled');
    expect(Date.now() - startedAt).toBeLessThan(1000);
  });

  it('rejects with credentials_rejected on 401 without repeating the key, even when the server echoes it', async () => {
    const server = await standIn({ failures: [{ status: 401, message: `Incorrect API key provided: ${apiKey}` }] });
    const error = await rejectionOf(modelFor(server.url, { apiKey }).generate(question()));

    expect(error.code).toBe('credentials_rejected');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(server.url);
    expect(error.message).not.toContain(apiKey);
    expect(JSON.stringify(error.cause ?? null)).not.toContain(apiKey);
    expect(server.requests).toHaveLength(1);
  });

  it('rejects with credentials_rejected on 403', async () => {
    const server = await standIn({ failures: [{ status: 403 }] });
    const error = await rejectionOf(modelFor(server.url, { apiKey }).generate(question()));
    expect(error.code).toBe('credentials_rejected');
  });

  it('rejects with context_overflow when the server says the prompt is longer than its context', async () => {
    const message = "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.";
    const server = await standIn({ failures: [{ status: 400, message }] });
    const error = await rejectionOf(modelFor(server.url).generate(question()));
    expect(error.code).toBe('context_overflow');
    expect(error.message).toContain('4096');
  });

  it('rejects with model_unavailable when the server does not know the model', async () => {
    const server = await standIn({ failures: [{ status: 404, message: 'The model `nope` does not exist.' }] });
    const error = await rejectionOf(modelFor(server.url, { model: 'nope' }).generate(question()));
    expect(error.code).toBe('model_unavailable');
    expect(error.message).toContain('"nope"');
  });

  it('rejects with generation_failed when the connection drops mid-stream', async () => {
    const server = await standIn({ reply: 'one two three four', dropAfterPieces: 2 });
    const pieces: string[] = [];
    const error = await rejectionOf(modelFor(server.url).generate(question({ onText: (piece) => pieces.push(piece) })));
    expect(error.code).toBe('generation_failed');
    expect(pieces).toEqual(['one', ' two']);
  });

  it('answers non-streaming requests too, as the wire format allows', async () => {
    const server = await standIn({ reply: 'plain answer' });
    const response = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: false }),
    });
    const body = (await response.json()) as { object: string; choices: Array<{ message: { content: string }; finish_reason: string }> };
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0]!.message.content).toBe('plain answer');
    expect(body.choices[0]!.finish_reason).toBe('stop');
  });

  it('estimates tokens without underestimating English or Korean', async () => {
    const model = modelFor('http://127.0.0.1:9/v1');
    expect(await model.countTokens('')).toBe(0);
    expect(await model.countTokens('abcdefg')).toBe(3);
    // Each Hangul syllable is at least one token in current tokenizers.
    expect(await model.countTokens('휴가는 며칠')).toBe(5 + 1);
  });

  it('describes itself as the served model running remotely', async () => {
    const model = modelFor('http://127.0.0.1:9/v1', { contextSize: 32768 });
    expect(await model.describe()).toEqual({ id: 'qwen2.5-7b-instruct', contextSize: 32768, device: 'remote' });
    await model.dispose();
  });
});
