import { describe, expect, it } from 'vitest';
import { makeXlsx } from '../../../test/fixtures/documents.js';
import { columnLetter, parseXlsx } from './parse-xlsx.js';

describe('parseXlsx', () => {
  it('makes one section per sheet, rows as Header: value lines, with location.sheet', async () => {
    const xlsx = await makeXlsx({
      title: 'Budget 2024',
      sheets: [
        { name: 'Sales', rows: [['Region', 'Amount', 'Closed'], ['North', 1200.5, new Date(Date.UTC(2024, 0, 15))], ['South', 0.1 + 0.2, null]] },
        { name: '비용', rows: [['예산 현황'], [null], ['항목', '금액'], ['임대료', 500]] },
        { name: 'Macros', rows: [['hidden']], state: 'veryHidden' },
      ],
    });
    const parsed = await parseXlsx(xlsx);
    expect(parsed.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Sales', location: { sheet: 'Sales' } },
      { kind: 'table', text: 'Region: North; Amount: 1200.5; Closed: 2024-01-15\nRegion: South; Amount: 0.3', location: { sheet: 'Sales' } },
      { kind: 'heading', level: 1, text: '비용', location: { sheet: '비용' } },
      { kind: 'paragraph', text: '예산 현황', location: { sheet: '비용' } },
      { kind: 'table', text: '항목: 임대료; 금액: 500', location: { sheet: '비용' } },
    ]);
    expect(parsed.title).toBe('Budget 2024');
    expect(parsed.metadata).toMatchObject({ sheets: '2' });
  });

  it('caps huge sheets and says so', async () => {
    const rows = [['Id', 'Name'], ...Array.from({ length: 300 }, (_, index) => [index, `name ${index}`])];
    const parsed = await parseXlsx(await makeXlsx({ sheets: [{ name: 'Big', rows }] }), { maxRows: 100 });
    const tableLines = parsed.blocks.filter((block) => block.kind === 'table').flatMap((block) => block.text.split('\n'));
    expect(tableLines).toHaveLength(100);
    expect(tableLines[0]).toBe('Id: 0; Name: name 0');
    expect(parsed.blocks.at(-1)?.text).toBe('Only the first 100 of 300 rows of this sheet were indexed.');
  });

  it('uses column letters when there is no header row', async () => {
    const parsed = await parseXlsx(await makeXlsx({ sheets: [{ name: 'Numbers', rows: [[1, 2], [3, 4]] }] }));
    expect(parsed.blocks[1]?.text).toBe('1 | 2\n3 | 4');
  });
});

describe('columnLetter', () => {
  it('counts like spreadsheets', () => {
    expect([0, 25, 26, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'ZZ', 'AAA']);
  });
});
