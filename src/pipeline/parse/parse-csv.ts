import type { ParsedDocument } from '../../core/document.js';
import { BlockBuilder } from './block-builder.js';
import { decodeText, type DecodedText } from './decode-text.js';
import { fileExtension } from './detect-format.js';
import { addRecordRows } from './tabular-text.js';

export interface CsvParseOptions {
  /** Data rows kept at most (default 10,000). */
  maxRows?: number;
}

const candidateDelimiters = [',', ';', '\t', '|'] as const;

/**
 * Parses CSV and TSV files in any of the encodings {@link decodeText} handles. The
 * delimiter is detected (Excel in many European locales writes semicolons), the first row
 * is taken as the header when it reads like one, and each row becomes a line of
 * `Header: value; Header: value` text.
 */
export function parseCsv(content: Uint8Array, name: string, options: CsvParseOptions = {}, decoded: DecodedText = decodeText(content)): ParsedDocument {
  let text = decoded.text.replace(/^\uFEFF/, '');
  // Excel's "sep=;" first line declares the delimiter and is not data.
  const declared = /^sep=(.)\r?\n/i.exec(text);
  if (declared !== null) text = text.slice(declared[0].length);
  const delimiter = declared?.[1] ?? detectDelimiter(text, fileExtension(name));
  const rows = parseDelimitedText(text, delimiter);

  const builder = new BlockBuilder();
  addRecordRows(builder, rows, { maxRows: options.maxRows ?? 10_000, unit: 'file' });
  return { blocks: builder.blocks, metadata: { encoding: decoded.encoding, delimiter: delimiter === '\t' ? 'tab' : delimiter } };
}

/**
 * Picks the delimiter that splits the first lines into the same number of fields most
 * consistently, preferring more fields on a tie; the extension breaks remaining ties.
 */
export function detectDelimiter(text: string, extension = ''): string {
  const sample = text.slice(0, 64 * 1024);
  let best: { delimiter: string; score: number } = { delimiter: extension === 'tsv' || extension === 'tab' ? '\t' : ',', score: 0 };
  for (const delimiter of candidateDelimiters) {
    const rows = parseDelimitedText(sample, delimiter, 50).filter((row) => row.length > 1 || row[0] !== '');
    if (rows.length === 0) continue;
    const counts = new Map<number, number>();
    for (const row of rows) counts.set(row.length, (counts.get(row.length) ?? 0) + 1);
    const [fields, frequency] = [...counts].sort((left, right) => right[1] - left[1] || right[0] - left[0])[0] ?? [1, 0];
    if (fields < 2) continue;
    const consistency = frequency / rows.length;
    const preferred = (delimiter === '\t' && (extension === 'tsv' || extension === 'tab')) || (delimiter === ',' && extension === 'csv');
    const score = consistency * 10 + Math.min(fields, 20) / 20 + (preferred ? 0.5 : 0);
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

/**
 * Splits delimited text into rows of fields following RFC 4180: fields may be quoted,
 * quotes inside quoted fields are doubled, and quoted fields may span lines. Lenient where
 * real files are sloppy: a quote inside an unquoted field is kept as a character, and an
 * unterminated quote runs to the end of the file.
 */
export function parseDelimitedText(text: string, delimiter: string, maximumRows = Number.POSITIVE_INFINITY): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  let index = 0;
  while (index < text.length && rows.length < maximumRows) {
    const character = text[index] as string;
    if (quoted) {
      if (character === '"') {
        if (text[index + 1] === '"') {
          field += '"';
          index += 2;
          continue;
        }
        quoted = false;
      } else {
        field += character;
      }
      index += 1;
      continue;
    }
    if (character === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      field = '';
    } else if (character === delimiter) {
      row.push(field);
      field = '';
      fieldStarted = false;
    } else if (character === '\n' || character === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      fieldStarted = false;
      if (character === '\r' && text[index + 1] === '\n') index += 1;
    } else {
      field += character;
      if (character !== ' ') fieldStarted = true;
    }
    index += 1;
  }
  if ((field !== '' || row.length > 0) && rows.length < maximumRows) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
