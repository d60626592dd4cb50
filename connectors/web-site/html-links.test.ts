import { describe, expect, it } from 'vitest';
import { readPageLinks } from './html-links.js';

const page = (html: string): Uint8Array => Buffer.from(html, 'utf8');

describe('readPageLinks', () => {
  it('reads links, frames, the canonical link and the base in document order', () => {
    const links = readPageLinks(
      page(`<!doctype html><html><head><base href="/docs/"><link rel="alternate" href="/fr/"><link rel="Canonical" href="/docs/leave"></head>
<body><a href="a.html">A</a><a>no href</a><map><area href="/map-target"></map><iframe src="embedded.html"></iframe><a href=" b.html ">B</a></body></html>`),
      undefined,
    );
    expect(links).toEqual({ links: ['a.html', '/map-target', 'embedded.html', 'b.html'], canonical: '/docs/leave', base: '/docs/', noIndex: false, noFollow: false });
  });

  it('honours meta robots noindex, nofollow and none', () => {
    expect(readPageLinks(page('<html><head><meta name="ROBOTS" content="noindex, follow"></head><body></body></html>'), undefined)).toMatchObject({ noIndex: true, noFollow: false });
    expect(readPageLinks(page('<html><head><meta name="robots" content="nofollow"></head><body></body></html>'), undefined)).toMatchObject({ noIndex: false, noFollow: true });
    expect(readPageLinks(page('<html><head><meta name="robots" content="none"></head><body></body></html>'), undefined)).toMatchObject({ noIndex: true, noFollow: true });
    expect(readPageLinks(page('<html><head><meta name="description" content="noindex"></head><body></body></html>'), undefined)).toMatchObject({ noIndex: false });
  });

  it('decodes the page by the charset the server declared', () => {
    const html = Buffer.concat([Buffer.from('<html><body><a href="/'), Buffer.from([0xc7, 0xd1]), Buffer.from('">x</a></body></html>')]);
    expect(readPageLinks(html, 'euc-kr').links).toEqual(['/한']);
  });
});
