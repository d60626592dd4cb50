import { Readability } from '@mozilla/readability';
import type { ParsedDocument } from '../../core/document.js';
import { BlockBuilder } from './block-builder.js';
import { cleanInlineText } from './clean-text.js';
import { decodeText, type DecodedText } from './decode-text.js';
import {
  addHtmlBlocks,
  inlineTextOf,
  markHeadingLevels,
  parseHtmlDocument,
  removeBoilerplate,
  type HtmlDocument,
  type HtmlElement,
} from './html-to-blocks.js';

export interface HtmlParseOptions {
  /**
   * Keep only the page's main content (Readability), as for web pages with menus and
   * sidebars. Off for HTML that is all content, such as an e-mail body.
   */
  mainContentOnly?: boolean;
}

// Below this much text a page is all content; Readability's scoring needs more to work
// with and would only risk dropping part of it.
const shortPageCharacters = 1000;
// Readability giving back less than this is a miss (a comment box, a teaser), not an article.
const minimumArticleCharacters = 200;
// Pages with more elements than this are machine output; Readability's scoring is
// quadratic in places, so they go straight to the plain walk.
const maximumElementsForReadability = 100_000;

/**
 * Parses an HTML file: decodes it (honouring the charset the server sent, else the one the
 * page declares), then {@link parseHtmlString}.
 */
export function parseHtml(content: Uint8Array, decoded?: DecodedText, transportCharset?: string): ParsedDocument {
  const text = decoded !== undefined && decoded.encoding.startsWith('utf') ? decoded : decodeText(content, { declaredEncoding: transportCharset ?? declaredCharset(content) });
  const parsed = parseHtmlString(text.text, { mainContentOnly: true });
  return { ...parsed, metadata: { ...parsed.metadata, encoding: text.encoding } };
}

/**
 * Turns HTML into blocks. Web pages keep only their main content: Readability picks the
 * article, and when it finds none (or the page is short) the body is used minus scripts,
 * styles, navigation, headers, footers and sidebars.
 */
export function parseHtmlString(html: string, options: HtmlParseOptions = {}): ParsedDocument {
  const document = parseHtmlDocument(html);
  const metadata = pageMetadata(document);
  const pageTitle = titleOf(document);
  removeBoilerplate(document);
  const body = document.body;
  if (body === null) return { blocks: [], metadata, ...(pageTitle === undefined ? {} : { title: pageTitle }) };
  markHeadingLevels(body);

  let root: HtmlElement = body;
  let title = pageTitle;
  const bodyTextLength = inlineTextOf(body).length;
  if (options.mainContentOnly === true && bodyTextLength >= shortPageCharacters) {
    const article = extractArticle(html);
    if (article !== undefined) {
      root = article.content;
      title = article.title ?? title;
    }
  }

  const builder = new BlockBuilder();
  addHtmlBlocks(builder, root);
  const firstHeading = builder.blocks.find((block) => block.kind === 'heading' && block.level === 1)?.text;
  const resolvedTitle = title ?? firstHeading;
  return { blocks: builder.blocks, metadata, ...(resolvedTitle === undefined ? {} : { title: resolvedTitle }) };
}

/**
 * Runs Readability on a fresh copy of the page (it rewrites the tree it is given) and
 * returns the article element, or undefined when it finds no real article.
 */
function extractArticle(html: string): { content: HtmlElement; title?: string } | undefined {
  const document = parseHtmlDocument(html);
  if (document.querySelectorAll('*').length > maximumElementsForReadability) return undefined;
  removeBoilerplate(document);
  if (document.body !== null) markHeadingLevels(document.body);
  try {
    const reader = new Readability<HtmlElement>(document as never, {
      serializer: (node: unknown) => node as HtmlElement,
      maxElemsToParse: maximumElementsForReadability,
    });
    const article = reader.parse();
    if (article === null || article.content === null || article.content === undefined) return undefined;
    if ((article.textContent ?? '').trim().length < minimumArticleCharacters) return undefined;
    const title = cleanInlineText(article.title ?? '');
    return { content: article.content, ...(title === '' ? {} : { title }) };
  } catch {
    // Readability gives up on some pages (too many elements, odd trees); the plain walk
    // of the body is the designed fallback, not an error.
    return undefined;
  }
}

function titleOf(document: HtmlDocument): string | undefined {
  const candidates = [
    document.querySelector('meta[property="og:title"]')?.getAttribute('content'),
    document.querySelector('title')?.textContent,
  ];
  for (const candidate of candidates) {
    const title = cleanInlineText(candidate ?? '');
    if (title !== '') return title;
  }
  return undefined;
}

function pageMetadata(document: HtmlDocument): Record<string, string> {
  const metadata: Record<string, string> = {};
  const fields: Record<string, string> = {
    author: 'meta[name="author"]',
    description: 'meta[name="description"]',
    keywords: 'meta[name="keywords"]',
    siteName: 'meta[property="og:site_name"]',
  };
  for (const [field, selector] of Object.entries(fields)) {
    const value = cleanInlineText(document.querySelector(selector)?.getAttribute('content') ?? '');
    if (value !== '') metadata[field] = value;
  }
  const language = cleanInlineText(document.documentElement?.getAttribute('lang') ?? '');
  if (language !== '') metadata.language = language;
  return metadata;
}

/**
 * The charset an HTML file declares in its first bytes (`<meta charset>`, the
 * `http-equiv` form, or an XML declaration), as browsers look for it.
 */
export function declaredCharset(content: Uint8Array): string | undefined {
  const head = Buffer.from(content.subarray(0, 4096)).toString('latin1');
  const match =
    /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head) ?? /<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head);
  return match?.[1];
}
