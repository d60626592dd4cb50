import { describe, expect, it } from 'vitest';
import { toLexicalQuery, toLexicalText } from './lexical-text.js';

describe('toLexicalText', () => {
  it('leaves space-separated languages alone', () => {
    expect(toLexicalText('Annual leave is 25 days.')).toBe('Annual leave is 25 days.');
  });

  it('turns Korean runs into overlapping bigrams so particles do not hide the stem', () => {
    const indexed = toLexicalText('연차 휴가를 신청합니다').split(/\s+/).filter(Boolean);
    const asked = toLexicalText('휴가는').split(/\s+/).filter(Boolean);
    expect(indexed).toEqual(['연차', '휴가', '가를', '신청', '청합', '합니', '니다']);
    expect(asked).toContain('휴가');
    expect(indexed).toContain('휴가');
  });

  it('keeps single CJK characters and mixed text', () => {
    expect(toLexicalText('VPN 및 MFA').split(/\s+/).filter(Boolean)).toEqual(['VPN', '및', 'MFA']);
  });
});

describe('toLexicalQuery', () => {
  it('strips query syntax so a question cannot change or break the query', () => {
    expect(toLexicalQuery('title:"secret" AND (vpn -mfa)?')).toBe('title secret vpn mfa');
  });
});
