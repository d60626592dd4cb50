import { describe, expect, it } from 'vitest';
import { BlockBuilder, renderList, renderPipeTable, renderTable } from './block-builder.js';

describe('BlockBuilder', () => {
  it('cleans text, drops empty blocks and stamps the current location', () => {
    const builder = new BlockBuilder({ page: 1 });
    builder.addHeading('  Leave   policy ', 1);
    builder.addParagraph('  \n\t ');
    builder.addParagraph('Employees\u0000 get\n25 days.');
    builder.location = { page: 2 };
    builder.addCode('\n  indented();\n');
    expect(builder.blocks).toEqual([
      { kind: 'heading', text: 'Leave policy', level: 1, location: { page: 1 } },
      { kind: 'paragraph', text: 'Employees get 25 days.', location: { page: 1 } },
      { kind: 'code', text: '  indented();', location: { page: 2 } },
    ]);
  });

  it('clamps heading levels to 1-6', () => {
    const builder = new BlockBuilder();
    builder.addHeading('Deep', 9);
    builder.addHeading('Shallow', 0);
    expect(builder.blocks.map((block) => block.level)).toEqual([6, 1]);
  });

  it('does not share one location object between blocks', () => {
    const builder = new BlockBuilder({ sheet: 'Sales' });
    builder.addParagraph('a');
    builder.addParagraph('b');
    expect(builder.blocks[0]?.location).not.toBe(builder.blocks[1]?.location);
  });
});

describe('renderList', () => {
  it('renders nested bullets and numbers, renumbering per level', () => {
    expect(
      renderList([
        { text: 'Plan', depth: 0, ordered: true },
        { text: 'Budget', depth: 1, ordered: false },
        { text: 'Staff', depth: 1, ordered: false },
        { text: 'Execute', depth: 0, ordered: true },
        { text: '  ', depth: 0, ordered: true },
      ]),
    ).toBe('1. Plan\n  - Budget\n  - Staff\n2. Execute');
  });

  it('keeps numbering the source spelled out', () => {
    expect(renderList([{ text: 'Third', depth: 0, ordered: true, marker: '3.' }, { text: '첫째', depth: 1, ordered: true, marker: '가.' }])).toBe('3. Third\n  가. 첫째');
  });
});

describe('renderTable', () => {
  it('renders rows under a header as self-describing records', () => {
    expect(renderTable([['Account type', 'Minimum length'], ['Standard user', '14 characters'], ['Service', '']], { hasHeader: true })).toBe(
      'Account type: Standard user; Minimum length: 14 characters\nAccount type: Service',
    );
  });

  it('falls back to pipes without a header row, or with nothing under it', () => {
    expect(renderTable([['a', 'b'], ['c', 'd']], { hasHeader: false })).toBe('| a | b |\n| c | d |');
    expect(renderTable([['Only', 'header']], { hasHeader: true })).toBe('| Only | header |');
  });
});

describe('renderPipeTable', () => {
  it('renders a header separator, pads short rows and escapes pipes', () => {
    expect(renderPipeTable([['Name', 'Note'], ['A|B'], ['', '']], { hasHeader: true })).toBe('| Name | Note |\n| --- | --- |\n| A\\|B | |');
  });

  it('renders no separator without a header row', () => {
    expect(renderPipeTable([['1', '2'], ['3', '4']], { hasHeader: false })).toBe('| 1 | 2 |\n| 3 | 4 |');
  });
});
