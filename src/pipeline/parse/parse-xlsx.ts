import ExcelJS from 'exceljs';
import type { ParsedDocument } from '../../core/document.js';
import { BlockBuilder } from './block-builder.js';
import { addRecordRows } from './tabular-text.js';

export interface XlsxParseOptions {
  /** Data rows kept at most per sheet (default 10,000). */
  maxRows?: number;
}

// Rows above the data (titles, notes, the header) read on top of the row limit.
const leadingRowAllowance = 20;
// Columns beyond this are almost always formatting residue, not data.
const maximumColumns = 500;

/**
 * Parses an Excel workbook (.xlsx, .xlsm): one section per sheet, headed by the sheet's
 * name, its rows as `Header: value; Header: value` lines (see tabular-text.ts). Every
 * block carries `location.sheet`. Very hidden sheets (only reachable from macros) are
 * skipped; cells show formula results, not formulas.
 */
export async function parseXlsx(content: Uint8Array, options: XlsxParseOptions = {}): Promise<ParsedDocument> {
  const maxRows = options.maxRows ?? 10_000;
  const workbook = new ExcelJS.Workbook();
  // exceljs's typings predate Node's generic Buffer; the runtime accepts any Buffer.
  await workbook.xlsx.load(Buffer.from(content.buffer, content.byteOffset, content.byteLength) as never);

  const builder = new BlockBuilder();
  let sheets = 0;
  for (const worksheet of workbook.worksheets) {
    if (worksheet.state === 'veryHidden') continue;
    sheets += 1;
    builder.location = { sheet: worksheet.name };
    builder.addHeading(worksheet.name, 1);
    const rows: string[][] = [];
    let nonEmptyRows = 0;
    worksheet.eachRow({ includeEmpty: false }, (row) => {
      nonEmptyRows += 1;
      if (rows.length >= maxRows + leadingRowAllowance) return;
      const cells: string[] = [];
      const columnCount = Math.min(row.cellCount, maximumColumns);
      for (let column = 1; column <= columnCount; column += 1) cells.push(cellText(row.getCell(column)));
      rows.push(cells);
    });
    addRecordRows(builder, rows, {
      maxRows,
      unit: 'sheet',
      columnName: columnLetter,
      totalRows: nonEmptyRows,
    });
  }

  const metadata: Record<string, string> = { sheets: String(sheets) };
  if (workbook.creator) metadata.author = workbook.creator;
  if (workbook.lastModifiedBy) metadata.lastModifiedBy = workbook.lastModifiedBy;
  if (workbook.created instanceof Date && !Number.isNaN(workbook.created.getTime())) metadata.created = workbook.created.toISOString();
  if (workbook.modified instanceof Date && !Number.isNaN(workbook.modified.getTime())) metadata.modified = workbook.modified.toISOString();
  const title = workbook.title?.trim();
  return { blocks: builder.blocks, metadata, ...(title ? { title } : {}) };
}

function cellText(cell: ExcelJS.Cell): string {
  // A merged range shows its value once, in its top-left cell.
  if (cell.isMerged && cell.master !== undefined && cell.master.address !== cell.address) return '';
  return valueText(cell.value, cell.numFmt ?? '');
}

function valueText(value: unknown, numberFormat: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value, numberFormat);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value, numberFormat);
  if (typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if (Array.isArray(object.richText)) return object.richText.map((run: { text?: unknown }) => String(run.text ?? '')).join('');
    if ('hyperlink' in object) return valueText(object.text, numberFormat);
    if ('formula' in object || 'sharedFormula' in object) return valueText(object.result, numberFormat);
    if ('error' in object) return String(object.error);
  }
  return '';
}

function numberText(value: number, numberFormat: string): string {
  if (!Number.isFinite(value)) return String(value);
  if (numberFormat.includes('%')) {
    const decimals = /\.(0+)%/.exec(numberFormat)?.[1]?.length ?? 0;
    return `${(value * 100).toFixed(decimals)}%`;
  }
  // Binary floating point leaves noise (0.1 + 0.2); fifteen digits is what Excel shows.
  return String(Number(value.toPrecision(15)));
}

function dateText(value: Date, numberFormat: string): string {
  if (Number.isNaN(value.getTime())) return '';
  const iso = value.toISOString();
  const date = iso.slice(0, 10);
  const time = iso.slice(11, 19).replace(/:00$/, '');
  const timeOnly = date === '1899-12-30' || date === '1899-12-31' || (/[hs]/i.test(numberFormat) && !/[dy]/i.test(numberFormat));
  if (timeOnly) return time;
  return time === '00:00' ? date : `${date} ${time}`;
}

/** Spreadsheet column letters for a 0-based index: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let letters = '';
  let remaining = index + 1;
  while (remaining > 0) {
    const remainder = (remaining - 1) % 26;
    letters = String.fromCharCode(65 + remainder) + letters;
    remaining = Math.floor((remaining - 1) / 26);
  }
  return letters;
}
