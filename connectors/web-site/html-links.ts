import { decodeText } from '../../src/pipeline/parse/decode-text.js';
import { parseHtmlDocument } from '../../src/pipeline/parse/html-to-blocks.js';
import { declaredCharset } from '../../src/pipeline/parse/parse-html.js';

/** What a crawler needs from a page, as written in it (not yet resolved or normalised). */
export interface PageLinks {
  /** `<a href>`, `<area href>` and `<frame src>`/`<iframe src>` targets, in document order. */
  links: string[];
  /** `<link rel="canonical" href>`, the first one. */
  canonical?: string;
  /** `<base href>`: what relative links resolve against. */
  base?: string;
  /** `<meta name="robots" content="noindex">` (or `none`): the page is not to be indexed. */
  noIndex: boolean;
  /** `<meta name="robots" content="nofollow">` (or `none`): its links are not to be followed. */
  noFollow: boolean;
}

/**
 * Reads the links of an HTML page with a real HTML parser (the same linkedom tree the
 * HTML parser of the pipeline builds), decoding the bytes by the charset the server
 * declared, else the one the page declares, else by detection.
 */
export function readPageLinks(content: Uint8Array, headerCharset: string | undefined): PageLinks {
  const { text } = decodeText(content, { declaredEncoding: headerCharset ?? declaredCharset(content) });
  const document = parseHtmlDocument(text);
  const elements = (selector: string) => Array.from(document.querySelectorAll(selector));
  const links = elements('a[href], area[href], frame[src], iframe[src]')
    .map((element) => (element.getAttribute('href') ?? element.getAttribute('src') ?? '').trim())
    .filter((value) => value !== '');
  const canonical = elements('link[rel][href]').find((element) => (element.getAttribute('rel') ?? '').toLowerCase().split(/\s+/).includes('canonical'));
  const base = elements('base[href]')[0]?.getAttribute('href')?.trim();
  const robots = elements('meta[name][content]')
    .filter((element) => (element.getAttribute('name') ?? '').trim().toLowerCase() === 'robots')
    .flatMap((element) => (element.getAttribute('content') ?? '').toLowerCase().split(/[\s,]+/));
  const result: PageLinks = {
    links,
    noIndex: robots.includes('noindex') || robots.includes('none'),
    noFollow: robots.includes('nofollow') || robots.includes('none'),
  };
  const canonicalHref = canonical?.getAttribute('href')?.trim();
  if (canonicalHref !== undefined && canonicalHref !== '') result.canonical = canonicalHref;
  if (base !== undefined && base !== '') result.base = base;
  return result;
}
