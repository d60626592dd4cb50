import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText, detectLegacyEncoding, normaliseEncodingName } from './decode-text.js';

const encode = (text: string, encoding: string): Uint8Array => new Uint8Array(iconv.encode(text, encoding));

describe('decodeText', () => {
  it('decodes UTF-8 with and without a byte order mark', () => {
    const text = '회의록: Café “quoted” — 日本語 ✓';
    expect(decodeText(new Uint8Array(Buffer.from(text)))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeText(new Uint8Array(Buffer.from(`\uFEFF${text}`)))).toEqual({ text, encoding: 'utf-8' });
  });

  it('decodes UTF-16 with a byte order mark in either byte order', () => {
    expect(decodeText(encode('\uFEFF안녕하세요, world', 'utf-16le'))).toEqual({ text: '안녕하세요, world', encoding: 'utf-16le' });
    expect(decodeText(encode('\uFEFF안녕하세요, world', 'utf-16be'))).toEqual({ text: '안녕하세요, world', encoding: 'utf-16be' });
  });

  it('recognises Latin text in UTF-16 without a byte order mark', () => {
    expect(decodeText(encode('Plain report text, exported by an old tool.', 'utf-16le')).encoding).toBe('utf-16le');
  });

  it('keeps UTF-8 text whose last character was cut off by truncation', () => {
    const bytes = Buffer.from('요약: 매출 증가');
    expect(decodeText(new Uint8Array(bytes.subarray(0, bytes.length - 1)))).toEqual({ text: '요약: 매출 증', encoding: 'utf-8' });
  });

  const roundTrips: [string, string, string][] = [
    ['Korean (EUC-KR)', '안녕하세요. 한국어 문서입니다. 회의록을 첨부합니다.', 'euc-kr'],
    ['Korean (CP949) report', '2024년 3분기 실적 보고서\n매출: 1,234억 원 (전년 대비 12% 증가)\n담당: 김철수 과장', 'cp949'],
    ['Korean CSV', '이름,부서,연락처\n홍길동,인사팀,010-1234-5678\n김영희,개발팀,010-9876-5432', 'euc-kr'],
    ['a single Korean word', '한국', 'euc-kr'],
    ['Japanese (Shift-JIS)', '会議資料：第３四半期の売上は前年同期比１２％増となりました。', 'shift_jis'],
    ['Japanese kanji only', '東京都', 'shift_jis'],
    ['Japanese CSV', '社員番号,氏名,部署\n1001,山田太郎,営業部\n1002,鈴木花子,経理部', 'shift_jis'],
    ['Japanese half-width katakana', 'ｶﾀｶﾅ半角', 'shift_jis'],
    ['Japanese (EUC-JP)', 'こんにちは。日本語の文書です。', 'euc-jp'],
    ['French (Windows-1252)', 'Résumé : l’équipe a livré le projet « à temps » — coût 1 200 €.', 'windows-1252'],
    ['German (Windows-1252)', 'Die Größe der Straße ist übermäßig.', 'windows-1252'],
    ['a short Western word', 'été', 'windows-1252'],
    ['a Western word ending in an accent', 'Café', 'windows-1252'],
    ['Spanish with inverted marks', 'Señor Muñoz, ¿cómo está?', 'windows-1252'],
    ['Russian (Windows-1251)', 'Привет, как дела? Это документ.', 'windows-1251'],
    ['Chinese (GB18030)', '我们的会议记录在这里。', 'gb18030'],
  ];
  it.each(roundTrips)('round-trips %s', (_, text, encoding) => {
    expect(decodeText(encode(text, encoding)).text).toBe(text);
  });

  it('names the legacy encoding it used', () => {
    expect(decodeText(encode('한국어 문서입니다', 'euc-kr')).encoding).toBe('cp949');
    expect(decodeText(encode('日本語の文書です', 'shift_jis')).encoding).toBe('shift_jis');
    expect(decodeText(encode('naïve “quotes” €', 'windows-1252')).encoding).toBe('windows-1252');
  });

  it('follows a declared encoding when the bytes are not UTF-8', () => {
    expect(decodeText(encode('Ça coûte 5 €', 'iso-8859-15'), { declaredEncoding: 'ISO-8859-15' })).toEqual({ text: 'Ça coûte 5 €', encoding: 'iso-8859-15' });
  });

  it('prefers valid UTF-8 over a declared legacy encoding, the usual mislabelling', () => {
    expect(decodeText(new Uint8Array(Buffer.from('Café crème')), { declaredEncoding: 'iso-8859-1' })).toEqual({ text: 'Café crème', encoding: 'utf-8' });
  });

  it('decodes 7-bit ISO-2022-JP, which would otherwise pass as ASCII', () => {
    expect(decodeText(new Uint8Array(Buffer.from('\x1b$B$3$s$K$A$O\x1b(B', 'latin1'))).text).toBe('こんにちは');
  });

  it('handles an empty input', () => {
    expect(decodeText(new Uint8Array())).toEqual({ text: '', encoding: 'utf-8' });
  });

  it('scores long legacy files on a sample and stays fast', () => {
    const bytes = encode('회의록 내용입니다. 다음 주까지 검토 부탁드립니다. Project status: on track.\n'.repeat(3000), 'cp949');
    const started = performance.now();
    expect(detectLegacyEncoding(bytes)).toBe('cp949');
    expect(performance.now() - started).toBeLessThan(1500);
  });
});

describe('normaliseEncodingName', () => {
  it('maps labels to the supersets real files use', () => {
    expect(normaliseEncodingName('EUC-KR')).toBe('cp949');
    expect(normaliseEncodingName('ks_c_5601-1987')).toBe('cp949');
    expect(normaliseEncodingName('Shift_JIS')).toBe('shift_jis');
    expect(normaliseEncodingName('ISO-8859-1')).toBe('windows-1252');
    expect(normaliseEncodingName(' "UTF8" ')).toBe('utf-8');
    expect(normaliseEncodingName('')).toBeUndefined();
  });
});
