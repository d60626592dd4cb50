import { describe, expect, it } from 'vitest';
import { parseMarkdown, stripInlineMarkdown } from './parse-markdown.js';

const parse = (markdown: string) => parseMarkdown(new Uint8Array(Buffer.from(markdown)));
const kinds = (markdown: string) => parse(markdown).blocks.map((block) => [block.kind, block.level ?? null, block.text]);

describe('parseMarkdown', () => {
  it('reads headings with their levels, ATX and setext', () => {
    expect(kinds('# Handbook\n\n## Leave ##\n\nOverview\n========\n\nDetails\n---\n')).toEqual([
      ['heading', 1, 'Handbook'],
      ['heading', 2, 'Leave'],
      ['heading', 1, 'Overview'],
      ['heading', 2, 'Details'],
    ]);
  });

  it('takes the title from front matter, else the first level-one heading', () => {
    const parsed = parse('---\ntitle: Travel policy\nauthor: HR\ntags: [travel, money]\n---\n# Heading\n\nText');
    expect(parsed.title).toBe('Travel policy');
    expect(parsed.metadata).toMatchObject({ author: 'HR', tags: 'travel, money' });
    expect(parsed.blocks[0]).toEqual({ kind: 'heading', level: 1, text: 'Heading' });
    expect(parse('Intro\n\n# Real title\n').title).toBe('Real title');
  });

  it('joins paragraph lines and strips inline markup', () => {
    expect(kinds('Use **bold**, _emphasis_ and `code`,\nsee [the wiki](https://wiki/x "Wiki") or ![diagram](d.png).')).toEqual([
      ['paragraph', null, 'Use bold, emphasis and code, see the wiki or diagram.'],
    ]);
  });

  it('reads nested and ordered lists, with continuation lines', () => {
    expect(kinds('- one\n- two\n  continued\n  - nested\n\n- after blank\n\n1. first\n2) second\n\nParagraph')).toEqual([
      ['list', null, '- one\n- two continued\n  - nested\n- after blank\n1. first\n2. second'],
      ['paragraph', null, 'Paragraph'],
    ]);
  });

  it('keeps fenced and indented code verbatim', () => {
    expect(kinds('```ts\nconst a = 1;\n\n  return a * 2;\n```\n\n    indented()\n    more()\n\ntext')).toEqual([
      ['code', null, 'const a = 1;\n\n  return a * 2;'],
      ['code', null, 'indented()\nmore()'],
      ['paragraph', null, 'text'],
    ]);
  });

  it('reads pipe tables with a header row', () => {
    expect(kinds('| Region | **Sales** |\n|:---|---:|\n| North | 10 |\n| South \\| East | 20 |\n')).toEqual([
      ['table', null, 'Region: North; Sales: 10\nRegion: South | East; Sales: 20'],
    ]);
  });

  it('reads block quotes and embedded HTML, and skips rules and link definitions', () => {
    expect(kinds('> Quoted **text**\n> more\n\n---\n\n<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>\n\n[ref]: https://example.com')).toEqual([
      ['paragraph', null, 'Quoted text more'],
      ['table', null, 'A: 1; B: 2'],
    ]);
  });

  it('does not treat a leading horizontal rule as front matter', () => {
    expect(parse('---\n\nJust text\n').blocks).toEqual([{ kind: 'paragraph', text: 'Just text' }]);
  });
});

describe('stripInlineMarkdown', () => {
  it('leaves snake_case, arithmetic and code contents alone', () => {
    expect(stripInlineMarkdown('call my_function_name with 2 * 3 * 4 and `a*b*c`')).toBe('call my_function_name with 2 * 3 * 4 and a*b*c');
    expect(stripInlineMarkdown('~~old~~ new <span class="x">html</span> <https://a.b/c> \\*literal\\*')).toBe('old new html https://a.b/c *literal*');
    expect(stripInlineMarkdown('AT&amp;T uses &lt;div&gt; &#8212; `&amp;`')).toBe('AT&T uses <div> — &amp;');
  });
});
