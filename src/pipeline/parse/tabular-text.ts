import { renderRecord, type BlockBuilder } from './block-builder.js';
import { cleanInlineText } from './clean-text.js';

export interface RecordRowsOptions {
  /** Data rows kept at most; the rest is dropped with a note saying so. */
  maxRows: number;
  /** Name for a column without a header cell, given its 0-based index. */
  columnName?: (index: number) => string;
  /** What the rows are, for the truncation note ("sheet", "file"). */
  unit?: string;
  /**
   * Rows in the whole source, titles and header included, when `rows` holds only its
   * beginning (a spreadsheet read no further than needed); for the truncation note.
   */
  totalRows?: number;
}

// A block small enough for a chunker to take whole and big enough to give context.
const maximumRowsPerBlock = 50;
const maximumCharactersPerBlock = 3000;

const numberLike = /^[-+(]?[\d\s.,'’]*\d[\d\s.,'’]*[)%]?$|^[-+]?[$€£¥₩][\d\s.,]+$/;
const dateLike = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/;

/**
 * Renders rows of a data table (a spreadsheet, a CSV file) as text that still makes sense
 * when a chunk holds only a few of the rows: each row becomes one line of
 * `Header: value; Header: value` (as document tables do, see block-builder.ts), so every
 * line names its own columns. Without a header
 * row, cells are joined with ` | `. A lone cell above the table (a sheet title) becomes a
 * paragraph instead of a bogus header.
 */
export function addRecordRows(builder: BlockBuilder, rows: readonly (readonly string[])[], options: RecordRowsOptions): void {
  const cleanedRows = rows.map((row) => trimTrailingEmptyCells(row.map((cell) => cleanInlineText(cell))));
  let remaining = cleanedRows.filter((row) => row.length > 0);

  // Titles and notes above the table: single-cell rows followed by a wider row.
  while (remaining.length > 1 && remaining[0]?.filter((cell) => cell !== '').length === 1 && (remaining[1]?.filter((cell) => cell !== '').length ?? 0) > 1) {
    builder.addParagraph(remaining[0]?.find((cell) => cell !== '') ?? '');
    remaining = remaining.slice(1);
  }
  if (remaining.length === 0) return;

  const firstRow = remaining[0] ?? [];
  const header = remaining.length > 1 && isHeaderRow(firstRow) ? firstRow : undefined;
  const dataRows = header === undefined ? remaining : remaining.slice(1);
  const columnName = options.columnName ?? ((index: number) => `Column ${index + 1}`);

  const keptRows = dataRows.slice(0, options.maxRows);
  let lines: string[] = [];
  let characters = 0;
  const flush = (): void => {
    if (lines.length > 0) builder.addRenderedTable(lines.join('\n'));
    lines = [];
    characters = 0;
  };
  for (const row of keptRows) {
    const line = header === undefined ? row.join(' | ') : renderRecord(header, row, columnName);
    if (line.replace(/[|\s]/g, '') === '') continue;
    if (lines.length >= maximumRowsPerBlock || (lines.length > 0 && characters + line.length > maximumCharactersPerBlock)) flush();
    lines.push(line);
    characters += line.length + 1;
  }
  flush();
  const leadingRows = cleanedRows.filter((row) => row.length > 0).length - dataRows.length;
  const totalDataRows = Math.max(dataRows.length, (options.totalRows ?? 0) - leadingRows);
  if (totalDataRows > keptRows.length) {
    builder.addParagraph(`Only the first ${keptRows.length} of ${totalDataRows} rows of this ${options.unit ?? 'table'} were indexed.`);
  }
}

/**
 * A header row names columns: its cells are text (not numbers or dates), mostly filled
 * and distinct from each other.
 */
export function isHeaderRow(row: readonly string[]): boolean {
  const filled = row.filter((cell) => cell !== '');
  if (filled.length === 0 || filled.length < row.length / 2) return false;
  if (filled.some((cell) => numberLike.test(cell) || dateLike.test(cell))) return false;
  return new Set(filled.map((cell) => cell.toLowerCase())).size === filled.length;
}

function trimTrailingEmptyCells(row: string[]): string[] {
  let end = row.length;
  while (end > 0 && row[end - 1] === '') end -= 1;
  return row.slice(0, end);
}
