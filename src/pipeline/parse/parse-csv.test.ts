import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { detectDelimiter, parseCsv, parseDelimitedText } from './parse-csv.js';

const bytes = (value: string): Uint8Array => new Uint8Array(Buffer.from(value));

describe('parseCsv', () => {
  it('renders rows as Header: value lines', () => {
    const parsed = parseCsv(bytes('Name,Team,City\nKim,Sales,Seoul\nLee,R&D,Busan\n'), 'people.csv');
    expect(parsed.blocks).toEqual([{ kind: 'table', text: 'Name: Kim; Team: Sales; City: Seoul\nName: Lee; Team: R&D; City: Busan' }]);
    expect(parsed.metadata).toEqual({ encoding: 'utf-8', delimiter: ',' });
  });

  it('detects semicolons, tabs and pipes', () => {
    expect(parseCsv(bytes('Name;Amount\nKim;1,5\n'), 'de.csv').blocks[0]?.text).toBe('Name: Kim; Amount: 1,5');
    expect(parseCsv(bytes('Name\tAmount\nKim\t10\n'), 'data.tsv').metadata?.delimiter).toBe('tab');
    expect(parseCsv(bytes('Name|Amount\nKim|10\nLee|20\n'), 'pipes.csv').blocks[0]?.text).toBe('Name: Kim; Amount: 10\nName: Lee; Amount: 20');
  });

  it('honours an Excel sep= line', () => {
    expect(parseCsv(bytes('sep=;\nA;B\n1;2\n'), 'x.csv').blocks[0]?.text).toBe('A: 1; B: 2');
  });

  it('decodes legacy encodings: Korean EUC-KR and Japanese Shift-JIS', () => {
    const korean = parseCsv(new Uint8Array(iconv.encode('이름,부서\n홍길동,인사팀\n김영희,개발팀\n', 'euc-kr')), 'people.csv');
    expect(korean.blocks[0]?.text).toBe('이름: 홍길동; 부서: 인사팀\n이름: 김영희; 부서: 개발팀');
    const japanese = parseCsv(new Uint8Array(iconv.encode('名前,年齢,住所\r\n佐藤太郎,30,東京\r\n', 'shift_jis')), 'mskanji.csv');
    expect(japanese.blocks[0]?.text).toBe('名前: 佐藤太郎; 年齢: 30; 住所: 東京');
    expect(japanese.metadata?.encoding).toBe('shift_jis');
  });

  it('caps the number of rows', () => {
    const csv = `Id\n${Array.from({ length: 25 }, (_, index) => `row ${index}`).join('\n')}\n`;
    const parsed = parseCsv(bytes(csv), 'big.csv', { maxRows: 10 });
    expect(parsed.blocks.at(-1)?.text).toBe('Only the first 10 of 25 rows of this file were indexed.');
  });
});

describe('parseDelimitedText', () => {
  it('follows RFC 4180 quoting, including line breaks and doubled quotes inside fields', () => {
    expect(parseDelimitedText('a,"b, c","say ""hi"""\r\n"multi\nline",2,3', ',')).toEqual([
      ['a', 'b, c', 'say "hi"'],
      ['multi\nline', '2', '3'],
    ]);
  });

  it('is lenient with stray quotes and an unterminated final quote', () => {
    expect(parseDelimitedText('5" disk,ok\n"open,end', ',')).toEqual([
      ['5" disk', 'ok'],
      ['open,end'],
    ]);
  });
});

describe('detectDelimiter', () => {
  it('prefers the delimiter that splits lines consistently', () => {
    expect(detectDelimiter('a;b;c\n1,5;2,5;3\n4;5;6')).toBe(';');
    expect(detectDelimiter('single column\nvalues')).toBe(',');
  });
});
