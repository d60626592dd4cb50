import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerContent } from '../../test/support/audit-records.js';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { AuditLog } from './audit-log.js';
import type { AuditRecord } from './audit-record.js';
import { reviewFeedback } from './feedback-review.js';

const dayMs = 24 * 60 * 60 * 1000;

describe('reviewFeedback', () => {
  async function logWithFeedback(): Promise<{ directory: string; answers: AuditRecord[] }> {
    const directory = path.join(await temporaryDirectory(), 'audit');
    let now = new Date(Date.now() - 3 * dayMs);
    const log = await AuditLog.open({ directory, now: () => now });
    const answers: AuditRecord[] = [];
    answers.push(await log.append(answerContent({ question: 'How long do I have to submit my expense report?' })));
    answers.push(await log.append(answerContent({ question: 'Where is the VPN guide?', answer: 'I could not find it.', notFound: true, cited: [] })));
    await log.append({ type: 'feedback', answerId: answers[0]!.id, asker: { id: 'U123', principals: ['user:u123'] }, rating: 'up', platform: 'slack', redactions: [] });
    now = new Date(Date.now() - 1 * dayMs);
    answers.push(await log.append(answerContent({ question: 'How many days of annual leave?', answer: 'Fifteen [1].' })));
    await log.append({ type: 'feedback', answerId: answers[1]!.id, asker: { id: 'U456', principals: ['user:u456'] }, rating: 'down', comment: 'The VPN guide exists, under IT.', platform: 'web', redactions: [] });
    await log.append({ type: 'feedback', answerId: answers[2]!.id, asker: { id: 'U123', principals: ['user:u123'] }, rating: 'down', comment: 'It is 20 days now.', redactions: [] });
    await log.close();
    return { directory, answers };
  }

  it('puts each rating beside the answer it rated, newest first', async () => {
    const { directory, answers } = await logWithFeedback();
    const review = await reviewFeedback(directory, { limit: 10 });
    expect(review.counts).toEqual({ up: 1, down: 2 });
    expect(review.items.map((item) => [item.rating, item.comment, item.answer?.question])).toEqual([
      ['down', 'It is 20 days now.', 'How many days of annual leave?'],
      ['down', 'The VPN guide exists, under IT.', 'Where is the VPN guide?'],
      ['up', undefined, 'How long do I have to submit my expense report?'],
    ]);
    expect(review.items[1]).toMatchObject({ askerId: 'U456', platform: 'web', answerId: answers[1]!.id, answer: { id: answers[1]!.id, notFound: true, answer: 'I could not find it.' } });
    expect(review.items[2]!.answer?.cited).toEqual([{ number: 1, title: 'Expense policy', uri: 'file:///handbook/expenses.md', documentId: 'file:///handbook/expenses.md' }]);
  });

  it('filters by rating and time, and counts past the limit', async () => {
    const { directory } = await logWithFeedback();
    const down = await reviewFeedback(directory, { rating: 'down', limit: 1 });
    expect(down.counts).toEqual({ up: 0, down: 2 });
    expect(down.items.map((item) => item.comment)).toEqual(['It is 20 days now.']);
    const older = await reviewFeedback(directory, { to: new Date(Date.now() - 2 * dayMs), limit: 10 });
    expect(older.items.map((item) => item.rating)).toEqual(['up']);
    const none = await reviewFeedback(directory, { from: new Date(), limit: 10 });
    expect(none).toEqual({ items: [], counts: { up: 0, down: 0 } });
  });

  it('lists feedback whose answer is gone without its answer', async () => {
    const directory = path.join(await temporaryDirectory(), 'audit');
    const log = await AuditLog.open({ directory });
    await log.append({ type: 'feedback', answerId: 'removed-by-retention', asker: { id: 'U1', principals: [] }, rating: 'up', redactions: [] });
    await log.close();
    const review = await reviewFeedback(directory, { limit: 10 });
    expect(review.items).toHaveLength(1);
    expect(review.items[0]!.answer).toBeUndefined();
  });
});
