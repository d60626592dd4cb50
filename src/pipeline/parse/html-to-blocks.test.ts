import { describe, expect, it } from 'vitest';
import { BlockBuilder } from './block-builder.js';
import { addHtmlBlocks, inlineTextOf, parseHtmlDocument, removeBoilerplate } from './html-to-blocks.js';

function blocksOf(html: string, clean = false) {
  const document = parseHtmlDocument(html);
  if (clean) removeBoilerplate(document);
  const builder = new BlockBuilder();
  addHtmlBlocks(builder, document.body!);
  return builder.blocks.map((block) => [block.kind, block.level ?? null, block.text]);
}

describe('addHtmlBlocks', () => {
  it('turns headings, paragraphs, lists, tables and preformatted text into blocks', () => {
    expect(
      blocksOf(`
        <h1>Guide</h1><p>Intro with <b>bold</b> and <a href="#">a link</a>.</p>
        <h3>Steps</h3>
        <ol><li>Open <em>settings</em><ul><li>Advanced</li></ul></li><li>Save</li></ol>
        <table><thead><tr><th>Key</th><th>Value</th></tr></thead><tbody><tr><td>mode</td><td>fast</td></tr></tbody></table>
        <pre><code>npm run build
  --watch</code></pre>`),
    ).toEqual([
      ['heading', 1, 'Guide'],
      ['paragraph', null, 'Intro with bold and a link.'],
      ['heading', 3, 'Steps'],
      ['list', null, '1. Open settings\n  - Advanced\n2. Save'],
      ['table', null, 'Key: mode; Value: fast'],
      ['code', null, 'npm run build\n  --watch'],
    ]);
  });

  it('makes paragraphs of loose text in containers and of double line breaks', () => {
    expect(blocksOf('<div>Loose text<div>Inner block</div>tail<br>same paragraph<br><br>new paragraph</div>')).toEqual([
      ['paragraph', null, 'Loose text'],
      ['paragraph', null, 'Inner block'],
      ['paragraph', null, 'tail same paragraph'],
      ['paragraph', null, 'new paragraph'],
    ]);
  });

  it('reads layout tables as content, not as grids', () => {
    expect(blocksOf('<table><tr><td><table><tr><td><h2>News</h2><p>Body text</p></td></tr></table></td></tr></table>')).toEqual([
      ['heading', 2, 'News'],
      ['paragraph', null, 'Body text'],
    ]);
  });

  it('reads definition lists as nested lists', () => {
    expect(blocksOf('<dl><dt>SLA</dt><dd>Service level agreement</dd></dl>')).toEqual([['list', null, '- SLA\n  - Service level agreement']]);
  });

  it('never emits script, style or form controls', () => {
    expect(blocksOf('<p>Visible</p><script>alert(1)</script><style>p{}</style><button>Click</button><select><option>x</option></select>')).toEqual([
      ['paragraph', null, 'Visible'],
    ]);
  });
});

describe('removeBoilerplate', () => {
  it('drops navigation, site header and footer, sidebars and hidden elements, keeping article headers', () => {
    expect(
      blocksOf(
        `<header>Site name</header><nav><ul><li>Home</li></ul></nav>
         <main><article><header><h1>Post title</h1></header><p>Post body</p><footer>Posted by Kim</footer></article></main>
         <aside>Related links</aside><div hidden>secret</div><div style="display: none">also hidden</div>
         <div role="navigation">menu</div><footer>© Company</footer>`,
        true,
      ),
    ).toEqual([
      ['heading', 1, 'Post title'],
      ['paragraph', null, 'Post body'],
      ['paragraph', null, 'Posted by Kim'],
    ]);
  });
});

describe('parseHtmlDocument', () => {
  it('wraps fragments so that they have a body', () => {
    expect(inlineTextOf(parseHtmlDocument('<p>one</p><p>two</p>').body!)).toBe('one two');
  });

  it('keeps the content when something precedes <head> (linkedom would see an empty body)', () => {
    const document = parseHtmlDocument('<!DOCTYPE html><html><script>x=1</script><head><title>T</title></head><body><p>Real content</p></body></html>');
    expect(inlineTextOf(document.body!)).toBe('Real content');
    expect(document.querySelector('title')?.textContent).toBe('T');
  });
});
