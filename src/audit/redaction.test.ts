import { describe, expect, it } from 'vitest';
import { redactionKinds } from './audit-record.js';
import { luhnHolds, redactFields, redactPersonalData } from './redaction.js';

const all = redactionKinds;

function redacted(text: string): string {
  return redactPersonalData(text, all).text;
}

describe('redactPersonalData', () => {
  it('removes e-mail addresses', () => {
    const result = redactPersonalData('Write to kim.minji+hr@example.co.kr or HR@Corp.Example.com.', all);
    expect(result.text).toBe('Write to [redacted:email] or [redacted:email].');
    expect(result.found).toEqual([{ kind: 'email', count: 2 }]);
  });

  it('leaves look-alikes of e-mail addresses', () => {
    for (const text of ['ping @channel about it', 'user@localhost', 'a@b', 'price @ 3.50']) expect(redacted(text)).toBe(text);
  });

  it('removes Korean phone numbers in every usual form', () => {
    const numbers = ['010-1234-5678', '010 1234 5678', '01012345678', '02-123-4567', '02-1234-5678', '031.123.4567', '(02) 1234-5678', '070-1234-5678', '+82-10-1234-5678', '+82 2 1234 5678'];
    for (const number of numbers) {
      const result = redactPersonalData(`전화: ${number} 로 연락`, all);
      expect(result.text, number).toBe('전화: [redacted:phone] 로 연락');
      expect(result.found).toEqual([{ kind: 'phone', count: 1 }]);
    }
  });

  it('removes international and North American phone numbers', () => {
    expect(redacted('call +1 (415) 555-0100 or 415-555-0199 or +44 20 7946 0958')).toBe('call [redacted:phone] or [redacted:phone] or [redacted:phone]');
  });

  it('leaves dates, times, versions, amounts and business numbers alone', () => {
    const texts = [
      'Submit it by 2024-11-25 or 2024.11.25 (25.11.2024) at 10:30.',
      'Version 1.2.3 of the handbook, section 4.2.1, IP 192.168.0.1.',
      'The allowance is ₩1,234,567 a year, 12,000,000 won in total, 15 days of leave.',
      'Call the help desk on 1588-1234 (a company number), room 0203, extension 4417.',
      'Years 2019-2024, ticket INV-2024-000123, order 20241125.',
    ];
    for (const text of texts) expect(redacted(text), text).toBe(text);
  });

  it('removes resident registration numbers with a valid date and sex digit', () => {
    const result = redactPersonalData('주민등록번호 900101-1234567, 외국인 851231 - 5234567', all);
    expect(result.text).toBe('주민등록번호 [redacted:resident-registration-number], 외국인 [redacted:resident-registration-number]');
    expect(result.found).toEqual([{ kind: 'resident-registration-number', count: 2 }]);
  });

  it('removes a resident registration number written without its hyphen only when its check digit holds', () => {
    expect(redacted('번호 9001011234568')).toBe('번호 [redacted:resident-registration-number]');
    expect(redacted('바코드 9001011234567')).toBe('바코드 9001011234567');
  });

  it('leaves resident-number look-alikes: impossible dates, other sex digits, other groupings', () => {
    for (const text of ['991332-1234567', '900100-1234567', '900101-9234567', '900101-123456', '2024-1125-1234567']) expect(redacted(text), text).toBe(text);
  });

  it('removes card numbers that pass the Luhn check, however they are grouped', () => {
    const result = redactPersonalData('Cards 4111 1111 1111 1111, 5500-0000-0000-0004, 378282246310005 and 3782 822463 10005.', all);
    expect(result.text).toBe('Cards [redacted:card-number], [redacted:card-number], [redacted:card-number] and [redacted:card-number].');
    expect(result.found).toEqual([{ kind: 'card-number', count: 4 }]);
  });

  it('leaves 16-digit numbers that fail the Luhn check', () => {
    for (const text of ['4111 1111 1111 1112', 'order 1234567890123456', 'tracking 4111-1111-1111-1113']) expect(redacted(text), text).toBe(text);
  });

  it('redacts only the configured kinds', () => {
    const text = 'kim@example.com 010-1234-5678 900101-1234567 4111111111111111';
    expect(redactPersonalData(text, ['phone']).text).toBe('kim@example.com [redacted:phone] 900101-1234567 4111111111111111');
    expect(redactPersonalData(text, []).text).toBe(text);
  });

  it('counts each number once, as its most specific kind', () => {
    const result = redactPersonalData('9001011234568 and 4111111111111111', all);
    expect(result.found).toEqual([
      { kind: 'resident-registration-number', count: 1 },
      { kind: 'card-number', count: 1 },
    ]);
  });
});

describe('redactFields', () => {
  it('lists kinds and counts per field, never the removed values', () => {
    const { values, redactions } = redactFields({ question: 'Is kim@example.com on 010-1234-5678?', answer: 'Yes: kim@example.com', query: undefined }, all);
    expect(values).toEqual({ question: 'Is [redacted:email] on [redacted:phone]?', answer: 'Yes: [redacted:email]', query: undefined });
    expect(redactions).toEqual([
      { field: 'question', kind: 'email', count: 1 },
      { field: 'question', kind: 'phone', count: 1 },
      { field: 'answer', kind: 'email', count: 1 },
    ]);
    expect(JSON.stringify(redactions)).not.toMatch(/kim|1234/);
  });
});

describe('luhnHolds', () => {
  it('checks the Luhn digit and the length of card numbers', () => {
    expect(luhnHolds('4111111111111111')).toBe(true);
    expect(luhnHolds('4111111111111112')).toBe(false);
    expect(luhnHolds('0')).toBe(false);
  });
});
