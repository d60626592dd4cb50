import { describe, expect, it } from 'vitest';
import { countTokens } from './token-count.js';
import { splitSentences } from './sentences.js';

describe('countTokens', () => {
  it('counts words, punctuation and long-word pieces', () => {
    expect(countTokens('Hello, world.')).toBe(4);
    expect(countTokens('authentication')).toBe(3);
  });

  it('counts each CJK character as a token', () => {
    expect(countTokens('연차 휴가')).toBe(4);
  });
});

describe('splitSentences', () => {
  it('splits English and Korean sentences with offsets into the original text', () => {
    const text = 'Leave is 25 days.  It accrues monthly! 연차는 15일입니다. 신청은 HR 포털에서 합니다.';
    const spans = splitSentences(text);
    expect(spans.map((span) => span.text)).toEqual(['Leave is 25 days.', 'It accrues monthly!', '연차는 15일입니다.', '신청은 HR 포털에서 합니다.']);
    for (const span of spans) expect(text.slice(span.start, span.end)).toBe(span.text);
  });
});
