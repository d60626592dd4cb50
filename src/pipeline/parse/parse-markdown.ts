import { parse as parseYaml } from 'yaml';
import type { ParsedDocument } from '../../core/document.js';
import { BlockBuilder, type ListItem } from './block-builder.js';
import { cleanInlineText, removeControlCharacters } from './clean-text.js';
import { decodeText, type DecodedText } from './decode-text.js';
import { addHtmlBlocks, parseHtmlDocument, removeBoilerplate } from './html-to-blocks.js';

/**
 * Parses Markdown (CommonMark and GitHub's tables) into blocks: ATX and setext headings
 * with their levels, paragraphs, nested lists, fenced and indented code, pipe tables,
 * block quotes, and embedded HTML blocks. Inline markup (emphasis, links, images, inline
 * code) is reduced to its text, since search and embeddings need words, not syntax.
 * The title comes from YAML front matter when there is one, else from the first
 * level-one heading.
 */
export function parseMarkdown(content: Uint8Array, decoded: DecodedText = decodeText(content)): ParsedDocument {
  const { frontMatter, body } = splitFrontMatter(removeControlCharacters(decoded.text).replace(/^\uFEFF/, ''));
  const builder = new BlockBuilder();
  new MarkdownBlockParser(builder).parse(body.split('\n'));

  const metadata: Record<string, string> = { encoding: decoded.encoding };
  for (const [key, value] of Object.entries(frontMatter)) {
    if (key === 'title') continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') metadata[key] = String(value);
    else if (value instanceof Date) metadata[key] = value.toISOString();
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number')) metadata[key] = value.join(', ');
  }
  const frontMatterTitle = typeof frontMatter.title === 'string' ? cleanInlineText(frontMatter.title) : '';
  const firstHeading = builder.blocks.find((block) => block.kind === 'heading' && block.level === 1)?.text;
  const title = frontMatterTitle !== '' ? frontMatterTitle : firstHeading;
  return { blocks: builder.blocks, metadata, ...(title === undefined ? {} : { title }) };
}

function splitFrontMatter(text: string): { frontMatter: Record<string, unknown>; body: string } {
  const yamlMatch = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(text);
  if (yamlMatch !== null) {
    try {
      const value: unknown = parseYaml(yamlMatch[1] ?? '', { maxAliasCount: 50 });
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        return { frontMatter: value as Record<string, unknown>, body: text.slice(yamlMatch[0].length) };
      }
    } catch {
      // Not YAML after all (a document that opens with a horizontal rule); read it as Markdown.
    }
    return { frontMatter: {}, body: text };
  }
  const tomlMatch = /^\+\+\+[ \t]*\n([\s\S]*?)\n\+\+\+[ \t]*(?:\n|$)/.exec(text);
  if (tomlMatch !== null) {
    const title = /^title\s*=\s*["'](.*)["']\s*$/m.exec(tomlMatch[1] ?? '')?.[1];
    return { frontMatter: title === undefined ? {} : { title }, body: text.slice(tomlMatch[0].length) };
  }
  return { frontMatter: {}, body: text };
}

const fenceOpening = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const atxHeading = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const setextUnderline = /^ {0,3}(=+|-+)[ \t]*$/;
const thematicBreak = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const listItemLine = /^([ \t]*)([-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?$/;
const blockQuoteLine = /^ {0,3}>[ ]?(.*)$/;
const tableSeparator = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
const htmlBlockStart = /^ {0,3}<(?:!--|\/?(?:address|article|aside|blockquote|center|details|dialog|dd|div|dl|dt|fieldset|figcaption|figure|footer|form|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|summary|table|tbody|td|tfoot|th|thead|tr|ul)(?:[\s/>]|$))/i;
const linkReferenceDefinition = /^ {0,3}\[[^\]]+\]:\s*\S+/;

class MarkdownBlockParser {
  constructor(private readonly builder: BlockBuilder) {}

  parse(lines: readonly string[]): void {
    let paragraph: string[] = [];
    const flushParagraph = (): void => {
      if (paragraph.length > 0) this.builder.addParagraph(stripInlineMarkdown(paragraph.join(' ')));
      paragraph = [];
    };

    let index = 0;
    while (index < lines.length) {
      const line = lines[index] ?? '';
      if (line.trim() === '') {
        flushParagraph();
        index += 1;
        continue;
      }

      const fence = fenceOpening.exec(line);
      if (fence !== null && !(fence[2]?.startsWith('`') === true && (fence[3] ?? '').includes('`'))) {
        flushParagraph();
        index = this.fencedCode(lines, index, fence[2] ?? '```', (fence[1] ?? '').length);
        continue;
      }

      const heading = atxHeading.exec(line);
      if (heading !== null) {
        flushParagraph();
        this.builder.addHeading(stripInlineMarkdown(heading[2] ?? ''), (heading[1] ?? '#').length);
        index += 1;
        continue;
      }

      const underline = setextUnderline.exec(line);
      if (underline !== null && paragraph.length > 0) {
        this.builder.addHeading(stripInlineMarkdown(paragraph.join(' ')), underline[1]?.startsWith('=') === true ? 1 : 2);
        paragraph = [];
        index += 1;
        continue;
      }

      if (thematicBreak.test(line)) {
        flushParagraph();
        index += 1;
        continue;
      }

      if (line.includes('|') && tableSeparator.test(lines[index + 1] ?? '') && (lines[index + 1] ?? '').includes('-')) {
        flushParagraph();
        index = this.table(lines, index);
        continue;
      }

      if (blockQuoteLine.test(line)) {
        flushParagraph();
        const quoted: string[] = [];
        while (index < lines.length && (blockQuoteLine.test(lines[index] ?? '') || ((lines[index] ?? '').trim() !== '' && quoted.length > 0 && !listItemLine.test(lines[index] ?? '')))) {
          const current = lines[index] ?? '';
          quoted.push(blockQuoteLine.exec(current)?.[1] ?? current);
          index += 1;
        }
        new MarkdownBlockParser(this.builder).parse(quoted);
        continue;
      }

      if (listItemLine.test(line) && !(paragraph.length > 0 && /^\s/.test(line))) {
        flushParagraph();
        index = this.list(lines, index);
        continue;
      }

      if (htmlBlockStart.test(line) && paragraph.length === 0) {
        index = this.htmlBlock(lines, index);
        continue;
      }

      if (/^(?: {4}|\t)/.test(line) && paragraph.length === 0) {
        const code: string[] = [];
        while (index < lines.length && (/^(?: {4}|\t)/.test(lines[index] ?? '') || (lines[index] ?? '').trim() === '')) {
          code.push((lines[index] ?? '').replace(/^(?: {4}|\t)/, ''));
          index += 1;
        }
        this.builder.addCode(code.join('\n'));
        continue;
      }

      if (linkReferenceDefinition.test(line) && paragraph.length === 0) {
        index += 1;
        continue;
      }

      paragraph.push(line.trim());
      index += 1;
    }
    flushParagraph();
  }

  private fencedCode(lines: readonly string[], start: number, fence: string, indentation: number): number {
    const closing = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`);
    const code: string[] = [];
    let index = start + 1;
    while (index < lines.length && !closing.test(lines[index] ?? '')) {
      // Content indented like its fence loses that indentation, as CommonMark says.
      code.push((lines[index] ?? '').replace(new RegExp(`^ {0,${indentation}}`), ''));
      index += 1;
    }
    this.builder.addCode(code.join('\n'));
    return index + 1;
  }

  private table(lines: readonly string[], start: number): number {
    const rows: string[][] = [splitTableRow(lines[start] ?? '')];
    let index = start + 2;
    while (index < lines.length && (lines[index] ?? '').trim() !== '' && (lines[index] ?? '').includes('|')) {
      rows.push(splitTableRow(lines[index] ?? ''));
      index += 1;
    }
    this.builder.addTable(rows.map((row) => row.map(stripInlineMarkdown)), { hasHeader: true });
    return index;
  }

  private list(lines: readonly string[], start: number): number {
    const items: ListItem[] = [];
    const markerIndents: number[] = [];
    let index = start;
    while (index < lines.length) {
      const line = lines[index] ?? '';
      const item = listItemLine.exec(line);
      if (item !== null && !thematicBreak.test(line)) {
        const indentation = (item[1] ?? '').replace(/\t/g, '    ').length;
        while (markerIndents.length > 0 && (markerIndents[markerIndents.length - 1] ?? 0) > indentation) markerIndents.pop();
        if (markerIndents.length === 0 || (markerIndents[markerIndents.length - 1] ?? 0) < indentation) markerIndents.push(indentation);
        items.push({ text: item[3] ?? '', depth: markerIndents.length - 1, ordered: /\d/.test(item[2] ?? '') });
        index += 1;
        continue;
      }
      if (line.trim() === '') {
        // A blank line ends the list unless the list (or the item) carries on after it.
        let next = index + 1;
        while (next < lines.length && (lines[next] ?? '').trim() === '') next += 1;
        const following = lines[next] ?? '';
        if (next < lines.length && (listItemLine.test(following) || /^(?: {2,}|\t)/.test(following)) && !thematicBreak.test(following)) {
          index = next;
          continue;
        }
        break;
      }
      if (atxHeading.test(line) || fenceOpening.test(line) || blockQuoteLine.test(line) || thematicBreak.test(line)) break;
      // Continuation of the current item, indented or lazily wrapped.
      const last = items[items.length - 1];
      if (last !== undefined) last.text += ` ${line.trim()}`;
      index += 1;
    }
    this.builder.addList(items.map((item) => ({ ...item, text: stripInlineMarkdown(item.text) })));
    return index;
  }

  private htmlBlock(lines: readonly string[], start: number): number {
    const html: string[] = [];
    let index = start;
    while (index < lines.length && (lines[index] ?? '').trim() !== '') {
      html.push(lines[index] ?? '');
      index += 1;
    }
    const document = parseHtmlDocument(html.join('\n'));
    removeBoilerplate(document);
    if (document.body !== null) addHtmlBlocks(this.builder, document.body);
    return index;
  }
}

function splitTableRow(line: string): string[] {
  const trimmed = line.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '');
  return trimmed.split(/(?<!\\)\|/).map((cell) => cell.replace(/\\\|/g, '|').trim());
}

/**
 * Reduces inline Markdown to the words a reader sees: link and image text without their
 * targets, emphasis and code without their markers, HTML tags and escapes removed.
 */
export function stripInlineMarkdown(text: string): string {
  // Code spans and backslash escapes are set aside first, so that nothing inside them is
  // taken for markup, and put back at the end.
  const literals: string[] = [];
  const setAside = (literal: string): string => {
    literals.push(literal);
    return `\u0000${literals.length - 1}\u0000`;
  };
  const withoutMarkup = text
    .replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, (_, __, code: string) => setAside(code.trim()))
    .replace(/\\([!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~])/g, (_, character: string) => setAside(character))
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/!\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/\[\^[^\]]+\]/g, '')
    .replace(/\[([^\]]+)\]\((?:[^()\s]|\([^)]*\))*(?:\s+["'(][^)]*["')])?\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<((?:https?|mailto|ftp):[^>\s]+)>/gi, '$1')
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>/gi, '')
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?!\w)/g, '$1$2')
    .replace(/(^|[^\w])_(?=\S)([^_]*?\S)_(?!\w)/g, '$1$2')
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1');
  // Character references are decoded after tags are gone, so "&lt;div&gt;" stays text.
  const result = decodeEntities(withoutMarkup).replace(/\u0000(\d+)\u0000/g, (_, position: string) => literals[Number(position)] ?? '');
  return cleanInlineText(result);
}

const namedEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00A0', copy: '©', reg: '®', trade: '™', hellip: '…', mdash: '—', ndash: '–' };

/** Character references, which Markdown allows anywhere in text (`&amp;`, `&#8212;`). */
function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#[xX]([\da-fA-F]{1,6})|([a-zA-Z]+));/g, (match, decimal?: string, hexadecimal?: string, name?: string) => {
    const codePoint = decimal !== undefined ? Number(decimal) : hexadecimal !== undefined ? Number.parseInt(hexadecimal, 16) : undefined;
    if (codePoint !== undefined) return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : match;
    return namedEntities[name ?? ''] ?? match;
  });
}
