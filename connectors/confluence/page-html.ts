import { escapeText, storageToHtml } from './storage-to-html.js';

/** What a page's HTML document is made of. */
export interface PageHtmlInput {
  title: string;
  /** The body as the server sent it, in the named representation. */
  body: string;
  representation: 'storage' | 'export_view';
  /** The space's name, kept as the site name in the document's metadata. */
  spaceName?: string;
}

/**
 * A page as one HTML document for Docent's HTML parser: the title in `<title>` (the
 * parser's title and the citation's name) and the body in one `<article>`, so that the
 * parser's main-content detection has nothing to choose between.
 */
export function pageHtml(input: PageHtmlInput): Uint8Array {
  const body = input.representation === 'storage' ? storageToHtml(input.body) : input.body;
  const siteName = input.spaceName === undefined ? '' : `<meta property="og:site_name" content="${escapeText(input.spaceName)}">`;
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeText(input.title)}</title>${siteName}</head><body><article>${body}</article></body></html>`;
  return new TextEncoder().encode(html);
}

/**
 * A revision number for this conversion, folded into every page's version: when the
 * conversion changes, pages are converted again without waiting for an edit.
 */
export const pageHtmlRevision = 1;
