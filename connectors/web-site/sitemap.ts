import { gunzipSync } from 'node:zlib';
import { XMLParser } from 'fast-xml-parser';
import { DocentError, describeError } from '../../src/core/errors.js';

/** What one sitemap file lists. */
export interface SitemapContent {
  /** Page URLs (`<urlset>`), as written. */
  pages: string[];
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
    return { pages: text.split(/\r?\n/).map((line) => line.trim()).filter((line) => /^https?:\/\//i.test(line)), sitemaps: [] };
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
  return { pages: locations(urlset?.url), sitemaps: locations(index?.sitemap) };
}

function locations(entries: unknown): string[] {
  if (!Array.isArray(entries)) return [];
  return entries.map((entry) => asRecord(entry)?.loc).filter((loc): loc is string => typeof loc === 'string' && loc !== '');
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}
