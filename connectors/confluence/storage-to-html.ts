import { parseHtmlDocument, type HtmlElement, type HtmlNode } from '../../src/pipeline/parse/html-to-blocks.js';

/**
 * Converts a page body in Confluence's storage format (XHTML with `ac:` macros and `ri:`
 * resource identifiers) into plain HTML that Docent's HTML parser reads: what a reader
 * sees as text stays, macro plumbing goes.
 *
 * - Code and no-format macros become `<pre>`; panels (info, note, warning, tip, panel,
 *   expand, ...) keep their body and their title as a bold line.
 * - A status lozenge keeps its label, a Jira macro its issue key, a link its text or,
 *   failing that, the title of what it points to.
 * - Macros that list other content (page trees, children, search results) or hold only
 *   settings (table of contents, anchors) are dropped: their text is not this page's.
 * - Images, emoticons and placeholders (editor hints) are dropped.
 */
export function storageToHtml(storage: string): string {
  const document = parseHtmlDocument(prepareForHtmlParser(storage));
  const body = document.body;
  if (body === null) return '';
  return childrenHtml(body);
}

/**
 * Storage format is XML; the HTML parser reads it well except for two XML-only forms,
 * rewritten first: CDATA sections (code macro bodies) become escaped text, and
 * self-closing `ac:`/`ri:`/`time` elements get an end tag (HTML would treat `<ri:page />`
 * as an open element and swallow what follows).
 */
export function prepareForHtmlParser(storage: string): string {
  return storage
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, text: string) => escapeText(text))
    .replace(/<((?:ac|ri):[\w-]+|time)((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*\/>/g, '<$1$2></$1>');
}

// Macros whose output is other content (lists, trees, search results, embeds) or nothing readable.
const droppedMacros = new Set([
  'toc', 'toc-zone', 'anchor', 'children', 'pagetree', 'pagetreesearch', 'recently-updated', 'recently-updated-dashboard',
  'contentbylabel', 'content-by-user', 'related-labels', 'popular-labels', 'listlabels', 'attachments', 'gallery', 'livesearch',
  'search', 'blog-posts', 'profile', 'profile-picture', 'viewpdf', 'viewdoc', 'viewppt', 'viewxls', 'view-file', 'multimedia',
  'widget', 'iframe', 'include', 'excerpt-include', 'create-from-template', 'create-space-button', 'favpages', 'network',
  'space-details', 'spaces', 'index', 'navmap', 'global-reports', 'change-history', 'contributors', 'contributors-summary',
  'task-report', 'detailssummary', 'jiracharts', 'jirachart', 'chart', 'roadmap', 'calendar', 'team-calendar', 'im', 'loremipsum',
]);

// Macros whose plain-text body is preformatted text.
const preformattedMacros = new Set(['code', 'noformat', 'sql', 'sql-query']);

function childrenHtml(element: HtmlNode): string {
  return Array.from(element.childNodes)
    .map((child) => nodeHtml(child))
    .join('');
}

function nodeHtml(node: HtmlNode): string {
  if (node.nodeType === 3 || node.nodeType === 4) return escapeText(node.textContent ?? '');
  if (node.nodeType !== 1) return '';
  const element = node as HtmlElement;
  const tag = element.localName;
  if (tag.startsWith('ac:')) return confluenceElementHtml(element, tag.slice(3));
  if (tag.startsWith('ri:')) return '';
  if (tag === 'time') return escapeText(element.getAttribute('datetime') ?? element.textContent ?? '');
  if (droppedHtmlTags.has(tag)) return '';
  if (voidTags.has(tag)) return tag === 'br' || tag === 'hr' ? `<${tag}>` : '';
  if (!keptHtmlTags.has(tag)) return childrenHtml(element);
  return `<${tag}${keptAttributes(element)}>${childrenHtml(element)}</${tag}>`;
}

function confluenceElementHtml(element: HtmlElement, name: string): string {
  switch (name) {
    case 'structured-macro':
    case 'macro':
      return macroHtml(element);
    case 'link':
      return escapeText(linkText(element));
    case 'plain-text-body':
      return escapeText(element.textContent ?? '');
    case 'task-list':
      return `<ul>${childrenHtml(element)}</ul>`;
    case 'task':
      return `<li>${childrenOfNamed(element, 'ac:task-body')}</li>`;
    case 'layout':
    case 'layout-section':
    case 'layout-cell':
      return `<div>${childrenHtml(element)}</div>`;
    case 'parameter':
    case 'image':
    case 'emoticon':
    case 'placeholder':
    case 'task-id':
    case 'task-status':
      return '';
    default:
      // rich-text-body, inline-comment-marker, link bodies and anything newer: their text counts.
      return childrenHtml(element);
  }
}

function macroHtml(macro: HtmlElement): string {
  const name = (macro.getAttribute('ac:name') ?? '').toLowerCase();
  if (droppedMacros.has(name)) return '';
  const parameters = macroParameters(macro);
  const plainBody = directChild(macro, 'ac:plain-text-body');
  const richBody = directChild(macro, 'ac:rich-text-body');

  if (name === 'status') return parameters.title === undefined ? '' : `<span>${escapeText(parameters.title)}</span>`;
  if (name === 'jira' || name === 'jiraissues') {
    const key = parameters.key ?? parameters[''];
    return key === undefined ? '' : `<span>${escapeText(key)}</span>`;
  }
  const title = parameters.title;
  const caption = title === undefined || title.trim() === '' ? '' : `<p><strong>${escapeText(title)}</strong></p>`;
  if (plainBody !== undefined && (preformattedMacros.has(name) || richBody === undefined)) {
    return `<div>${caption}<pre><code>${escapeText(plainBody.textContent ?? '')}</code></pre></div>`;
  }
  if (richBody !== undefined) return `<div>${caption}${childrenHtml(richBody)}</div>`;
  return caption;
}

/** A macro's own parameters (`ac:parameter ac:name="title"`), not those of macros nested in its body. */
function macroParameters(macro: HtmlElement): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const child of Array.from(macro.children)) {
    if (child.localName !== 'ac:parameter') continue;
    parameters[(child.getAttribute('ac:name') ?? '').toLowerCase()] = (child.textContent ?? '').trim();
  }
  return parameters;
}

/** What a reader sees of a link: its own text, else the name of what it points to. */
function linkText(link: HtmlElement): string {
  const body = directChild(link, 'ac:plain-text-link-body') ?? directChild(link, 'ac:link-body');
  const text = (body?.textContent ?? '').trim();
  if (text !== '') return text;
  for (const child of Array.from(link.children)) {
    const target =
      child.getAttribute('ri:content-title') ??
      child.getAttribute('ri:filename') ??
      child.getAttribute('ri:username') ??
      child.getAttribute('ri:space-key') ??
      child.getAttribute('ri:value');
    if (target !== null && target.trim() !== '') return target.trim();
  }
  return (link.getAttribute('ac:anchor') ?? '').trim();
}

function directChild(element: HtmlElement, name: string): HtmlElement | undefined {
  return Array.from(element.children).find((child) => child.localName === name);
}

function childrenOfNamed(element: HtmlElement, name: string): string {
  const child = directChild(element, name);
  return child === undefined ? '' : childrenHtml(child);
}

// HTML elements kept as they are: structure the HTML parser turns into headings, lists, tables, code.
const keptHtmlTags = new Set([
  'p', 'div', 'span', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'table', 'thead', 'tbody', 'tfoot', 'tr',
  'th', 'td', 'caption', 'colgroup', 'pre', 'code', 'blockquote', 'strong', 'b', 'em', 'i', 'u', 's', 'del', 'ins', 'sub', 'sup',
  'a', 'abbr', 'cite', 'q', 'small', 'mark', 'kbd', 'samp', 'var', 'section', 'article', 'figure', 'figcaption',
]);
const droppedHtmlTags = new Set(['script', 'style', 'img', 'iframe', 'object', 'embed', 'video', 'audio', 'canvas', 'svg']);
const voidTags = new Set(['br', 'hr', 'img', 'col', 'wbr', 'input', 'meta', 'link', 'source', 'track', 'area', 'base', 'embed', 'param']);

function keptAttributes(element: HtmlElement): string {
  const attributes: string[] = [];
  for (const name of ['colspan', 'rowspan']) {
    const value = element.getAttribute(name);
    if (value !== null && /^\d+$/.test(value)) attributes.push(` ${name}="${value}"`);
  }
  return attributes.join('');
}

export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
