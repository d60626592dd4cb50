import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseSitemap } from './sitemap.js';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');

describe('parseSitemap', () => {
  it('reads a urlset, entities decoded', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://example.com/a</loc><lastmod>2024-01-01T00:00:00+00:00</lastmod></url>
  <url><loc> https://example.com/b?x=1&amp;y=2 </loc><lastmod>last week</lastmod></url>
</urlset>`;
    expect(parseSitemap(bytes(xml), 'sitemap.xml')).toEqual({
      pages: [{ url: 'https://example.com/a', lastModified: Date.UTC(2024, 0, 1) }, { url: 'https://example.com/b?x=1&y=2' }],
      sitemaps: [],
    });
  });

  it('reads a sitemap index with one entry (not a lone object) and a namespace prefix', () => {
    const xml = `<sm:sitemapindex xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9"><sm:sitemap><sm:loc>https://example.com/pages.xml.gz</sm:loc></sm:sitemap></sm:sitemapindex>`;
    expect(parseSitemap(bytes(xml), 'index.xml')).toEqual({ pages: [], sitemaps: ['https://example.com/pages.xml.gz'] });
  });

  it('unpacks gzip by its magic bytes, whatever the name', () => {
    const xml = '<urlset><url><loc>https://example.com/z</loc></url></urlset>';
    expect(parseSitemap(gzipSync(xml), 'sitemap').pages).toEqual([{ url: 'https://example.com/z' }]);
  });

  it('reads a plain-text sitemap, one URL a line', () => {
    expect(parseSitemap(bytes('https://example.com/a\r\n\nnot a url\nhttps://example.com/b\n'), 'sitemap.txt').pages).toEqual([{ url: 'https://example.com/a' }, { url: 'https://example.com/b' }]);
  });

  it('rejects broken XML, XML of another kind and broken gzip with typed errors', () => {
    expect(() => parseSitemap(bytes('<urlset><url><loc>x</url>'), 's.xml')).toThrow(expect.objectContaining({ code: 'file_corrupt' }));
    expect(() => parseSitemap(bytes('<rss><channel/></rss>'), 's.xml')).toThrow(expect.objectContaining({ code: 'format_unsupported' }));
    expect(() => parseSitemap(Uint8Array.from([0x1f, 0x8b, 1, 2, 3]), 's.xml.gz')).toThrow(expect.objectContaining({ code: 'file_corrupt' }));
  });
});
