import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import type { Answer } from '../core/answer.js';
import type { AnswerEngine, AskOptions, Question } from '../core/answer-engine.js';
import { DocentError } from '../core/errors.js';
import { AuditLog } from './audit-log.js';
import type { AnswerContent, AuditContent, AuditRecord, FeedbackContent } from './audit-record.js';
import { auditFeedbackRecorder } from './audit-feedback-recorder.js';
import { AuditedAnswerEngine, type AuditRecorder } from './audited-answer-engine.js';
import { readRecords } from './record-reader.js';
import { verifyLog } from './verify-log.js';

/** Implements the real interface and records what it was asked. */
class FakeAnswerEngine implements AnswerEngine {
  readonly calls: { question: Question; options: AskOptions | undefined }[] = [];
  failWith: Error | undefined;

  async ask(question: Question, options?: AskOptions): Promise<Answer> {
    this.calls.push({ question, options });
    if (this.failWith) throw this.failWith;
    options?.onPartialText?.('Expense reports are due');
    return {
      id: 'set-by-the-inner-engine',
      question: question.text,
      notFound: false,
      text: 'Expense reports are due within 30 days [1]. Ask kim@example.com.',
      sentences: [{ text: 'Expense reports are due within 30 days [1].', citations: [1] }],
      citations: [
        {
          number: 1,
          documentId: 'file:///handbook/expenses.md',
          chunkId: 'file:///handbook/expenses.md#2',
          title: 'Expenses',
          uri: 'file:///handbook/expenses.md',
          location: {},
          headingPath: ['Expenses'],
          locationLabel: 'Expenses',
          excerpt: 'Submit within 30 days.',
        },
      ],
      generator: 'qwen2.5-3b-instruct',
      notice: undefined,
      query: 'When are expense reports due? Call 010-1234-5678',
      generation: { promptTokens: 500, answerTokens: 20, timeToFirstTokenMs: 80, promptVersion: 'grounded-answer/1' },
      retrieved: [
        { chunkId: 'file:///handbook/expenses.md#2', documentId: 'file:///handbook/expenses.md', contentHash: 'a'.repeat(64), modifiedAt: '2026-01-02T03:04:05.000Z', score: 0.91 },
        { chunkId: 'file:///handbook/travel.md#0', documentId: 'file:///handbook/travel.md', contentHash: 'b'.repeat(64), score: 0.4 },
      ],
      elapsedMs: 12,
    };
  }
}

const question: Question = {
  text: 'When are expense reports due? Call 010-1234-5678',
  asker: { id: 'U123', principals: ['user:u123', 'group:finance'] },
  conversation: { platform: 'slack', channelId: 'C42', threadId: '1700000000.0001', visibility: 'shared' },
};

async function openLog(): Promise<{ log: AuditLog; directory: string }> {
  const directory = path.join(await temporaryDirectory(), 'audit');
  return { log: await AuditLog.open({ directory }), directory };
}

async function stored(directory: string): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  for await (const { record } of readRecords(directory)) records.push(record);
  return records;
}

describe('AuditedAnswerEngine', () => {
  it('records the question, what was retrieved and cited, the model and the answer, then returns the answer with the record id', async () => {
    const { log, directory } = await openLog();
    const engine = new AuditedAnswerEngine(new FakeAnswerEngine(), log);
    const answer = await engine.ask(question);
    await log.close();
    const [record] = (await stored(directory)) as (AnswerContent & AuditRecord)[];
    expect(answer.id).toBe(record!.id);
    expect(answer.text).toContain('kim@example.com');
    expect(record).toMatchObject({
      type: 'answer',
      sequence: 1,
      platform: 'slack',
      channelId: 'C42',
      threadId: '1700000000.0001',
      visibility: 'shared',
      asker: { id: 'U123', principals: ['user:u123', 'group:finance'] },
      question: 'When are expense reports due? Call [redacted:phone]',
      query: 'When are expense reports due? Call [redacted:phone]',
      answer: 'Expense reports are due within 30 days [1]. Ask [redacted:email].',
      generator: 'qwen2.5-3b-instruct',
      promptVersion: 'grounded-answer/1',
      notFound: false,
      retrieved: [
        { chunkId: 'file:///handbook/expenses.md#2', documentId: 'file:///handbook/expenses.md', contentHash: 'a'.repeat(64), modifiedAt: '2026-01-02T03:04:05.000Z', score: 0.91 },
        { chunkId: 'file:///handbook/travel.md#0', documentId: 'file:///handbook/travel.md', contentHash: 'b'.repeat(64), score: 0.4 },
      ],
      cited: [{ number: 1, chunkId: 'file:///handbook/expenses.md#2', documentId: 'file:///handbook/expenses.md', contentHash: 'a'.repeat(64), modifiedAt: '2026-01-02T03:04:05.000Z', title: 'Expenses' }],
      redactions: [
        { field: 'question', kind: 'phone', count: 1 },
        { field: 'query', kind: 'phone', count: 1 },
        { field: 'answer', kind: 'email', count: 1 },
      ],
    });
    expect(record!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(record)).not.toMatch(/010-1234-5678|kim@example\.com/);
  });

  it('records a private conversation on an unnamed surface when the question does not say where it was asked', async () => {
    const { log, directory } = await openLog();
    await new AuditedAnswerEngine(new FakeAnswerEngine(), log, { redact: [] }).ask({ text: 'Hi 010-1234-5678', asker: { id: 'cli:me', principals: ['everyone'] } });
    await log.close();
    expect((await stored(directory))[0]).toMatchObject({ platform: 'unknown', visibility: 'private', question: 'Hi 010-1234-5678', redactions: [] });
  });

  it('returns the answer only after the record is stored', async () => {
    let releaseAppend: () => void = () => undefined;
    const appended: AuditContent[] = [];
    const recorder: AuditRecorder = {
      append: (content) =>
        new Promise((resolve) => {
          appended.push(content);
          releaseAppend = () => resolve({ ...content, sequence: 1, id: 'record-1', time: '', previousHash: '', hash: '' } as AuditRecord);
        }),
      findRecord: async () => undefined,
    };
    let settled = false;
    const asking = new AuditedAnswerEngine(new FakeAnswerEngine(), recorder).ask(question).then((answer) => {
      settled = true;
      return answer;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(appended).toHaveLength(1);
    expect(settled).toBe(false);
    releaseAppend();
    expect((await asking).id).toBe('record-1');
  });

  it('fails the answer with audit_unavailable when it cannot be recorded, instead of answering unrecorded', async () => {
    const recorder: AuditRecorder = { append: async () => Promise.reject(new Error('ENOSPC: no space left on device')), findRecord: async () => undefined };
    const error = await new AuditedAnswerEngine(new FakeAnswerEngine(), recorder).ask(question).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DocentError);
    expect(error).toMatchObject({ code: 'audit_unavailable', message: 'the answer was not shown because it could not be recorded: ENOSPC: no space left on device' });
  });

  it('withholds partial text unless told that streaming before recording is acceptable', async () => {
    const { log } = await openLog();
    const inner = new FakeAnswerEngine();
    const partial: string[] = [];
    await new AuditedAnswerEngine(inner, log).ask(question, { onPartialText: (text) => partial.push(text) });
    expect(inner.calls[0]!.options?.onPartialText).toBeUndefined();
    expect(partial).toEqual([]);
    await new AuditedAnswerEngine(inner, log, { streamBeforeRecorded: true }).ask(question, { onPartialText: (text) => partial.push(text) });
    expect(partial).toEqual(['Expense reports are due']);
    await log.close();
  });

  it('records questions that failed, and passes the failure on', async () => {
    const { log, directory } = await openLog();
    const inner = new FakeAnswerEngine();
    inner.failWith = new DocentError('index_unavailable', 'the index is being rebuilt');
    await expect(new AuditedAnswerEngine(inner, log).ask(question)).rejects.toThrow('the index is being rebuilt');
    await log.close();
    expect((await stored(directory))[0]).toMatchObject({ type: 'answer', failure: { code: 'index_unavailable', message: 'the index is being rebuilt' }, retrieved: [], cited: [] });
  });

  it('records feedback that refers to a recorded answer, with the comment redacted', async () => {
    const { log, directory } = await openLog();
    const engine = new AuditedAnswerEngine(new FakeAnswerEngine(), log);
    const answer = await engine.ask(question);
    const feedback = await engine.recordFeedback(answer.id!, question.asker, 'down', 'Wrong; ask hr@example.com');
    await log.close();
    expect(feedback).toMatchObject({ type: 'feedback', sequence: 2, answerId: answer.id, rating: 'down', comment: 'Wrong; ask [redacted:email]', redactions: [{ field: 'comment', kind: 'email', count: 1 }] });
    expect(((await stored(directory))[1] as FeedbackContent).answerId).toBe(answer.id);
    expect((await verifyLog(directory)).ok).toBe(true);
  });

  it('finds answers recorded by another process when feedback arrives', async () => {
    const { log } = await openLog();
    const answer = await new AuditedAnswerEngine(new FakeAnswerEngine(), log).ask(question);
    const elsewhere = new AuditedAnswerEngine(new FakeAnswerEngine(), log);
    expect(await elsewhere.recordFeedback(answer.id!, question.asker, 'up')).toMatchObject({ type: 'feedback', answerId: answer.id, rating: 'up' });
    await log.close();
  });

  it('takes feedback from chat surfaces through the FeedbackRecorder interface', async () => {
    const { log, directory } = await openLog();
    const engine = new AuditedAnswerEngine(new FakeAnswerEngine(), log);
    const answer = await engine.ask(question);
    const recorder = auditFeedbackRecorder(engine);
    await recorder.recordFeedback({ answerId: answer.id!, asker: question.asker, rating: 'up', platform: 'slack' });
    await expect(recorder.recordFeedback({ answerId: 'unknown', asker: question.asker, rating: 'up', platform: 'web' })).rejects.toMatchObject({ code: 'audit_record_not_found' });
    await log.close();
    expect((await stored(directory))[1]).toMatchObject({ type: 'feedback', answerId: answer.id, rating: 'up', platform: 'slack' });
  });

  it('refuses feedback for an answer the log does not hold', async () => {
    const { log } = await openLog();
    const engine = new AuditedAnswerEngine(new FakeAnswerEngine(), log);
    const admin = await engine.recordAdminAction('cli:alice', 'model.change', { to: 'qwen' });
    await expect(engine.recordFeedback('no-such-answer', question.asker, 'up')).rejects.toMatchObject({ code: 'audit_record_not_found', message: 'no answer with id no-such-answer is in the audit log' });
    await expect(engine.recordFeedback(admin.id, question.asker, 'up')).rejects.toMatchObject({ code: 'audit_record_not_found' });
    await log.close();
  });

  it('records admin actions', async () => {
    const { log } = await openLog();
    const record = await new AuditedAnswerEngine(new FakeAnswerEngine(), log).recordAdminAction('cli:alice', 'connector.create', { connector: 'confluence', space: 'HR' });
    await log.close();
    expect(record).toMatchObject({ type: 'admin', actor: 'cli:alice', action: 'connector.create', details: { connector: 'confluence', space: 'HR' } });
  });
});
