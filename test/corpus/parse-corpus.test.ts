/**
 * The parsers against third-party files as they exist in the wild (../shared/corpora:
 * Microsoft MarkItDown's test files and py-pdf's sample PDFs). Every file must either
 * parse into non-empty blocks or be refused with a DocentError carrying a clear code and
 * a one-line message; no other exception, no hang. Known files are spot-checked for
 * content. The suite skips itself where the corpora are not present.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Block, ParsedDocument } from '../../src/core/document.js';
import { DocentError, type ErrorCode } from '../../src/core/errors.js';
import { parseDocument } from '../../src/pipeline/parse/parse-document.js';

const corporaDirectory = process.env.DOCENT_CORPORA_DIR ?? fileURLToPath(new URL('../../../shared/corpora', import.meta.url));
const available = existsSync(corporaDirectory);

// The codes a parser may refuse a file with; anything else is a bug.
const refusalCodes: ReadonlySet<ErrorCode> = new Set(['file_empty', 'file_encrypted', 'file_corrupt', 'format_unsupported', 'binary_content']);

type Outcome = { kind: 'parsed'; document: ParsedDocument } | { kind: 'refused'; error: DocentError };

function listFiles(directory: string): string[] {
  return readdirSync(directory)
    .sort()
    .flatMap((entry) => {
      const path = join(directory, entry);
      return statSync(path).isDirectory() ? listFiles(path) : [path];
    });
}

const files = available ? listFiles(corporaDirectory) : [];
const outcomes = new Map<string, Outcome>();

/** Parses a corpus file once; the checks below share the result. */
async function outcomeOf(relativePath: string): Promise<Outcome> {
  const cached = outcomes.get(relativePath);
  if (cached !== undefined) return cached;
  const path = join(corporaDirectory, relativePath);
  const name = relativePath.split('/').pop() ?? relativePath;
  let outcome: Outcome;
  try {
    outcome = { kind: 'parsed', document: await parseDocument({ name, content: new Uint8Array(readFileSync(path)) }) };
  } catch (error) {
    if (!(error instanceof DocentError)) throw new Error(`${relativePath} threw ${String(error)} instead of a DocentError`, { cause: error });
    outcome = { kind: 'refused', error };
  }
  outcomes.set(relativePath, outcome);
  return outcome;
}

async function parsed(relativePath: string): Promise<ParsedDocument> {
  const outcome = await outcomeOf(relativePath);
  if (outcome.kind !== 'parsed') throw new Error(`${relativePath} was refused: ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.document;
}

async function refusal(relativePath: string): Promise<DocentError> {
  const outcome = await outcomeOf(relativePath);
  if (outcome.kind !== 'refused') throw new Error(`${relativePath} parsed, but a refusal was expected`);
  return outcome.error;
}

const allText = (document: ParsedDocument): string => document.blocks.map((block) => block.text).join('\n');
const blockWith = (document: ParsedDocument, fragment: string): Block | undefined => document.blocks.find((block) => block.text.includes(fragment));

describe.skipIf(!available)(`real-world corpus (${corporaDirectory})`, () => {
  afterAll(() => {
    const parsedCount = [...outcomes.values()].filter((outcome) => outcome.kind === 'parsed').length;
    const refusals = new Map<string, number>();
    for (const outcome of outcomes.values()) {
      if (outcome.kind === 'refused') refusals.set(outcome.error.code, (refusals.get(outcome.error.code) ?? 0) + 1);
    }
    const summary = [...refusals].map(([code, count]) => `${code} ${count}`).join(', ');
    console.log(`corpus: ${outcomes.size} files, ${parsedCount} parsed, ${outcomes.size - parsedCount} refused (${summary || 'none'})`);
  });

  describe('every file parses into blocks or is refused with a clear DocentError', () => {
    it.each(files.map((path) => relative(corporaDirectory, path)))('%s', async (relativePath) => {
      const started = performance.now();
      const outcome = await outcomeOf(relativePath);
      // Well inside the parser's own 60 s limit: no file here is pathological.
      expect(performance.now() - started).toBeLessThan(60_000);
      if (outcome.kind === 'parsed') {
        expect(outcome.document.blocks.length).toBeGreaterThan(0);
        for (const block of outcome.document.blocks) {
          expect(block.text.trim()).not.toBe('');
          expect(block.text).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFD]/);
          if (block.kind === 'heading') expect(block.level).toBeGreaterThanOrEqual(1);
        }
      } else {
        expect(refusalCodes.has(outcome.error.code)).toBe(true);
        expect(outcome.error.message).toMatch(/\S/);
        expect(outcome.error.message).not.toContain('\n');
      }
    });
  });

  describe('MarkItDown test files', () => {
    it('test.docx: title, headings with levels, the table and its marker text', async () => {
      const document = await parsed('markitdown-test-files/test.docx');
      expect(document.title).toBe('AutoGen: Enabling Next-Gen LLM Applications via Multi-Agent Conversation');
      expect(document.blocks).toContainEqual({ kind: 'heading', level: 1, text: 'Abstract' });
      expect(document.blocks).toContainEqual({ kind: 'heading', level: 2, text: 'd666f1f7-46cb-42bd-9a39-9a39cf2a509f' });
      expect(blockWith(document, '49e168b7-d2ae-407f-a055-2167576f39a1')?.kind).toBe('table');
      expect(document.metadata?.author).toBe('Adam Fourney');
    });

    it('test.pptx: slide titles as headings, a table, a chart and nested shapes, each on its slide', async () => {
      const document = await parsed('markitdown-test-files/test.pptx');
      expect(document.metadata?.slides).toBe('6');
      expect(document.blocks[0]).toEqual({ kind: 'heading', level: 1, text: document.title, location: { slide: 1 } });
      expect(blockWith(document, '2cdda5c8-e50e-4db4-b5f0-9722a649f455')).toMatchObject({ kind: 'heading', location: { slide: 2 } });
      expect(blockWith(document, '1b92870d-e3b5-4e65-8153-919f4ff45592')).toMatchObject({ kind: 'table', location: { slide: 3 } });
      expect(blockWith(document, 'a3f6004b-6f4f-4ea8-bee3-3741f4dc385f')).toMatchObject({ location: { slide: 4 } });
      expect(blockWith(document, 'Sub comment 2')).toMatchObject({ kind: 'list', location: { slide: 5 } });
      expect(new Set(document.blocks.map((block) => block.location?.slide))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    });

    it('test.xlsx: one section per sheet, named by the sheet, rows as Header: value', async () => {
      const document = await parsed('markitdown-test-files/test.xlsx');
      const headings = document.blocks.filter((block) => block.kind === 'heading');
      expect(headings.map((block) => [block.text, block.location?.sheet])).toEqual([
        ['Sheet1', 'Sheet1'],
        ['09060124-b5e7-4717-9d07-3c046eb', '09060124-b5e7-4717-9d07-3c046eb'],
      ]);
      expect(blockWith(document, 'Alpha: 89; Beta: 82; Gamma: 100; Delta: 12')?.location).toEqual({ sheet: 'Sheet1' });
      expect(blockWith(document, 'ColD: affc7dad-52dc-4b98-9b5d-51e65d8a8ad0')?.location).toEqual({ sheet: '09060124-b5e7-4717-9d07-3c046eb' });
    });

    it('test_mskanji.csv: decoded as Shift-JIS', async () => {
      const document = await parsed('markitdown-test-files/test_mskanji.csv');
      expect(document.metadata?.encoding).toBe('shift_jis');
      expect(allText(document)).toBe('名前: 佐藤太郎; 年齢: 30; 住所: 東京\n名前: 三木英子; 年齢: 25; 住所: 大阪\n名前: 髙橋淳; 年齢: 35; 住所: 名古屋');
    });

    it('test.pdf: text with page locations', async () => {
      const document = await parsed('markitdown-test-files/test.pdf');
      expect(blockWith(document, 'Large language models (LLMs) are becoming a crucial building block')?.location).toEqual({ page: 1 });
      expect(allText(document)).toContain('AutoGen');
    });

    it('test_blog.html: the article without the site furniture', async () => {
      const document = await parsed('markitdown-test-files/test_blog.html');
      expect(document.title).toContain('Does Model and Inference Parameter Matter in LLM Applications?');
      expect(document.blocks).toContainEqual({ kind: 'heading', level: 2, text: 'Experiment Setup' });
      expect(allText(document)).toContain('an inference budget');
      expect(allText(document)).not.toMatch(/Edit this page|Skip to main content|Copyright ©/);
    });

    it('test_wikipedia.html: the article text and section headings, not the navigation', async () => {
      const document = await parsed('markitdown-test-files/test_wikipedia.html');
      expect(allText(document)).toContain('Microsoft Corporation is an American multinational corporation and technology company');
      expect(document.blocks).toContainEqual({ kind: 'heading', level: 2, text: 'History' });
      expect(allText(document)).not.toMatch(/Jump to content|Create account|Privacy policy/);
    });

    it('refuses what it cannot index, naming the type', async () => {
      expect(await refusal('markitdown-test-files/test.xls')).toMatchObject({ code: 'format_unsupported', message: expect.stringContaining('Excel 97-2003') });
      expect(await refusal('markitdown-test-files/test_outlook_msg.msg')).toMatchObject({ code: 'format_unsupported', message: expect.stringContaining('Outlook message') });
      expect(await refusal('markitdown-test-files/test_files.zip')).toMatchObject({ code: 'format_unsupported', message: expect.stringContaining('ZIP archive') });
      expect(await refusal('markitdown-test-files/test.jpg')).toMatchObject({ code: 'format_unsupported', message: expect.stringContaining('JPEG image') });
      expect(await refusal('markitdown-test-files/test.mp3')).toMatchObject({ code: 'format_unsupported', message: expect.stringContaining('MP3') });
      expect(await refusal('markitdown-test-files/test.epub')).toMatchObject({ code: 'format_unsupported', message: expect.stringContaining('EPUB') });
      expect(await refusal('markitdown-test-files/random.bin')).toMatchObject({ code: 'format_unsupported' });
      expect(await refusal('markitdown-test-files/expected_outputs/MEDRPT-2024-PAT-3847_medical_report_scan.md')).toMatchObject({ code: 'file_empty' });
      expect(await refusal('markitdown-test-files/MEDRPT-2024-PAT-3847_medical_report_scan.pdf')).toMatchObject({ code: 'file_empty', message: expect.stringContaining('scanned') });
    });
  });

  describe('py-pdf sample files, checked against files.json', () => {
    interface SampleFile {
      path: string;
      encrypted: boolean;
      pages?: number;
    }
    const metadataPath = join(corporaDirectory, 'py-pdf-sample-files', 'files.json');
    const samples: SampleFile[] = available && existsSync(metadataPath) ? (JSON.parse(readFileSync(metadataPath, 'utf8')) as { data: SampleFile[] }).data : [];
    const present = samples.filter((sample) => existsSync(join(corporaDirectory, 'py-pdf-sample-files', sample.path)));

    it.each(present.map((sample) => [sample.path, sample] as const))('%s', async (path, sample) => {
      const outcome = await outcomeOf(`py-pdf-sample-files/${path}`);
      if (sample.encrypted) {
        expect(outcome.kind === 'refused' && outcome.error.code).toBe('file_encrypted');
        return;
      }
      if (outcome.kind === 'refused') {
        // Image-only PDFs have no text layer; pdf.js cannot open a few damaged ones.
        expect(['file_empty', 'file_corrupt']).toContain(outcome.error.code);
        return;
      }
      const pages = outcome.document.blocks.map((block) => block.location?.page ?? 0);
      expect(Math.min(...pages)).toBeGreaterThanOrEqual(1);
      if (sample.pages !== undefined) {
        expect(Math.max(...pages)).toBeLessThanOrEqual(sample.pages);
        expect(outcome.document.metadata?.pages).toBe(String(sample.pages));
      }
    });

    it('reports the password-protected LibreOffice PDF as encrypted', async () => {
      expect(await refusal('py-pdf-sample-files/005-libreoffice-writer-password/libreoffice-writer-password.pdf')).toMatchObject({
        code: 'file_encrypted',
        message: expect.stringContaining('password-protected PDF'),
      });
    });

    it('reads all four pages of the pdflatex sample and the XMP title', async () => {
      const fourPages = await parsed('py-pdf-sample-files/004-pdflatex-4-pages/pdflatex-4-pages.pdf');
      expect(new Set(fourPages.blocks.map((block) => block.location?.page))).toEqual(new Set([1, 2, 3, 4]));
      const xmp = await parsed('py-pdf-sample-files/020-xmp/output_with_metadata_pymupdf.pdf');
      expect(xmp.title).toBe('Sample PDF with XMP Metadata');
      expect(allText(xmp)).toBe('Hello, World!');
    });

    it('reads the Arabic sample text', async () => {
      expect(allText(await parsed('py-pdf-sample-files/015-arabic/habibi.pdf'))).toMatch(/[\u0600-\u06FF]/);
    });
  });
});
