import { PDFParse } from 'pdf-parse';
import type { ParsedDocument } from '../../core/document.js';
import { DocentError, describeError } from '../../core/errors.js';
import { BlockBuilder } from './block-builder.js';
import { cleanInlineText, removeControlCharacters } from './clean-text.js';

/**
 * Parses a PDF with pdf-parse (pdf.js underneath): each page's text becomes paragraphs
 * carrying `location.page`, numbered section titles become headings, running page
 * numbers, headers and footers are dropped, and words hyphenated across lines are joined
 * again. The title comes from the document information
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
    const pageTexts: string[] = [];
    for (let pageNumber = 1; pageNumber <= info.total; pageNumber += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      if (signal?.aborted === true) throw new DocentError('file_corrupt', `${name}: parsing was stopped at page ${pageNumber} of ${info.total}.`);
      const text = await parser.getText({ partial: [pageNumber], lineEnforce: true, cellSeparator: '\t', pageJoiner: '' });
      pageTexts.push(text.pages.map((page) => page.text).join('\n'));
    }
    const running = runningMarginLines(pageTexts);
    pageTexts.forEach((pageText, index) => {
      builder.location = { page: index + 1 };
      const paragraphs = pageParagraphs(pageText, running);
      paragraphs.forEach((paragraph, position) => {
        const level = numberedHeadingLevel(paragraph, paragraphs[position + 1]);
        if (level === undefined) builder.addParagraph(paragraph);
        else builder.addHeading(paragraph, level);
      });
    });
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
export function pageParagraphs(pageText: string, running: ReadonlySet<string> = new Set()): string[] {
  const lines = marginLinesRemoved(
    removeControlCharacters(pageText)
      .split('\n')
      .map((line) => line.replace(/\t+/g, ' ').replace(/\s+/g, ' ').trim()),
    running,
  );
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

/** How many lines at the top and at the bottom of a page count as its margins. */
const marginLineCount = 2;

/** A line's identity across pages: page numbers and dates vary, the rest repeats. */
function marginKey(line: string): string {
  return line.replace(/\s+/g, ' ').trim().toLowerCase().replace(/\d+/g, '#');
}

function marginLines(lines: readonly string[]): string[] {
  const filled = lines.filter((line) => line.trim() !== '');
  // A short page has short margins: its body must never count as header or footer.
  const count = Math.min(marginLineCount, Math.floor(filled.length / 3));
  return count === 0 ? [] : [...filled.slice(0, count), ...filled.slice(-count)];
}

/**
 * Running headers and footers ("Company | Policy FIN-07 | Internal", "Version 4.0 · Page 3
 * of 4"): lines that stand in the top or bottom margin of most pages. They say nothing
 * about the page they are on and would otherwise repeat in every chunk.
 */
export function runningMarginLines(pageTexts: readonly string[]): Set<string> {
  const running = new Set<string>();
  if (pageTexts.length < 2) return running;
  const pagesWithLine = new Map<string, number>();
  for (const pageText of pageTexts) {
    const keys = new Set(marginLines(pageText.split('\n')).map(marginKey).filter((key) => /\p{L}/u.test(key)));
    for (const key of keys) pagesWithLine.set(key, (pagesWithLine.get(key) ?? 0) + 1);
  }
  const needed = Math.max(2, Math.ceil(pageTexts.length * 0.6));
  for (const [key, pages] of pagesWithLine) if (pages >= needed) running.add(key);
  return running;
}

function marginLinesRemoved(lines: string[], running: ReadonlySet<string>): string[] {
  if (running.size === 0) return lines;
  const margins = new Set(marginLines(lines));
  return lines.map((line) => (margins.has(line) && running.has(marginKey(line)) ? '' : line));
}

const numberedHeading = /^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+\p{Lu}[^.!?;:]{0,80}$/u;

/**
 * PDFs carry no heading structure, but policies and manuals number their sections
 * ("4. Hotels", "3.2 Approvals"). Such a short line is a heading, at the depth of its
 * numbering, unless the next paragraph continues a numbered list ("1. Install", "2. Sign in").
 */
export function numberedHeadingLevel(paragraph: string, next: string | undefined): number | undefined {
  const match = numberedHeading.exec(paragraph);
  if (!match || paragraph.split(/\s+/).length > 10 || next === undefined) return undefined;
  const numbering = match[1]!;
  const following = /^(\d{1,2}(?:\.\d{1,2}){0,3})[.)]?\s/.exec(next);
  if (following) {
    const current = numbering.split('.').map(Number);
    const upcoming = following[1]!.split('.').map(Number);
    // "1." followed by "2." at the same depth is a list; "4." followed by "4.1" is a section and its subsection.
    if (upcoming.length === current.length && upcoming[upcoming.length - 1] === current[current.length - 1]! + 1) return undefined;
  }
  return numbering.split('.').length;
}
