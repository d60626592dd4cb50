import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../core/answer.js';
import type { AnswerEngine, Question } from '../../core/answer-engine.js';
import { DocentError } from '../../core/errors.js';
import { ConversationMemory } from '../conversation-memory.js';
import type { DocumentFiles, OpenedDocumentFile } from './document-files.js';
import type { ReadinessReport } from './readiness.js';
import type { Feedback, FeedbackRecorder } from '../../core/feedback.js';
import type { ChatIdentity, Directory } from '../../core/directory.js';
import { AccessResolver } from '../../directory/access-resolver.js';
import { proxyLoginAsker } from './proxy-login.js';
import { createWebServer, type AskResponse, type WebErrorBody } from './web-server.js';

/** Implements the real interface and records every question it was asked. */
class RecordingAnswerEngine implements AnswerEngine {
  readonly questions: Question[] = [];
  failWith: unknown;

  async ask(question: Question): Promise<Answer> {
    this.questions.push(structuredClone(question));
    if (this.failWith !== undefined) throw this.failWith;
    return answerTo(question.text, this.questions.length);
  }
}

function answerTo(question: string, turn: number): Answer {
  return {
    question,
    notFound: false,
    text: `Answer ${turn}: employees get 15 days of annual leave [1].`,
    sentences: [{ text: `Answer ${turn}: employees get 15 days of annual leave [1].`, citations: [1] }],
    citations: [
      {
        number: 1,
        documentId: 'folder:handbook/leave.md',
        chunkId: 'folder:handbook/leave.md#0',
        title: 'Leave policy',
        uri: 'handbook/leave.md',
        location: {},
        headingPath: ['Leave', 'Annual leave'],
        locationLabel: 'Leave › Annual leave',
        excerpt: 'Full-time employees receive 15 days of paid annual leave per calendar year.',
      },
    ],
    generator: 'extractive',
    elapsedMs: 12,
  };
}

/** Implements the real interface over a table of files with their readers; records calls. */
class RecordingDocumentFiles implements DocumentFiles {
  readonly calls: Array<{ documentId: string; principals: string[] }> = [];
  readonly files = new Map<string, OpenedDocumentFile & { readers: string[] }>();

  async open(documentId: string, principals: string[]): Promise<OpenedDocumentFile | undefined> {
    this.calls.push({ documentId, principals: [...principals] });
    const file = this.files.get(documentId);
    if (!file || !file.readers.some((reader) => principals.includes(reader))) return undefined;
    const { readers: _readers, ...opened } = file;
    return opened;
  }
}

describe('web server', () => {
  let directory: string;
  let engine: RecordingAnswerEngine;
  let documents: RecordingDocumentFiles;
  let report: ReadinessReport | Error;
  let app: FastifyInstance;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'docent-web-'));
    await writeFile(join(directory, 'leave.pdf'), '%PDF-1.4 fake pdf bytes');
    await writeFile(join(directory, 'salaries.xlsx'), 'secret numbers');
    await writeFile(join(directory, 'page.html'), '<script>alert(1)</script>');
    await writeFile(join(directory, '휴가 규정.docx'), 'korean docx bytes');
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  async function start(options: { conversations?: ConversationMemory } = {}): Promise<FastifyInstance> {
    engine = new RecordingAnswerEngine();
    documents = new RecordingDocumentFiles();
    documents.files.set('folder:handbook/leave.pdf', {
      filePath: join(directory, 'leave.pdf'),
      name: 'leave.pdf',
      readers: ['everyone'],
    });
    documents.files.set('folder:finance/salaries.xlsx', {
      filePath: join(directory, 'salaries.xlsx'),
      name: 'salaries.xlsx',
      readers: ['group:finance'],
    });
    documents.files.set('folder:web/page.html', { filePath: join(directory, 'page.html'), name: 'page.html', readers: ['everyone'] });
    documents.files.set('folder:hr/vacation.docx', {
      filePath: join(directory, '휴가 규정.docx'),
      name: 'hr/휴가 규정 "2024".docx',
      mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      readers: ['everyone'],
    });
    documents.files.set('folder:gone.pdf', { filePath: join(directory, 'gone.pdf'), name: 'gone.pdf', readers: ['everyone'] });
    report = { ready: true, checks: { index: { ok: true, detail: '42 documents' } } };
    app = await createWebServer({
      engine,
      documents,
      readiness: async () => {
        if (report instanceof Error) throw report;
        return report;
      },
      ...(options.conversations ? { conversations: options.conversations } : {}),
    });
    return app;
  }

  afterEach(async () => {
    await app?.close();
  });

  function ask(body: unknown) {
    return app.inject({ method: 'POST', url: '/api/ask', payload: body as object });
  }

  describe('the chat page', () => {
    it('serves the page with a strict policy and no inline script', async () => {
      await start();
      const response = await app.inject({ method: 'GET', url: '/' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      const policy = String(response.headers['content-security-policy']);
      expect(policy).toContain("default-src 'self'");
      expect(policy).toContain("script-src 'self'");
      expect(policy).not.toContain('unsafe-inline');
      expect(policy).toContain("frame-ancestors 'none'");
      expect(response.body).toContain('<script type="module" src="/assets/chat.js"></script>');
      expect(response.body).toContain('href="/assets/chat.css"');
      // Every script has a src, nothing is styled inline, and nothing comes from elsewhere.
      expect(response.body.match(/<script(?![^>]*\bsrc=)[^>]*>/g)).toBeNull();
      expect(response.body).not.toMatch(/\sstyle=|\son[a-z]+=/i);
      expect(response.body).not.toMatch(/(src|href)="(https?:)?\/\//);
    });

    it('serves the assets with their content types and revalidates with an etag', async () => {
      await start();
      const script = await app.inject({ method: 'GET', url: '/assets/chat.js' });
      expect(script.statusCode).toBe(200);
      expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(script.body).toContain('/api/ask');
      expect(script.body).not.toContain('innerHTML');

      const style = await app.inject({ method: 'GET', url: '/assets/chat.css' });
      expect(style.statusCode).toBe(200);
      expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
      expect(style.body).toContain('Malgun Gothic');
      expect(style.body).not.toMatch(/@import|url\(\s*['"]?https?:/);

      const icon = await app.inject({ method: 'GET', url: '/assets/favicon.svg' });
      expect(icon.headers['content-type']).toBe('image/svg+xml');

      const again = await app.inject({ method: 'GET', url: '/assets/chat.js', headers: { 'if-none-match': String(script.headers.etag) } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
    });

    it('answers 404 for unknown assets and never leaves the public folder', async () => {
      await start();
      for (const url of ['/assets/missing.js', '/assets/..%2Fweb-server.ts', '/assets/%2E%2E%2F%2E%2E%2Fpackage.json', '/assets/../web-server.ts']) {
        const response = await app.inject({ method: 'GET', url });
        expect(response.statusCode, url).toBe(404);
      }
    });

    it('answers JSON 404 for unknown routes', async () => {
      await start();
      const response = await app.inject({ method: 'GET', url: '/nope' });
      expect(response.statusCode).toBe(404);
      expect(response.json<WebErrorBody>()).toEqual({ error: { code: 'not_found', message: 'Not found.' } });
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    });
  });

  describe('POST /api/ask', () => {
    it('passes the question to the engine as the anonymous web user and returns the answer', async () => {
      await start();
      const response = await ask({ question: '  How many days of annual leave do I get?  ' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-store');
      const body = response.json<AskResponse>();
      expect(body.text).toBe('Answer 1: employees get 15 days of annual leave [1].');
      expect(body.citations[0]?.documentId).toBe('folder:handbook/leave.md');
      expect(body.generator).toBe('extractive');
      expect(body.conversationId).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(engine.questions).toEqual([
        {
          text: 'How many days of annual leave do I get?',
          asker: { id: 'web:anonymous', principals: ['everyone'] },
          history: [],
          // Only the asker sees a web chat answer, so it may use the asker's own access.
          conversation: { platform: 'web', channelId: body.conversationId, visibility: 'private' },
        },
      ]);
    });

    it('passes the conversation so far on the next question of the same conversation', async () => {
      await start();
      const first = (await ask({ question: 'How many days of annual leave do I get?' })).json<AskResponse>();
      const second = await ask({ question: 'And part-time staff?', conversationId: first.conversationId });
      expect(second.statusCode).toBe(200);
      expect(second.json<AskResponse>().conversationId).toBe(first.conversationId);
      expect(engine.questions[1]?.history).toEqual([
        { question: 'How many days of annual leave do I get?', answer: 'Answer 1: employees get 15 days of annual leave [1].' },
      ]);

      // Another conversation starts empty.
      await ask({ question: 'Unrelated question' });
      expect(engine.questions[2]?.history).toEqual([]);
    });

    it('keeps the last six turns of a conversation', async () => {
      await start();
      const conversationId = 'conversation-1';
      for (let turn = 1; turn <= 8; turn += 1) await ask({ question: `Question ${turn}`, conversationId });
      const history = engine.questions[7]?.history ?? [];
      expect(history).toHaveLength(6);
      expect(history[0]?.question).toBe('Question 2');
      expect(history[5]?.question).toBe('Question 7');
    });

    it('forgets a conversation after an hour', async () => {
      let now = 0;
      await start({ conversations: new ConversationMemory({ now: () => now }) });
      await ask({ question: 'First', conversationId: 'c1' });
      now += 59 * 60 * 1000;
      await ask({ question: 'Second', conversationId: 'c1' });
      expect(engine.questions[1]?.history).toHaveLength(1);
      now += 60 * 60 * 1000;
      await ask({ question: 'Third', conversationId: 'c1' });
      expect(engine.questions[2]?.history).toEqual([]);
    });

    it.each([
      [{ question: '' }, 'Please type a question.'],
      [{ question: '   \n ' }, 'Please type a question.'],
      [{ question: 'x'.repeat(2001) }, 'Questions can be at most 2000 characters long.'],
      [{}, 'question must be a string.'],
      [{ question: 42 }, 'question must be a string.'],
      [{ question: 'Fine', conversationId: '../../etc' }, 'conversationId must be 1 to 100 letters, digits, "-" or "_".'],
      [['question'], 'Send a JSON object such as {"question": "..."}.'],
    ])('rejects %j with 400', async (body, message) => {
      await start();
      const response = await ask(body);
      expect(response.statusCode).toBe(400);
      expect(response.json<WebErrorBody>()).toEqual({ error: { code: 'invalid_request', message } });
      expect(engine.questions).toHaveLength(0);
    });

    it('accepts a question of exactly 2000 characters, Korean included', async () => {
      await start();
      const response = await ask({ question: '휴'.repeat(2000) });
      expect(response.statusCode).toBe(200);
    });

    it('rejects malformed JSON, other content types and oversized bodies', async () => {
      await start();
      const malformed = await app.inject({ method: 'POST', url: '/api/ask', headers: { 'content-type': 'application/json' }, payload: '{"question":' });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json<WebErrorBody>().error.message).toBe('The request body is not valid JSON.');

      const plain = await app.inject({ method: 'POST', url: '/api/ask', headers: { 'content-type': 'text/plain' }, payload: '{"question":"hi"}' });
      expect(plain.statusCode).toBe(415);
      expect(plain.json<WebErrorBody>().error.code).toBe('invalid_request');

      const huge = await ask({ question: 'x'.repeat(64 * 1024) });
      expect(huge.statusCode).toBe(413);
      expect(huge.json<WebErrorBody>()).toEqual({ error: { code: 'payload_too_large', message: 'The request is too large.' } });
      expect(engine.questions).toHaveLength(0);
    });

    it('answers 500 with a short message and no internals when the engine fails', async () => {
      await start();
      const failure = new Error('ENOENT: /srv/secret/index.lance missing');
      engine.failWith = failure;
      const response = await ask({ question: 'Anything?' });
      expect(response.statusCode).toBe(500);
      expect(response.json<WebErrorBody>()).toEqual({
        error: { code: 'internal', message: 'Sorry, something went wrong while answering. Please try again.' },
      });
      expect(response.body).not.toContain('secret');
      expect(response.body).not.toContain('at ');

      engine.failWith = new DocentError('index_unavailable', 'LanceDB at /srv/secret is locked');
      const retryable = await ask({ question: 'Anything?' });
      expect(retryable.statusCode).toBe(500);
      expect(retryable.json<WebErrorBody>().error.code).toBe('index_unavailable');
      expect(retryable.body).not.toContain('secret');
    });

    it('does not remember a turn that failed', async () => {
      await start();
      engine.failWith = new Error('boom');
      await ask({ question: 'Failed one', conversationId: 'c2' });
      engine.failWith = undefined;
      await ask({ question: 'Next one', conversationId: 'c2' });
      expect(engine.questions[1]?.history).toEqual([]);
    });
  });

  describe('GET /files/:documentId', () => {
    it('streams a readable original inline with its type', async () => {
      await start();
      const response = await app.inject({ method: 'GET', url: `/files/${encodeURIComponent('folder:handbook/leave.pdf')}` });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(response.headers['content-disposition']).toBe(`inline; filename="leave.pdf"; filename*=UTF-8''leave.pdf`);
      expect(response.headers['content-length']).toBe(String('%PDF-1.4 fake pdf bytes'.length));
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['cache-control']).toBe('private, no-store');
      expect(response.body).toBe('%PDF-1.4 fake pdf bytes');
      expect(documents.calls).toEqual([{ documentId: 'folder:handbook/leave.pdf', principals: ['everyone'] }]);
    });

    it('uses the given media type and a safe file name for non-ASCII names', async () => {
      await start();
      const response = await app.inject({ method: 'GET', url: `/files/${encodeURIComponent('folder:hr/vacation.docx')}` });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      const disposition = String(response.headers['content-disposition']);
      expect(disposition).toBe(
        `inline; filename="__ __ _2024_.docx"; filename*=UTF-8''${encodeURIComponent('휴가 규정 "2024".docx')}`,
      );
      expect(response.body).toBe('korean docx bytes');
    });

    it('answers 404 alike for unknown documents, documents the asker may not read and vanished files', async () => {
      await start();
      const unknown = await app.inject({ method: 'GET', url: '/files/folder%3Anope.pdf' });
      const forbidden = await app.inject({ method: 'GET', url: `/files/${encodeURIComponent('folder:finance/salaries.xlsx')}` });
      const vanished = await app.inject({ method: 'GET', url: `/files/${encodeURIComponent('folder:gone.pdf')}` });
      for (const response of [unknown, forbidden, vanished]) {
        expect(response.statusCode).toBe(404);
        expect(response.json<WebErrorBody>()).toEqual({ error: { code: 'not_found', message: 'Document not found.' } });
      }
      expect(forbidden.body).not.toContain('secret numbers');
      expect(documents.calls.map((call) => call.documentId)).toEqual(['folder:nope.pdf', 'folder:finance/salaries.xlsx', 'folder:gone.pdf']);
    });

    it('opens files that could run scripts in a sandbox', async () => {
      await start();
      const response = await app.inject({ method: 'GET', url: `/files/${encodeURIComponent('folder:web/page.html')}` });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(String(response.headers['content-security-policy'])).toMatch(/^sandbox; default-src 'none'/);
    });
  });

  describe('health probes', () => {
    it('GET /healthz says the process is alive', async () => {
      await start();
      const response = await app.inject({ method: 'GET', url: '/healthz' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ok' });
    });

    it('GET /readyz returns the report, 200 when ready and 503 when not', async () => {
      await start();
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ ready: true, checks: { index: { ok: true, detail: '42 documents' } } });

      report = { ready: false, checks: { index: { ok: true, detail: '42 documents' }, model: { ok: false, detail: 'model file not found' } } };
      const notReady = await app.inject({ method: 'GET', url: '/readyz' });
      expect(notReady.statusCode).toBe(503);
      expect(notReady.json()).toEqual(report);
    });

    it('GET /readyz answers 503 when the check itself fails', async () => {
      await start();
      report = new Error('index directory locked');
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({ ready: false, checks: { readiness: { ok: false, detail: 'index directory locked' } } });
    });
  });

  it('asks whoever resolveAsker says is asking', async () => {
    engine = new RecordingAnswerEngine();
    documents = new RecordingDocumentFiles();
    app = await createWebServer({
      engine,
      documents,
      readiness: async () => ({ ready: true, checks: {} }),
      resolveAsker: () => ({ asker: { id: 'web:kim', principals: ['user:kim', 'group:finance'] } }),
    });
    await ask({ question: 'Salaries?' });
    expect(engine.questions[0]?.asker).toEqual({ id: 'web:kim', principals: ['user:kim', 'group:finance'] });
    await app.inject({ method: 'GET', url: '/files/x' });
    expect(documents.calls[0]?.principals).toEqual(['user:kim', 'group:finance', 'everyone']);
  });

  it('records feedback on an answer and says when the answer is unknown', async () => {
    const recorded: Feedback[] = [];
    const feedback: FeedbackRecorder = {
      async recordFeedback(entry) {
        if (entry.answerId !== 'answer-1') throw new DocentError('audit_record_not_found', `no answer with id ${entry.answerId} is in the audit log`);
        recorded.push(entry);
      },
    };
    app = await createWebServer({ engine: new RecordingAnswerEngine(), documents: new RecordingDocumentFiles(), readiness: async () => ({ ready: true, checks: {} }), feedback });
    const post = (body: unknown) => app.inject({ method: 'POST', url: '/api/feedback', payload: body as object });
    expect((await post({ answerId: 'answer-1', rating: 'down', comment: 'outdated' })).statusCode).toBe(204);
    expect(recorded).toEqual([{ answerId: 'answer-1', rating: 'down', comment: 'outdated', platform: 'web', asker: { id: 'web:anonymous', principals: ['everyone'] } }]);
    const unknown = await post({ answerId: 'answer-9', rating: 'up' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<WebErrorBody>().error.message).toContain('answer-9');
    expect((await post({ answerId: 'answer-1', rating: 'sideways' })).statusCode).toBe(400);
  });

  it('takes the signed-in user from a trusted proxy header, resolves their groups, and refuses requests that bypass the proxy', async () => {
    const directory: Directory = {
      kind: 'static',
      async resolve(identity: ChatIdentity) {
        return identity.userId === 'kim' ? { found: true, principals: ['user:kim', 'group:finance'], displayName: 'Kim' } : { found: false, principals: [] };
      },
      async close() {},
    };
    const access = new AccessResolver(directory, { policyFor: async () => ({ audience: 'common' }) } as never, { maximumCommonMembers: 50 });
    const engine = new RecordingAnswerEngine();
    app = await createWebServer({
      engine,
      documents: new RecordingDocumentFiles(),
      readiness: async () => ({ ready: true, checks: {} }),
      resolveAsker: proxyLoginAsker({ userHeader: 'X-Remote-User', trustedProxies: ['127.0.0.1'] }, access),
    });
    const asked = await app.inject({ method: 'POST', url: '/api/ask', payload: { question: 'Budget?' }, headers: { 'x-remote-user': 'kim' }, remoteAddress: '127.0.0.1' });
    expect(asked.statusCode).toBe(200);
    expect(engine.questions[0]).toMatchObject({ asker: { id: 'web:kim', principals: ['user:kim', 'group:finance'] }, conversation: { platform: 'web', visibility: 'private' } });
    const stranger = await app.inject({ method: 'POST', url: '/api/ask', payload: { question: 'Budget?' }, headers: { 'x-remote-user': 'lee' }, remoteAddress: '127.0.0.1' });
    expect(engine.questions[1]).toMatchObject({ asker: { id: 'web:lee', principals: [] }, accessNotice: expect.stringContaining('not in the directory') });
    expect(stranger.statusCode).toBe(200);
    const missing = await app.inject({ method: 'POST', url: '/api/ask', payload: { question: 'Budget?' }, remoteAddress: '127.0.0.1' });
    expect(missing.statusCode).toBe(401);
    const forged = await app.inject({ method: 'POST', url: '/api/ask', payload: { question: 'Budget?' }, headers: { 'x-remote-user': 'kim' }, remoteAddress: '10.1.2.3' });
    expect(forged.statusCode).toBe(401);
    expect(forged.json<WebErrorBody>().error.code).toBe('unauthenticated');
    expect(engine.questions).toHaveLength(2);
  });
});
