import { parseHTML } from 'linkedom';
import { BlockBuilder, type ListItem } from './block-builder.js';
import { cleanInlineText } from './clean-text.js';

/**
 * The slice of the DOM this module uses. The project compiles without the browser's DOM
 * typings (it runs in Node), and linkedom's own typings lean on them, so the shapes are
 * spelled out here.
 */
export interface HtmlNode {
  readonly nodeType: number;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<HtmlNode>;
  readonly parentNode: HtmlNode | null;
}

export interface HtmlElement extends HtmlNode {
  readonly localName: string;
  readonly children: ArrayLike<HtmlElement>;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  hasAttribute(name: string): boolean;
  querySelector(selectors: string): HtmlElement | null;
  querySelectorAll(selectors: string): ArrayLike<HtmlElement>;
  closest(selectors: string): HtmlElement | null;
  contains(other: HtmlNode): boolean;
  appendChild(child: HtmlNode): HtmlNode;
  insertBefore(child: HtmlNode, reference: HtmlNode | null): HtmlNode;
  readonly firstChild: HtmlNode | null;
  remove(): void;
}

export interface HtmlDocument {
  readonly body: HtmlElement | null;
  createElement(tagName: string): HtmlElement;
  readonly documentElement: HtmlElement | null;
  querySelector(selectors: string): HtmlElement | null;
  querySelectorAll(selectors: string): ArrayLike<HtmlElement>;
}

const elementNode = 1;
const textNode = 3;
const cdataNode = 4;

/** Attribute that carries a heading's original level through Readability, which renames h1 to h2. */
export const headingLevelAttribute = 'data-docent-heading-level';

/**
 * Parses HTML into a document. linkedom builds a broken tree for fragments (mammoth's
 * output, e-mail bodies), so anything without an `<html>` element is wrapped first.
 */
export function parseHtmlDocument(html: string): HtmlDocument {
  let source = html;
  if (!/<html[\s>]/i.test(source)) {
    source = /<body[\s>]/i.test(source) ? `<!DOCTYPE html><html>${source}</html>` : `<!DOCTYPE html><html><head></head><body>${source}</body></html>`;
  }
  const { document } = parseHTML(source) as unknown as { document: HtmlDocument };
  normalizeDocumentRoot(document);
  return document;
}

/**
 * linkedom's `document.body` expects the root's first two elements to be head and body;
 * when they are not (a script before `<head>`, as search engines emit, or a body split in
 * two by stray tags) it silently inserts a new, empty pair, and every consumer, Readability
 * included, then sees an empty page. So the root is rebuilt as exactly head + body: other
 * metadata moves into the head, everything else into the body, in document order.
 */
function normalizeDocumentRoot(document: HtmlDocument): void {
  const root = document.documentElement;
  if (root === null) return;
  const children = Array.from(root.childNodes);
  const isElement = (node: HtmlNode, name: string): node is HtmlElement => node.nodeType === elementNode && (node as HtmlElement).localName === name;
  const head = children.find((child): child is HtmlElement => isElement(child, 'head')) ?? document.createElement('head');
  const body = children.find((child): child is HtmlElement => isElement(child, 'body')) ?? document.createElement('body');
  const bodyIndex = children.indexOf(body);
  const leading: HtmlNode[] = [];
  children.forEach((child, index) => {
    if (child === head || child === body) return;
    if (isElement(child, 'head')) {
      while (child.firstChild !== null) head.appendChild(child.firstChild);
      child.remove();
    } else if (isElement(child, 'body')) {
      while (child.firstChild !== null) body.appendChild(child.firstChild);
      child.remove();
    } else if (child.nodeType === elementNode && headTags.has((child as HtmlElement).localName)) {
      head.appendChild(child);
    } else if (bodyIndex === -1 || index < bodyIndex) {
      leading.push(child);
    } else {
      body.appendChild(child);
    }
  });
  for (const node of leading.reverse()) body.insertBefore(node, body.firstChild);
  root.appendChild(head);
  root.appendChild(body);
}

const headTags = new Set(['script', 'style', 'meta', 'link', 'title', 'base', 'noscript', 'template']);

// Elements that never hold readable document text.
const nonContentTags = new Set([
  'script', 'style', 'noscript', 'template', 'svg', 'canvas', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet',
  'button', 'select', 'option', 'optgroup', 'datalist', 'input', 'textarea', 'head', 'title', 'meta', 'link', 'base',
  'map', 'area', 'audio', 'video', 'source', 'track', 'picture', 'img', 'dialog', 'slot', 'param',
]);

// Page furniture: menus, site headers and footers, sidebars, cookie banners.
const boilerplateSelectors = [
  'nav', 'aside', 'footer', 'menu',
  '[role="navigation"]', '[role="banner"]', '[role="contentinfo"]', '[role="search"]', '[role="complementary"]', '[role="menu"]', '[role="menubar"]', '[role="dialog"]', '[role="alert"]',
  '[aria-hidden="true"]', '[hidden]',
];

/**
 * Removes scripts, styles, hidden elements and page furniture (navigation, site header
 * and footer, sidebars) from a document, keeping the headers and footers that belong to
 * an article's own content.
 */
export function removeBoilerplate(document: HtmlDocument): void {
  const root = document.body ?? document.documentElement;
  if (root === null) return;
  for (const tag of nonContentTags) {
    if (tag === 'head' || tag === 'title' || tag === 'meta' || tag === 'link' || tag === 'base') continue;
    for (const element of Array.from(root.querySelectorAll(tag))) element.remove();
  }
  for (const element of Array.from(root.querySelectorAll(boilerplateSelectors.join(',')))) {
    if (element.localName === 'footer' && element.parentNode !== null && element.closest('article') !== null) continue;
    element.remove();
  }
  for (const element of Array.from(root.querySelectorAll('header'))) {
    if (element.closest('article, main, [role="main"]') === null) element.remove();
  }
  for (const element of Array.from(root.querySelectorAll('[style]'))) {
    if (/(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)/i.test(element.getAttribute('style') ?? '')) element.remove();
  }
}

/** Records each heading's level in an attribute, so it survives tools that rename headings. */
export function markHeadingLevels(root: HtmlElement): void {
  for (const heading of Array.from(root.querySelectorAll('h1, h2, h3, h4, h5, h6'))) {
    heading.setAttribute(headingLevelAttribute, heading.localName.slice(1));
  }
}

/** The visible text of an element as one line. */
export function inlineTextOf(node: HtmlNode): string {
  const parts: string[] = [];
  collectInlineText(node, parts);
  return cleanInlineText(parts.join(''));
}

function collectInlineText(node: HtmlNode, parts: string[]): void {
  if (node.nodeType === textNode || node.nodeType === cdataNode) {
    parts.push(node.textContent ?? '');
    return;
  }
  if (node.nodeType !== elementNode) return;
  const element = node as HtmlElement;
  const tag = element.localName;
  if (nonContentTags.has(tag)) return;
  if (tag === 'br' || tag === 'td' || tag === 'th' || tag === 'li' || blockTags.has(tag)) parts.push(' ');
  for (const child of Array.from(element.childNodes)) collectInlineText(child, parts);
  if (blockTags.has(tag) || tag === 'td' || tag === 'th' || tag === 'li') parts.push(' ');
}

const blockTags = new Set([
  'address', 'article', 'blockquote', 'body', 'center', 'dd', 'details', 'dialog', 'div', 'dl', 'dt', 'fieldset', 'figcaption',
  'figure', 'footer', 'form', 'header', 'hgroup', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table',
  'tbody', 'thead', 'tfoot', 'tr', 'ul', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'caption', 'legend', 'aside', 'html',
]);

/**
 * Walks an HTML tree in document order and turns it into blocks: h1-h6 into headings
 * (with their levels), lists into list blocks, data tables into table blocks, `pre` into
 * code, and any other run of text into paragraphs. Tables used for page layout (common
 * in e-mail) are walked as ordinary content rather than rendered as grids.
 */
export function addHtmlBlocks(builder: BlockBuilder, root: HtmlNode): void {
  new HtmlBlockWalker(builder).walk(root);
}

class HtmlBlockWalker {
  private inline: string[] = [];
  private lastWasLineBreak = false;

  constructor(private readonly builder: BlockBuilder) {}

  walk(root: HtmlNode): void {
    this.visit(root);
    this.flush();
  }

  private flush(): void {
    if (this.inline.length > 0) this.builder.addParagraph(this.inline.join(''));
    this.inline = [];
    this.lastWasLineBreak = false;
  }

  private visit(node: HtmlNode): void {
    if (node.nodeType === textNode || node.nodeType === cdataNode) {
      const text = node.textContent ?? '';
      this.inline.push(text);
      if (text.trim() !== '') this.lastWasLineBreak = false;
      return;
    }
    if (node.nodeType !== elementNode && node.nodeType !== 9 && node.nodeType !== 11) return;
    if (node.nodeType !== elementNode) {
      for (const child of Array.from(node.childNodes)) this.visit(child);
      return;
    }
    const element = node as HtmlElement;
    const tag = element.localName;
    if (nonContentTags.has(tag)) return;

    if (/^h[1-6]$/.test(tag)) {
      this.flush();
      const original = Number(element.getAttribute(headingLevelAttribute));
      this.builder.addHeading(inlineTextOf(element), Number.isInteger(original) && original >= 1 ? original : Number(tag.slice(1)));
      return;
    }
    switch (tag) {
      case 'br':
        // Two line breaks in a row are how many editors (and e-mail) separate paragraphs.
        if (this.lastWasLineBreak) this.flush();
        else {
          this.inline.push(' ');
          this.lastWasLineBreak = true;
        }
        return;
      case 'hr':
        this.flush();
        return;
      case 'ul':
      case 'ol':
      case 'menu': {
        this.flush();
        const items: ListItem[] = [];
        collectListItems(element, 0, items);
        this.builder.addList(items);
        return;
      }
      case 'dl': {
        this.flush();
        this.builder.addList(definitionListItems(element));
        return;
      }
      case 'pre':
      case 'listing':
      case 'xmp':
        this.flush();
        this.builder.addCode(element.textContent ?? '');
        return;
      case 'table':
        this.flush();
        this.table(element);
        return;
    }
    const block = blockTags.has(tag) || tag === 'td' || tag === 'th';
    if (block) this.flush();
    for (const child of Array.from(element.childNodes)) this.visit(child);
    if (block) this.flush();
  }

  private table(table: HtmlElement): void {
    const rows = tableRows(table);
    if (rows.length === 0) return;
    const caption = table.querySelector('caption');
    // Layout tables (e-mail templates, old intranet pages) nest tables, have a single
    // column, or hold headings and long passages in their cells; data tables do not.
    const isLayout =
      table.querySelector('table') !== null ||
      rows.every((row) => row.length <= 1) ||
      rows.some((row) => row.some((cell) => cell.querySelector('h1, h2, h3, h4, h5, h6') !== null || (cell.textContent ?? '').length > 1500));
    if (isLayout) {
      // Read the cells in order, as the reader's eye would.
      for (const row of rows) {
        for (const cell of row) {
          this.visit(cell);
          this.flush();
        }
      }
      return;
    }
    if (caption !== null) this.builder.addParagraph(inlineTextOf(caption));
    const firstRow = rows[0] ?? [];
    const hasHeader = table.querySelector('thead') !== null || (firstRow.length > 0 && firstRow.every((cell) => cell.localName === 'th'));
    this.builder.addTable(
      rows.map((row) => row.map((cell) => inlineTextOf(cell))),
      { hasHeader },
    );
  }
}

/** The rows of a table and their cells, leaving out rows of tables nested inside it. */
function tableRows(table: HtmlElement): HtmlElement[][] {
  const rows: HtmlElement[][] = [];
  const addRow = (row: HtmlElement): void => {
    rows.push(Array.from(row.children).filter((cell) => cell.localName === 'td' || cell.localName === 'th'));
  };
  for (const child of Array.from(table.children)) {
    if (child.localName === 'tr') addRow(child);
    else if (child.localName === 'thead' || child.localName === 'tbody' || child.localName === 'tfoot') {
      for (const row of Array.from(child.children)) if (row.localName === 'tr') addRow(row);
    }
  }
  return rows.filter((row) => row.length > 0);
}

function collectListItems(list: HtmlElement, depth: number, items: ListItem[]): void {
  const ordered = list.localName === 'ol';
  for (const child of Array.from(list.children)) {
    if (child.localName === 'ul' || child.localName === 'ol') {
      collectListItems(child, depth + 1, items);
      continue;
    }
    if (child.localName !== 'li') continue;
    const nested: HtmlElement[] = [];
    const parts: string[] = [];
    for (const node of Array.from(child.childNodes)) {
      const element = node.nodeType === elementNode ? (node as HtmlElement) : undefined;
      if (element !== undefined && (element.localName === 'ul' || element.localName === 'ol')) nested.push(element);
      else parts.push(` ${inlineTextOf(node)} `);
    }
    items.push({ text: parts.join(''), depth, ordered });
    for (const list of nested) collectListItems(list, depth + 1, items);
  }
}

function definitionListItems(list: HtmlElement): ListItem[] {
  const items: ListItem[] = [];
  for (const child of Array.from(list.querySelectorAll('dt, dd'))) {
    items.push({ text: inlineTextOf(child), depth: child.localName === 'dd' ? 1 : 0, ordered: false });
  }
  return items;
}
