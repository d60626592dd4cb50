import { describe, expect, it } from 'vitest';
import type { Chunk } from '../core/chunk.js';
import type { SearchHit } from '../core/search.js';
import { answerExtractively, candidatesOf, extractiveAnswerer, notFoundText } from './extractive-answerer.js';
import { standaloneQuery } from './follow-up.js';

function hit(id: string, text: string, score: number, extra: Partial<Chunk> = {}): SearchHit {
  return {
    score,
    chunk: {
      id: `${id}#0`, documentId: id, sourceId: 's', ordinal: 0, title: extra.title ?? id, uri: `/docs/${id}`, headingPath: [], location: {},
      startOffset: 0, endOffset: text.length, text, tokenCount: 10, access: ['everyone'], contentHash: 'h', ...extra,
    },
  };
}

const options = { maxSentences: 3, minimumCoverage: 0.5 };

describe('answerExtractively', () => {
  const hits = [
    hit('leave-policy.docx', 'Annual leave is granted every January. Full-time employees receive 25 days of paid annual leave per year. Unused days expire.', 0.9, {
      title: 'Leave Policy', headingPath: ['Leave Policy', 'Annual leave'], location: { page: 2 },
    }),
    hit('expenses.pdf', 'Meals are reimbursed up to 60 dollars per day. Receipts are required.', 0.4, { title: 'Travel and Expenses' }),
  ];

  it('quotes the sentence that answers the question and cites where it is', () => {
    const answer = answerExtractively('How many days of paid annual leave do employees get?', hits, options);
    expect(answer.notFound).toBe(false);
    expect(answer.sentences[0]!.text).toBe('Full-time employees receive 25 days of paid annual leave per year.');
    expect(answer.text).toMatch(/^Full-time employees receive 25 days of paid annual leave per year\. \[1\]/);
    expect(answer.citations[0]).toMatchObject({ number: 1, documentId: 'leave-policy.docx', title: 'Leave Policy', uri: '/docs/leave-policy.docx', locationLabel: 'page 2 · Annual leave' });
    expect(answer.citations[0]!.excerpt).toContain('25 days');
    expect(answer.generator).toBe('extractive');
  });

  it('numbers citations by first use and only lists cited sources', () => {
    const answer = answerExtractively('meal reimbursement per day receipts', hits, options);
    expect(answer.citations.map((citation) => citation.documentId)).toEqual(['expenses.pdf']);
    expect(answer.sentences.every((sentence) => sentence.citations[0] === 1)).toBe(true);
  });

  it('says honestly when the passages do not answer, listing the closest sources', () => {
    const answer = answerExtractively("What is the CEO's salary?", hits, options);
    expect(answer.notFound).toBe(true);
    expect(answer.text).toBe(notFoundText);
    expect(answer.citations.map((citation) => citation.number)).toEqual([1, 2]);
    expect(answerExtractively('annual leave', [], options).notFound).toBe(true);
  });

  it('quotes the lines a colon introduces together with it', () => {
    const passage = hit('mfa.md', 'Sign-in rules apply to everyone.\nIf you lose the phone that holds the authenticator app:\n- Call the help desk at extension 4000.\n- You get a Temporary Access Pass valid for 8 hours.\n- Register the new phone within a week.\nOther text follows here.', 0.9);
    const answer = answerExtractively('I lost the phone with my authenticator app, what do I do?', [passage], options);
    expect(answer.sentences[0]!.text).toBe('If you lose the phone that holds the authenticator app: - Call the help desk at extension 4000. - You get a Temporary Access Pass valid for 8 hours. - Register the new phone within a week.');
  });

  it('answers Korean questions from Korean passages', () => {
    const answer = answerExtractively('연차 휴가는 며칠인가요?', [hit('ko.md', '연차 휴가는 입사 첫해 15일입니다. 병가는 별도로 부여됩니다.', 0.8)], options);
    expect(answer.notFound).toBe(false);
    expect(answer.sentences[0]!.text).toBe('연차 휴가는 입사 첫해 15일입니다.');
  });
});

describe('standaloneQuery', () => {
  const history = [{ question: 'How do I set up the VPN on my laptop?', answer: 'Install the client [1]' }];

  it('carries the previous question into a follow-up that refers back', () => {
    expect(standaloneQuery('And on Linux?', history)).toContain('VPN');
    expect(standaloneQuery('Who approves it?', history)).toContain('VPN');
  });

  it('leaves a self-contained question alone', () => {
    expect(standaloneQuery('How many days of annual leave do employees get?', history)).toBe('How many days of annual leave do employees get?');
    expect(standaloneQuery('And on Linux?')).toBe('And on Linux?');
  });
});

describe('ExtractiveAnswerer.worthEmbedding', () => {
  const policy = hit(
    'leave-policy.docx',
    'Full-time employees receive 25 days of paid annual leave per year. The office is closed on public holidays. Parking is free.',
    0.9,
    { title: 'Leave Policy' },
  );
  const weakPassage = hit('canteen.md', 'The canteen opens at noon. Coffee is free for everyone.', 0.2, { title: 'Canteen' });
  const question = 'How many days of paid annual leave do employees get?';

  it('keeps the sentences that could be quoted and leaves out those that could not, whatever they mean', () => {
    const hits = [policy, weakPassage];
    const worth = extractiveAnswerer(question, hits).worthEmbedding(candidatesOf(hits), options).map((candidate) => candidate.text);
    expect(worth).toContain('Full-time employees receive 25 days of paid annual leave per year.');
    // No question term, in a passage ranked far below: even the closest meaning would not reach the quoting threshold.
    expect(worth).not.toContain('The canteen opens at noon.');
    expect(worth).not.toContain('Coffee is free for everyone.');
  });

  it('chooses the same sentences from what it keeps as from every candidate', () => {
    const hits = [policy, weakPassage];
    const candidates = candidatesOf(hits);
    const worth = extractiveAnswerer(question, hits).worthEmbedding(candidates, options);
    // Closeness in meaning as an embedder might give it: the canteen sentences closest of all.
    const similarity = (text: string): number => (text.startsWith('The canteen') || text.startsWith('Coffee') ? 0.9 : text.startsWith('Full-time') ? 0.7 : 0.3);
    const everything = answerExtractively(question, hits, options, candidates, candidates.map((candidate) => similarity(candidate.text)));
    const kept = answerExtractively(question, hits, options, worth, worth.map((candidate) => similarity(candidate.text)));
    expect(kept.text).toBe(everything.text);
  });

  it('keeps none when the passages hold too few of the question\'s terms to be quoted at all', () => {
    const hits = [weakPassage];
    expect(extractiveAnswerer('What is the CEO\'s salary?', hits).worthEmbedding(candidatesOf(hits), options)).toEqual([]);
  });
});
