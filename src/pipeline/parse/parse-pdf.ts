import { PDFParse } from 'pdf-parse';
import type { ParsedDocument } from '../../core/document.js';
import { DocentError, describeError } from '../../core/errors.js';
import { BlockBuilder } from './block-builder.js';
import { cleanInlineText, removeControlCharacters } from './clean-text.js';

/**
 * Parses a PDF with pdf-parse (pdf.js underneath): each page's text becomes paragraphs
 * carrying `location.page`, running page numbers are dropped, and words hyphenated
 * across lines are joined again. The title comes from the document information
 * dictionary, else from XMP metadata. A password-protected PDF is reported as
 * `file_encrypted`; one pdf.js cannot read as `file_corrupt`.
 *
 * `signal` stops the work at the next page: the per-file time limit in
 * parse-document.ts uses it.
 */
export async function parsePdf(content: Uint8Array, name: string, signal?: AbortSignal): Promise<ParsedDocument> {
  // pdf.js may take ownership of the buffer it is given; a copy keeps the caller's intact.
  const parser = new PDFParse({ data: new Uint8Array(content) });
  try {
    const info = await parser.getInfo();
    const builder = new BlockBuilder();
    // Page by page, so that an abort takes effect between pages (destroying the document
    // does not stop a getText() call under way; pdf-parse reloads it instead). In Node,
    // pdf.js works on this thread through promise callbacks only, so without the yield
    // to the event loop no timer, the time limit's included, could fire until the end.
    for (let pageNumber = 1; pageNumber <= info.total; pageNumber += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      if (signal?.aborted === true) throw new DocentError('file_corrupt', `${name}: parsing was stopped at page ${pageNumber} of ${info.total}.`);
      const text = await parser.getText({ partial: [pageNumber], lineEnforce: true, cellSeparator: '\t', pageJoiner: '' });
      builder.location = { page: pageNumber };
      for (const page of text.pages) {
        for (const paragraph of pageParagraphs(page.text)) builder.addParagraph(paragraph);
      }
    }
    const metadata = pdfMetadata(info, info.total);
    const title = pdfTitle(info);
    return { blocks: builder.blocks, metadata, ...(title === undefined ? {} : { title }) };
  } catch (error) {
    throw pdfError(error, name);
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}

function pdfError(error: unknown, name: string): DocentError {
  if (error instanceof DocentError) return error;
  const errorName = error instanceof Error ? error.name : '';
  if (errorName === 'PasswordException') {
    return new DocentError('file_encrypted', `${name} is a password-protected PDF; remove the password (or upload an unprotected copy) to index it.`, { cause: error });
  }
  return new DocentError('file_corrupt', `${name} could not be read as a PDF (${describeError(error)}); the file is damaged or not really a PDF.`, { cause: error });
}

type PdfInfo = Awaited<ReturnType<PDFParse['getInfo']>>;

function pdfTitle(info: PdfInfo): string | undefined {
  const candidates: unknown[] = [(info.info as Record<string, unknown> | undefined)?.Title, info.metadata?.get('dc:title')];
  for (const candidate of candidates) {
    const title = usableTitle(candidate);
    if (title !== undefined) return title;
  }
  return undefined;
}

/**
 * Office and print drivers fill the title field with junk ("Microsoft Word - report.docx",
 * "Untitled", "Slide 1"); such a title is worse than none, since the file name then serves.
 */
function usableTitle(value: unknown): string | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== 'string') return undefined;
  const title = cleanInlineText(raw)
    .replace(/^Microsoft (?:Word|PowerPoint|Excel) - /i, '')
    .replace(/\.(?:docx?|pptx?|xlsx?|rtf|txt|odt)$/i, '')
    .trim();
  if (title === '' || /^(?:untitled|unknown|document\d*|slide \d+|title|none|\(?anonymous\)?)$/i.test(title)) return undefined;
  return title;
}

function pdfMetadata(info: PdfInfo, pages: number): Record<string, string> {
  const metadata: Record<string, string> = { pages: String(pages) };
  const dictionary = (info.info ?? {}) as Record<string, unknown>;
  const fields: Record<string, string> = { Author: 'author', Subject: 'subject', Keywords: 'keywords', Creator: 'creator', Producer: 'producer' };
  for (const [field, key] of Object.entries(fields)) {
    const value = dictionary[field];
    if (typeof value === 'string' && cleanInlineText(value) !== '') metadata[key] = cleanInlineText(value);
  }
  if (metadata.author === undefined) {
    const creator: unknown = info.metadata?.get('dc:creator');
    const author = Array.isArray(creator) ? creator.join(', ') : creator;
    if (typeof author === 'string' && cleanInlineText(author) !== '') metadata.author = cleanInlineText(author);
  }
  try {
    const dates = info.getDateNode();
    const created = dates.CreationDate ?? dates.XmpCreateDate;
    const modified = dates.ModDate ?? dates.XmpModifyDate;
    if (created instanceof Date && !Number.isNaN(created.getTime())) metadata.created = created.toISOString();
    if (modified instanceof Date && !Number.isNaN(modified.getTime())) metadata.modified = modified.toISOString();
  } catch {
    // Unparseable dates are common in PDFs from odd producers, and never worth failing over.
  }
  return metadata;
}

const pageNumberLine = /^(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|\/)\s*\d{1,4})?$|^[ivxlc]{1,6}$/i;
const bulletStart = /^(?:[•▪◦●○■□➢►\-–*]|\d{1,3}[.)]|[a-z][.)])\s/i;
const sentenceEnd = /[.!?:;。！？)"”’]$/;

/**
 * Splits one page's text (lines as pdf.js lays them out) into paragraphs. PDF has no
 * paragraphs, only positioned lines, so a paragraph ends at a blank line, before a
 * bullet, or after a line that is clearly shorter than the page's usual line and ends
 * a sentence (the last line of a paragraph), or that is a short line of its own such
 * as a heading.
 */
export function pageParagraphs(pageText: string): string[] {
  const lines = removeControlCharacters(pageText)
    .split('\n')
    .map((line) => line.replace(/\t+/g, ' ').replace(/\s+/g, ' ').trim());
  const nonEmpty = lines.filter((line) => line !== '');
  // Running page numbers at the top or bottom of a page are noise in every chunk.
  if (nonEmpty.length > 1 && pageNumberLine.test(nonEmpty[nonEmpty.length - 1] ?? '')) lines.splice(lines.lastIndexOf(nonEmpty[nonEmpty.length - 1] ?? ''), 1);
  if (nonEmpty.length > 1 && pageNumberLine.test(nonEmpty[0] ?? '')) lines.splice(lines.indexOf(nonEmpty[0] ?? ''), 1);

  const lengths = lines.filter((line) => line.length > 0).map((line) => line.length).sort((left, right) => left - right);
  const typicalLength = lengths[Math.floor(lengths.length * 0.75)] ?? 0;

  const paragraphs: string[] = [];
  let current = '';
  const flush = (): void => {
    if (current.trim() !== '') paragraphs.push(cleanInlineText(current));
    current = '';
  };
  lines.forEach((line, index) => {
    if (line === '') {
      flush();
      return;
    }
    if (bulletStart.test(line) && current !== '') flush();
    current = joinLine(current, line);
    const next = lines[index + 1] ?? '';
    const shortLine = line.length < typicalLength * 0.7;
    // A line that stops well short of the next one was ended on purpose: a heading or
    // the last line of a paragraph, not a line the layout wrapped.
    const endedEarly = (line.length < typicalLength * 0.5 || line.length < next.length * 0.6) && !/[,\-–]$/.test(line) && /^[\p{Lu}\d]/u.test(next) && !/^\p{Ll}/u.test(line);
    const endsParagraph = next === '' || bulletStart.test(next) || (shortLine && sentenceEnd.test(line)) || endedEarly;
    if (endsParagraph) flush();
  });
  flush();
  return paragraphs;
}

/** Joins a line to the paragraph so far, undoing end-of-line hyphenation ("infor-" + "mation"). */
function joinLine(paragraph: string, line: string): string {
  if (paragraph === '') return line;
  if (/\p{Ll}-$/u.test(paragraph) && /^\p{Ll}/u.test(line)) return paragraph.slice(0, -1) + line;
  return `${paragraph} ${line}`;
}
