import { gunzipSync } from 'node:zlib';
import { XMLParser } from 'fast-xml-parser';
import { DocentError, describeError } from '../../src/core/errors.js';

/** A page a sitemap lists. */
export interface SitemapPage {
  /** `<loc>`, as written. */
  url: string;
  /** `<lastmod>` as milliseconds since the epoch, when given and valid. */
  lastModified?: number;
}

/** What one sitemap file lists. */
export interface SitemapContent {
  /** Pages (`<urlset>`). */
  pages: SitemapPage[];
  /** Further sitemaps (`<sitemapindex>`), as written. */
  sitemaps: string[];
}

// The sitemap protocol caps a file at 50 MB uncompressed; a little slack for sloppy generators.
export const sitemapMaxBytes = 64 * 1024 * 1024;

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'url' || name === 'sitemap',
  processEntities: true,
});

/**
 * Reads a sitemap as sitemaps.org defines it: an XML `<urlset>` or `<sitemapindex>`, a
 * plain-text list (one URL per line), either of them gzip-compressed (recognised by its
 * magic bytes, since servers label `.xml.gz` files every which way).
 */
export function parseSitemap(bytes: Uint8Array, location: string): SitemapContent {
  let content = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (content[0] === 0x1f && content[1] === 0x8b) {
    try {
      content = gunzipSync(content, { maxOutputLength: sitemapMaxBytes });
    } catch (error) {
      throw new DocentError('file_corrupt', `the sitemap ${location} is not valid gzip or unpacks past ${sitemapMaxBytes} bytes: ${describeError(error)}`);
    }
  }
  const text = content.toString('utf8').replace(/^\uFEFF/, '').trim();
  if (!text.startsWith('<')) {
    const lines = text.split(/\r?\n/).map((line) => line.trim());
    return { pages: lines.filter((line) => /^https?:\/\//i.test(line)).map((url) => ({ url })), sitemaps: [] };
  }
  let document: Record<string, unknown>;
  try {
    document = parser.parse(text, true) as Record<string, unknown>;
  } catch (error) {
    throw new DocentError('file_corrupt', `the sitemap ${location} is not well-formed XML: ${describeError(error)}`);
  }
  const urlset = asRecord(document.urlset);
  const index = asRecord(document.sitemapindex);
  if (urlset === undefined && index === undefined) {
    throw new DocentError('format_unsupported', `${location} is neither a <urlset> nor a <sitemapindex>`);
  }
  return { pages: pageEntries(urlset?.url), sitemaps: pageEntries(index?.sitemap).map((entry) => entry.url) };
}

function pageEntries(entries: unknown): SitemapPage[] {
  if (!Array.isArray(entries)) return [];
  const pages: SitemapPage[] = [];
  for (const entry of entries) {
    const record = asRecord(entry);
    if (typeof record?.loc !== 'string' || record.loc === '') continue;
    // W3C Datetime: a date alone, or a date and time with a zone, all of which Date.parse reads.
    const lastModified = typeof record.lastmod === 'string' ? Date.parse(record.lastmod) : Number.NaN;
    pages.push(Number.isNaN(lastModified) ? { url: record.loc } : { url: record.loc, lastModified });
  }
  return pages;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}
