import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { declaredCharset, parseHtml, parseHtmlString } from './parse-html.js';

const paragraphs = (count: number, topic: string) =>
  Array.from({ length: count }, (_, index) => `<p>${topic} paragraph ${index + 1}: the committee reviewed the proposal in detail, discussed the budget, the staffing plan and the timeline, and agreed on the next steps for the project.</p>`).join('\n');

describe('parseHtmlString', () => {
  it('keeps only the main content of a web page', () => {
    const html = `<!DOCTYPE html><html lang="en"><head><title>Minutes | Intranet</title><meta name="author" content="Kim"></head><body>
      <div class="site-header"><a href="/">Home</a> <a href="/news">News</a></div>
      <nav><ul><li><a href="/a">Menu A</a></li><li><a href="/b">Menu B</a></li></ul></nav>
      <div class="sidebar" id="sidebar"><h3>Popular</h3><ul><li><a href="/x">Other post</a></li></ul></div>
      <article><h1>Board minutes</h1><h2>Budget</h2>${paragraphs(6, 'Budget')}<h3>Staffing</h3>${paragraphs(3, 'Staffing')}</article>
      <footer>Copyright 2024 Example Corp. All rights reserved.</footer>
      <script>trackPageView()</script></body></html>`;
    const parsed = parseHtmlString(html, { mainContentOnly: true });
    const texts = parsed.blocks.map((block) => block.text).join('\n');
    expect(parsed.title).toBe('Minutes | Intranet');
    expect(parsed.metadata).toMatchObject({ author: 'Kim', language: 'en' });
    expect(parsed.blocks).toContainEqual({ kind: 'heading', level: 2, text: 'Budget' });
    expect(parsed.blocks).toContainEqual({ kind: 'heading', level: 3, text: 'Staffing' });
    expect(texts).toContain('Budget paragraph 6');
    expect(texts).not.toMatch(/Menu A|Copyright|trackPageView|Other post/);
  });

  it('falls back to the body minus boilerplate for short pages', () => {
    const parsed = parseHtmlString('<html><head><title>Notice</title></head><body><nav>Home | About</nav><h1>Office closed</h1><p>The office is closed on Friday.</p><footer>Footer</footer></body></html>', {
      mainContentOnly: true,
    });
    expect(parsed.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Office closed' },
      { kind: 'paragraph', text: 'The office is closed on Friday.' },
    ]);
    expect(parsed.title).toBe('Notice');
  });

  it('uses the first level-one heading as the title when there is no <title>', () => {
    expect(parseHtmlString('<h1>Release notes</h1><p>v2</p>').title).toBe('Release notes');
  });
});

describe('parseHtml', () => {
  it('decodes the charset a page declares', () => {
    const bytes = iconv.encode('<html><head><meta charset="euc-kr"><title>공지</title></head><body><p>사무실은 금요일에 문을 닫습니다.</p></body></html>', 'euc-kr');
    const parsed = parseHtml(new Uint8Array(bytes));
    expect(parsed.title).toBe('공지');
    expect(parsed.blocks).toEqual([{ kind: 'paragraph', text: '사무실은 금요일에 문을 닫습니다.' }]);
  });

  it('finds charsets in meta tags and XML declarations', () => {
    expect(declaredCharset(new Uint8Array(Buffer.from('<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">')))).toBe('Shift_JIS');
    expect(declaredCharset(new Uint8Array(Buffer.from('<?xml version="1.0" encoding="windows-1252"?><html>')))).toBe('windows-1252');
    expect(declaredCharset(new Uint8Array(Buffer.from('<html><body>')))).toBeUndefined();
  });
});
