import { fileTypeFromBuffer } from 'file-type';
import type { ParsedDocument } from '../../core/document.js';
import { DocentError, describeError } from '../../core/errors.js';
import { inspectContent, UnrecognisedBinaryError, type DocumentFormat, type FormatDetection } from './detect-format.js';

export { detectFormat, type DocumentFormat } from './detect-format.js';

/** A file to parse: its name (a hint to the format) and bytes, and the charset its source declared, if any. */
export interface ParseInput {
  name: string;
  content: Uint8Array;
  charset?: string;
}

export interface ParseOptions {
  /**
   * Give up on a file after this many milliseconds (default 60 s) and report it as
   * `file_corrupt`: files that take pdf.js or an XML parser that long are pathological,
   * and one of them must not hold up a whole sync run.
   */
  timeoutMs?: number;
  /** Rows kept at most per spreadsheet sheet or CSV file (default 10,000); the rest is noted and dropped. */
  maxTableRows?: number;
}

export const defaultParseTimeoutMs = 60_000;
export const defaultMaxTableRows = 10_000;

/**
 * Parses a document of any supported format into ordered blocks. The format is detected
 * from the content (see detect-format.ts), not trusted from the name. Every failure is a
 * DocentError with a stable code and a one-line message a person can act on:
 * `file_empty`, `file_encrypted`, `file_corrupt`, `format_unsupported`, `binary_content`.
 */
export async function parseDocument(input: ParseInput, options: ParseOptions = {}): Promise<ParsedDocument> {
  const { name, content, charset } = input;
  let detection: FormatDetection;
  try {
    detection = inspectContent(content, name, charset);
  } catch (error) {
    throw await withDetectedTypeName(error, content);
  }

  const timeoutMs = options.timeoutMs ?? defaultParseTimeoutMs;
  const controller = new AbortController();
  const parsing = parseDetected(detection, input, options, controller.signal);
  const document = await withinTimeLimit(parsing, timeoutMs, controller, name);

  if (document.blocks.length === 0 && (document.attachments?.length ?? 0) === 0) {
    throw new DocentError('file_empty', `${name} contains no text to index${emptyHint(detection.format)}.`);
  }
  return { ...document, metadata: { format: detection.format, ...document.metadata } };
}

async function parseDetected(detection: FormatDetection, { name, content, charset }: ParseInput, options: ParseOptions, signal: AbortSignal): Promise<ParsedDocument> {
  const maxRows = options.maxTableRows ?? defaultMaxTableRows;
  // Each parser is loaded on first use: pdf.js, exceljs and mammoth take a noticeable
  // time to load and memory to hold, and a source of Markdown files needs none of them.
  try {
    switch (detection.format) {
      case 'pdf':
        return await (await import('./parse-pdf.js')).parsePdf(content, name, signal);
      case 'docx':
        return await (await import('./parse-docx.js')).parseDocx(content);
      case 'pptx':
        return await (await import('./parse-pptx.js')).parsePptx(content, name);
      case 'xlsx':
        return await (await import('./parse-xlsx.js')).parseXlsx(content, { maxRows });
      case 'html':
        return (await import('./parse-html.js')).parseHtml(content, detection.decoded, charset);
      case 'markdown':
        return (await import('./parse-markdown.js')).parseMarkdown(content, detection.decoded);
      case 'text':
        return (await import('./parse-text.js')).parseText(content, detection.decoded);
      case 'csv':
        return (await import('./parse-csv.js')).parseCsv(content, name, { maxRows }, detection.decoded);
      case 'email':
        return await (await import('./parse-email.js')).parseEmail(content);
    }
  } catch (error) {
    if (error instanceof DocentError) throw error;
    // The libraries throw plain errors for damaged input (JSZip: "Corrupted zip", sax:
    // "Unclosed root tag", deep nesting: a RangeError); whatever they say, the file is
    // what cannot be read.
    throw new DocentError('file_corrupt', `${name} could not be read as ${formatNames[detection.format]} (${describeError(error)}); the file is damaged or not what its content suggests.`, {
      cause: error,
    });
  }
}

/**
 * Waits for `parsing` for at most `timeoutMs`. On expiry the work is told to stop (pdf.js
 * honours the signal; purely synchronous work cannot be interrupted and ends on its own)
 * and its eventual outcome is discarded, so that a late failure never surfaces as an
 * unhandled rejection.
 */
async function withinTimeLimit<T>(parsing: Promise<T>, timeoutMs: number, controller: AbortController, name: string): Promise<T> {
  parsing.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        new DocentError('file_corrupt', `${name} took longer than ${formatSeconds(timeoutMs)} to parse and was abandoned; it is probably damaged or pathologically complex.`),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([parsing, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Names binary content that the built-in signatures did not know, using file-type's larger database. */
async function withDetectedTypeName(error: unknown, content: Uint8Array): Promise<unknown> {
  if (!(error instanceof UnrecognisedBinaryError)) return error;
  try {
    const detected = await fileTypeFromBuffer(content);
    if (detected === undefined) return error;
    const description = `${detected.mime} (.${detected.ext})`;
    if (error.code === 'binary_content') {
      return new DocentError('binary_content', `${error.fileName} has a text file extension but contains ${description} data, not text.`);
    }
    return new DocentError('format_unsupported', `${error.fileName} is ${description}, which is not a supported document format.`);
  } catch {
    return error;
  }
}

const formatNames: Record<DocumentFormat, string> = {
  pdf: 'a PDF',
  docx: 'a Word document',
  pptx: 'a PowerPoint presentation',
  xlsx: 'an Excel workbook',
  html: 'HTML',
  markdown: 'Markdown',
  text: 'text',
  csv: 'CSV',
  email: 'an e-mail message',
};

function emptyHint(format: DocumentFormat): string {
  switch (format) {
    case 'pdf':
      return ' (a PDF without a text layer, probably scanned; OCR is not supported)';
    case 'pptx':
      return ' (the slides hold only pictures or are empty)';
    case 'xlsx':
    case 'csv':
      return ' (every sheet is empty)';
    default:
      return ' (it holds only whitespace, markup or images)';
  }
}

function formatSeconds(milliseconds: number): string {
  return milliseconds >= 1000 ? `${Math.round(milliseconds / 100) / 10} s` : `${milliseconds} ms`;
}
