import type { Block, Location } from '../../core/document.js';
import { cleanCode, cleanIndentedLines, cleanInlineText, cleanLines } from './clean-text.js';

/** One entry of a (possibly nested) list, before it is rendered as text. */
export interface ListItem {
  text: string;
  /** Nesting depth, 0 for a top-level item. */
  depth: number;
  /** Whether the list is numbered; numbered items keep their numbers in the text. */
  ordered: boolean;
  /**
   * The numbering as the source wrote it ("3.", "가.", "①"), for sources that spell it
   * out; numbered items without one are numbered from 1.
   */
  marker?: string;
}

/**
 * Renders list items one per line, `- item` or `1. item`, indented two spaces per level:
 * the form Markdown readers, language models and people all read as a list.
 */
export function renderList(items: readonly ListItem[]): string {
  const counters: number[] = [];
  const orderedAtDepth: boolean[] = [];
  const lines: string[] = [];
  for (const item of items) {
    const text = cleanInlineText(item.text);
    if (text === '') continue;
    const depth = Math.max(0, Math.min(item.depth, 8));
    counters.length = depth + 1;
    orderedAtDepth.length = depth + 1;
    // Switching between bullets and numbers at one depth starts a new list.
    if (orderedAtDepth[depth] !== item.ordered) counters[depth] = 0;
    orderedAtDepth[depth] = item.ordered;
    counters[depth] = (counters[depth] ?? 0) + 1;
    const marker = item.ordered ? (item.marker ?? `${counters[depth]}.`) : '-';
    lines.push(`${'  '.repeat(depth)}${marker} ${text}`);
  }
  return lines.join('\n');
}

/**
 * Renders one data row as `Header: value; Header: value`, leaving out empty cells, so that
 * the row still says what each value is when a chunk holds it without the header row.
 */
export function renderRecord(header: readonly string[], row: readonly string[], columnName: (index: number) => string = (index) => `Column ${index + 1}`): string {
  const pairs: string[] = [];
  row.forEach((value, index) => {
    const cleanValue = cleanInlineText(value);
    if (cleanValue === '') return;
    const name = cleanInlineText(header[index] ?? '');
    pairs.push(`${name === '' ? columnName(index) : name}: ${cleanValue}`);
  });
  return pairs.join('; ');
}

/**
 * Renders a table one row per line. With a header row, each further row becomes a
 * record line (see {@link renderRecord}): a question about "the minimum length for a
 * standard account" then finds "Account type: Standard user account; Minimum length: 14
 * characters" in a single line. Without one, cells are joined as a pipe table.
 */
export function renderTable(rows: readonly (readonly string[])[], options: { hasHeader: boolean }): string {
  const filledRows = rows.filter((row) => row.some((cell) => cleanInlineText(cell) !== ''));
  const [header, ...dataRows] = filledRows;
  if (!options.hasHeader || header === undefined || dataRows.length === 0) return renderPipeTable(filledRows, { hasHeader: false });
  return dataRows
    .map((row) => renderRecord(header, row))
    .filter((line) => line !== '')
    .join('\n');
}

/**
 * Renders a table as pipe-separated lines, with a Markdown separator line under the header
 * row when asked for one. Cells are cleaned to one line each, and pipes inside cells are
 * escaped so that columns stay unambiguous.
 */
export function renderPipeTable(rows: readonly (readonly string[])[], options: { hasHeader: boolean }): string {
  const cleanedRows = rows
    .map((row) => row.map((cell) => cleanInlineText(cell).replace(/\|/g, '\\|')))
    .filter((row) => row.some((cell) => cell !== ''));
  if (cleanedRows.length === 0) return '';
  const width = Math.max(...cleanedRows.map((row) => row.length));
  const lines = cleanedRows.map((row) => {
    const cells = Array.from({ length: width }, (_, index) => row[index] ?? '');
    return `|${cells.map((cell) => (cell === '' ? ' ' : ` ${cell} `)).join('|')}|`;
  });
  if (options.hasHeader && lines.length > 1) {
    lines.splice(1, 0, `| ${Array.from({ length: width }, () => '---').join(' | ')} |`);
  }
  return lines.join('\n');
}

/**
 * Collects blocks in reading order. Every block's text is cleaned for its kind and empty
 * blocks are dropped here, so no parser can hand the chunker an empty or dirty block.
 */
export class BlockBuilder {
  readonly blocks: Block[] = [];
  /** Location given to every block added from now on (the current page, slide or sheet). */
  location: Location | undefined;

  constructor(location?: Location) {
    this.location = location;
  }

  addHeading(text: string, level: number): void {
    const clampedLevel = Math.max(1, Math.min(6, Math.round(level)));
    this.push({ kind: 'heading', text: cleanInlineText(text), level: clampedLevel });
  }

  addParagraph(text: string): void {
    this.push({ kind: 'paragraph', text: cleanInlineText(text) });
  }

  addList(items: readonly ListItem[]): void {
    this.push({ kind: 'list', text: cleanIndentedLines(renderList(items)) });
  }

  /** Adds a table given as rows of cell texts (see {@link renderTable}). */
  addTable(rows: readonly (readonly string[])[], options: { hasHeader: boolean }): void {
    this.addRenderedTable(renderTable(rows, options));
  }

  /** Adds a table whose text is already rendered one row per line. */
  addRenderedTable(text: string): void {
    this.push({ kind: 'table', text: cleanLines(text) });
  }

  addCode(text: string): void {
    this.push({ kind: 'code', text: cleanCode(text) });
  }

  private push(block: Block): void {
    if (block.text === '') return;
    if (this.location !== undefined) block.location = { ...this.location };
    this.blocks.push(block);
  }
}
