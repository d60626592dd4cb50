import type { AnswerContent, AuditContent, AuditRecord } from '../../src/audit/audit-record.js';
import { sealRecord } from '../../src/audit/record-chain.js';

/** An answer record's content with sensible defaults, for tests. */
export function answerContent(overrides: Partial<AnswerContent> = {}): AnswerContent {
  return {
    type: 'answer',
    platform: 'slack',
    channelId: 'C-FINANCE',
    visibility: 'shared',
    asker: { id: 'U123', principals: ['user:u123', 'group:finance'] },
    question: 'How long do I have to submit my expense report?',
    query: 'How long do I have to submit my expense report?',
    retrieved: [{ chunkId: 'file:///handbook/expenses.md#2', documentId: 'file:///handbook/expenses.md', contentHash: 'a'.repeat(64), score: 0.9 }],
    cited: [{ number: 1, chunkId: 'file:///handbook/expenses.md#2', documentId: 'file:///handbook/expenses.md', contentHash: 'a'.repeat(64), title: 'Expense policy', uri: 'file:///handbook/expenses.md' }],
    generator: 'extractive',
    answer: 'Submit expense reports within 30 days [1].',
    notFound: false,
    latencyMs: 42,
    redactions: [],
    ...overrides,
  };
}

/** A sealed record (as stored), for tests that need records without a log on disk. */
export function sealedRecord(content: AuditContent, sequence = 1, time = '2026-11-25T10:00:00.000Z'): AuditRecord {
  return sealRecord(content, { sequence, id: `record-${sequence}`, time, previousHash: '0'.repeat(64) }).record;
}
