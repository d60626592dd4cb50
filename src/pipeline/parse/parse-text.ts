import type { ParsedDocument } from '../../core/document.js';
import { BlockBuilder, type ListItem } from './block-builder.js';
import { splitParagraphs } from './clean-text.js';
import { decodeText, type DecodedText } from './decode-text.js';

// Markers people type at the start of list lines: bullets of many fonts, numbers and
// letters ("1.", "a)"), Korean enumerators ("가.", "나."), circled numbers, and
// checklist boxes ("[ ]", "[x]"), which are kept in the item's text.
const bulletLine = /^(\s*)(?:([-*+•·▪◦‣–●○■□◆◇▶►✓✔・])\s+|(\d{1,3}[.)]|[a-zA-Z][.)]|[가-하][.)])\s+|([\u2460-\u2473])\s*|(?=\[[ xX✓]\]\s))(.*)$/u;

/**
 * Parses plain text: paragraphs are separated by blank lines. A paragraph made of
 * bulleted, numbered or checklist lines (after an optional lead-in line such as
 * "DAY 1") is kept as a list, one item per line, nested by indentation, with wrapped
 * continuation lines joined to their item.
 */
export function parseText(content: Uint8Array, decoded: DecodedText = decodeText(content)): ParsedDocument {
  const builder = new BlockBuilder();
  addTextBlocks(builder, decoded.text);
  return { blocks: builder.blocks, metadata: { encoding: decoded.encoding } };
}

/** Adds plain text to a builder as paragraphs and lists; shared with e-mail bodies. */
export function addTextBlocks(builder: BlockBuilder, text: string): void {
  for (const paragraph of splitParagraphs(text)) {
    const lines = paragraph.split('\n').filter((line) => line.trim() !== '');
    const firstItem = lines.findIndex((line) => bulletLine.test(line));
    const list = firstItem >= 0 && firstItem <= 1 ? listItems(lines.slice(firstItem)) : undefined;
    if (list === undefined || list.length < 2) {
      builder.addParagraph(paragraph);
      continue;
    }
    if (firstItem === 1) builder.addParagraph(lines[0] ?? '');
    builder.addList(list);
  }
}

/**
 * Reads lines as list items, or returns undefined when they are not a list: every line
 * must start an item or continue the one before it (indented, or wrapped after an item).
 */
function listItems(lines: readonly string[]): ListItem[] | undefined {
  const items: (ListItem & { indentation: number })[] = [];
  for (const line of lines) {
    const match = bulletLine.exec(line);
    const indentation = (match?.[1] ?? /^\s*/.exec(line)?.[0] ?? '').replace(/\t/g, '    ').length;
    if (match !== null) {
      const marker = match[3] ?? match[4];
      items.push({ text: match[5] ?? '', depth: 0, ordered: marker !== undefined, ...(marker === undefined ? {} : { marker }), indentation });
      continue;
    }
    const last = items[items.length - 1];
    if (last === undefined) return undefined;
    last.text += ` ${line.trim()}`;
  }
  // Depth follows the distinct indentations in use, so two- and four-space styles both nest.
  const indentations = [...new Set(items.map((item) => item.indentation))].sort((left, right) => left - right);
  return items.map(({ indentation, ...item }) => ({ ...item, depth: indentations.indexOf(indentation) }));
}
