import { describe, expect, it } from 'vitest';
import { BlockBuilder } from './block-builder.js';
import { addRecordRows, isHeaderRow } from './tabular-text.js';

const render = (rows: string[][], maxRows = 100, totalRows?: number) => {
  const builder = new BlockBuilder({ sheet: 'Data' });
  addRecordRows(builder, rows, { maxRows, unit: 'sheet', ...(totalRows === undefined ? {} : { totalRows }) });
  return builder.blocks;
};

describe('addRecordRows', () => {
  it('renders each row as Header: value pairs, skipping empty cells', () => {
    const blocks = render([
      ['Name', 'Team', 'Phone'],
      ['Kim', 'Sales', ''],
      ['Lee', '', '010-1234'],
    ]);
    expect(blocks).toEqual([{ kind: 'table', text: 'Name: Kim; Team: Sales\nName: Lee; Phone: 010-1234', location: { sheet: 'Data' } }]);
  });

  it('joins cells with pipes when the first row is data, not a header', () => {
    expect(render([['1', '2'], ['3', '4']])[0]?.text).toBe('1 | 2\n3 | 4');
  });

  it('turns a title above the table into a paragraph', () => {
    const blocks = render([['Sales report 2024'], [], ['Region', 'Total'], ['North', '10']]);
    expect(blocks.map((block) => [block.kind, block.text])).toEqual([
      ['paragraph', 'Sales report 2024'],
      ['table', 'Region: North; Total: 10'],
    ]);
  });

  it('names columns without a header cell', () => {
    expect(render([['Name', 'Team', ''], ['Kim', 'Sales', 'extra']])[0]?.text).toBe('Name: Kim; Team: Sales; Column 3: extra');
  });

  it('splits long tables into blocks of at most 50 rows', () => {
    const rows = [['Id', 'Value'], ...Array.from({ length: 120 }, (_, index) => [String(index), `value ${index}`])];
    const blocks = render(rows, 1000);
    expect(blocks.map((block) => block.text.split('\n').length)).toEqual([50, 50, 20]);
  });

  it('caps the rows and says how many were left out', () => {
    const rows = [['Id'], ...Array.from({ length: 30 }, (_, index) => [`row ${index}`])];
    const blocks = render(rows, 10);
    expect(blocks.at(-1)).toEqual({ kind: 'paragraph', text: 'Only the first 10 of 30 rows of this sheet were indexed.', location: { sheet: 'Data' } });
    expect(render(rows.slice(0, 20), 10, 1001).at(-1)?.text).toBe('Only the first 10 of 1000 rows of this sheet were indexed.');
  });
});

describe('isHeaderRow', () => {
  it('accepts distinct text labels and rejects numbers, dates and duplicates', () => {
    expect(isHeaderRow(['Name', 'Amount', 'Date'])).toBe(true);
    expect(isHeaderRow(['Kim', '1,200', 'Seoul'])).toBe(false);
    expect(isHeaderRow(['2024-01-15', 'Kim'])).toBe(false);
    expect(isHeaderRow(['A', 'a'])).toBe(false);
    expect(isHeaderRow(['Name', '', '', ''])).toBe(false);
  });
});
