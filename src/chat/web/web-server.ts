import { randomUUID } from 'node:crypto';
import { open } from 'node:fs/promises';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { z } from 'zod';
import { everyone } from '../../core/access.js';
import type { Answer } from '../../core/answer.js';
import type { AnswerEngine, Question } from '../../core/answer-engine.js';
import type { FeedbackRecorder } from '../../core/feedback.js';
import { describeError, isDocentError } from '../../core/errors.js';
import { contentDisposition } from './content-disposition.js';
import { ConversationMemory, type ConversationMemoryOptions } from '../conversation-memory.js';
import type { DocumentFiles } from './document-files.js';
import { isScriptableMediaType, mediaTypeForName } from './media-type.js';
import type { ReadinessReport } from './readiness.js';
import { loadStaticAssets, resolvePublicDirectory, type StaticAsset } from './static-assets.js';
import { anonymousWebAsker, type WebAskerResolver } from './web-asker.js';

export type { DocumentFiles, OpenedDocumentFile } from './document-files.js';
export type { ReadinessCheck, ReadinessReport } from './readiness.js';
export type { ResolvedWebAsker, WebAskerResolver } from './web-asker.js';
export { anonymousWebAsker } from './web-asker.js';

export interface WebServerOptions {
  /** Answers every question; the web chat only translates HTTP to it and back. */
  engine: AnswerEngine;
  /** Opens the original file behind a citation, for readers allowed to see it. */
  documents: DocumentFiles;
  /** Reports whether questions can be answered now; shown by `GET /readyz`. */
  readiness: () => Promise<ReadinessReport>;
  /** `true` logs JSON lines (pino) to stdout, a logger instance is used as is; silent by default. */
  logger?: boolean | FastifyBaseLogger;
  /** Who is asking; the local anonymous user when no login is configured. */
  resolveAsker?: WebAskerResolver;
  /** Records 👍/👎 on answers (`POST /api/feedback`); without it the route answers 404. */
  feedback?: FeedbackRecorder;
  /** Conversation memory, or its bounds (defaults: 6 turns, 1000 conversations, 1 hour). */
  conversations?: ConversationMemory | ConversationMemoryOptions;
  /** Folder holding index.html, chat.js and chat.css; found next to this module by default. */
  publicDirectory?: string;
  /** Largest accepted request body in bytes (default 32 KiB). */
  bodyLimitBytes?: number;
}

const feedbackRequestSchema = z.object({
  answerId: z.string().min(1).max(200),
  rating: z.enum(['up', 'down']),
  comment: z.string().max(2000).optional(),
});

/** `POST /api/ask` request body. */
export interface AskRequest {
  question: string;
  /** Returned by the previous answer; omit to start a new conversation. */
  conversationId?: string;
}

/** `POST /api/ask` response: the engine's answer plus the conversation it belongs to. */
export type AskResponse = Answer & { conversationId: string };

/** Body of every error response. */
export interface WebErrorBody {
  error: {
    /** Stable code: `invalid_request`, `not_found`, `payload_too_large`, `internal`, or a Docent error code. */
    code: string;
    /** Short message fit to show the user; never a stack trace. */
    message: string;
  };
}

export const maxQuestionLength = 2000;

const askRequestSchema = z.object(
  {
    question: z
      .string({ error: 'question must be a string.' })
      .trim()
      .min(1, 'Please type a question.')
      .max(maxQuestionLength, `Questions can be at most ${maxQuestionLength} characters long.`),
    conversationId: z
      .string({ error: 'conversationId must be a string.' })
      .regex(/^[A-Za-z0-9_-]{1,100}$/, 'conversationId must be 1 to 100 letters, digits, "-" or "_".')
      .optional(),
  },
  { error: 'Send a JSON object such as {"question": "..."}.' },
);

/** Self only, no inline code, nothing from elsewhere: the page works offline by construction. */
const pageContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Original files that could run scripts (HTML, SVG) open in a sandbox with no origin. */
const scriptableFileContentSecurityPolicy = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'";

/**
 * The built-in web chat: the chat page, its assets, the ask API, citation file links and
 * health probes. A thin adapter over `AnswerEngine`: no retrieval, ranking or access
 * decisions happen here.
 */
export async function createWebServer(options: WebServerOptions): Promise<FastifyInstance> {
  const { engine, documents, readiness } = options;
  const resolveAsker = options.resolveAsker ?? anonymousWebAsker;
  const memory =
    options.conversations instanceof ConversationMemory ? options.conversations : new ConversationMemory(options.conversations);
  const assets = await loadStaticAssets(options.publicDirectory ?? (await resolvePublicDirectory()));
  const page = assets.get('index.html');
  if (!page) throw new Error('The web chat page (index.html) is missing from the public folder.');

  const fastifyOptions = { bodyLimit: options.bodyLimitBytes ?? 32 * 1024 };
  const app = (
    typeof options.logger === 'object'
      ? Fastify({ ...fastifyOptions, loggerInstance: options.logger })
      : Fastify({ ...fastifyOptions, logger: options.logger ?? false })
  ) as FastifyInstance;

  /** Replies carrying an original file, which must not get the page's policy (see the files route). */
  const originalFileReplies = new WeakSet<FastifyReply>();

  // Only JSON bodies: a cross-site HTML form can send text/plain but never application/json.
  app.removeContentTypeParser('text/plain');

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
    if (!reply.hasHeader('content-security-policy') && !originalFileReplies.has(reply)) {
      reply.header('content-security-policy', pageContentSecurityPolicy);
    }
    return payload;
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isDocentError(error) && error.code === 'unauthenticated') return sendError(reply, 401, 'unauthenticated', error.message);
    const statusCode = error.statusCode ?? 500;
    if (statusCode >= 500) {
      request.log.error({ err: error }, 'request failed');
      return sendError(reply, 500, 'internal', 'Something went wrong on the server. Please try again.');
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(reply, 413, 'payload_too_large', 'The request is too large.');
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendError(reply, 415, 'invalid_request', 'Send the request as JSON (content-type: application/json).');
    }
    if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return sendError(reply, 400, 'invalid_request', 'The request body is not valid JSON.');
    }
    return sendError(reply, statusCode, 'invalid_request', describeError(error));
  });

  app.setNotFoundHandler((_request, reply) => sendError(reply, 404, 'not_found', 'Not found.'));

  app.get('/', async (request, reply) => sendAsset(request.headers['if-none-match'], reply, page));

  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const asset = assets.get(request.params.name);
    if (!asset) return sendError(reply, 404, 'not_found', 'Not found.');
    return sendAsset(request.headers['if-none-match'], reply, asset);
  });

  app.post('/api/ask', async (request, reply) => {
    const parsed = askRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      return sendError(reply, 400, 'invalid_request', parsed.error.issues[0]?.message ?? 'The request is not valid.');
    }
    const { question } = parsed.data;
    const { asker, notice } = await resolveAsker(request);
    const conversationId = parsed.data.conversationId ?? randomUUID();
    // Keyed by asker too, so a guessed conversation id never reveals someone else's history.
    const conversationKey = `${asker.id}\u0000${conversationId}`;
    const history = memory.history(conversationKey);

    let answer: Answer;
    try {
      const asked: Question = { text: question, asker, history, conversation: { platform: 'web', channelId: conversationId, visibility: 'private' } };
      if (notice) asked.accessNotice = notice;
      answer = await engine.ask(asked);
    } catch (error) {
      request.log.error({ err: error }, 'answering failed');
      const retryable = isDocentError(error) && error.retryable;
      return sendError(
        reply,
        500,
        isDocentError(error) ? error.code : 'internal',
        retryable
          ? 'The answer service is busy or starting up. Please try again in a moment.'
          : 'Sorry, something went wrong while answering. Please try again.',
      );
    }
    memory.remember(conversationKey, { question, answer: answer.text });
    reply.header('cache-control', 'no-store');
    const response: AskResponse = { ...answer, conversationId };
    return response;
  });

  app.post('/api/feedback', async (request, reply) => {
    if (!options.feedback) return sendError(reply, 404, 'not_found', 'Feedback is not recorded on this server.');
    const parsed = feedbackRequestSchema.safeParse(request.body);
    if (!parsed.success) return sendError(reply, 400, 'invalid_request', parsed.error.issues[0]?.message ?? 'The request is not valid.');
    const { asker } = await resolveAsker(request);
    const feedback: Parameters<FeedbackRecorder['recordFeedback']>[0] = { answerId: parsed.data.answerId, asker, rating: parsed.data.rating, platform: 'web' };
    if (parsed.data.comment) feedback.comment = parsed.data.comment;
    try {
      await options.feedback.recordFeedback(feedback);
    } catch (error) {
      if (isDocentError(error) && error.code === 'audit_record_not_found') return sendError(reply, 404, 'not_found', error.message);
      throw error;
    }
    return reply.code(204).send();
  });

  app.get<{ Params: { documentId: string } }>('/files/:documentId', async (request, reply) => {
    const { documentId } = request.params;
    if (documentId.length === 0 || documentId.length > 2000) return sendError(reply, 404, 'not_found', 'Document not found.');
    const { asker } = await resolveAsker(request);
    // Every asker holds `everyone` (see core/access.ts); say so explicitly to the file store.
    const principals = [...new Set([...asker.principals, everyone])];
    const file = await documents.open(documentId, principals);
    if (!file) return sendError(reply, 404, 'not_found', 'Document not found.');

    // Open first, then stat the handle: a file deleted in between is a 404, never a crash.
    const handle = await open(file.filePath, 'r').catch(() => undefined);
    if (!handle) {
      request.log.warn({ documentId }, 'original file is not readable');
      return sendError(reply, 404, 'not_found', 'Document not found.');
    }
    const info = await handle.stat().catch(() => undefined);
    if (!info?.isFile()) {
      await handle.close();
      return sendError(reply, 404, 'not_found', 'Document not found.');
    }
    const mediaType = file.mediaType ?? mediaTypeForName(file.name);
    reply
      .header('content-type', mediaType)
      .header('content-length', info.size)
      .header('content-disposition', contentDisposition('inline', file.name))
      .header('cache-control', 'private, no-store');
    // The page policy would stop the browser's own PDF viewer; nosniff plus a non-script
    // type is what keeps other files inert, and scriptable types get a sandbox.
    if (isScriptableMediaType(mediaType)) reply.header('content-security-policy', scriptableFileContentSecurityPolicy);
    else originalFileReplies.add(reply);
    return reply.send(handle.createReadStream());
  });

  app.get('/healthz', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return { status: 'ok' };
  });

  app.get('/readyz', async (request, reply) => {
    let report: ReadinessReport;
    try {
      report = await readiness();
    } catch (error) {
      request.log.error({ err: error }, 'readiness check failed');
      report = { ready: false, checks: { readiness: { ok: false, detail: describeError(error) } } };
    }
    reply.header('cache-control', 'no-store');
    return reply.code(report.ready ? 200 : 503).send(report);
  });

  return app;
}

function sendError(reply: FastifyReply, statusCode: number, code: string, message: string): FastifyReply {
  const body: WebErrorBody = { error: { code, message } };
  return reply.code(statusCode).header('cache-control', 'no-store').send(body);
}

function sendAsset(ifNoneMatch: string | undefined, reply: FastifyReply, asset: StaticAsset): FastifyReply {
  // no-cache: revalidate every time (cheap with the ETag) so an upgrade is seen at once.
  reply.header('etag', asset.etag).header('cache-control', 'no-cache');
  if (ifNoneMatch === asset.etag) return reply.code(304).send();
  return reply.type(asset.mediaType).send(asset.body);
}
