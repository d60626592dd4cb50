import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { DocentError } from '../../core/errors.js';
import { makeDocx, makeEml, makeEncryptedOfficeFile, makeEncryptedPdf, makePdf, makePptx, makeXlsx } from '../../../test/fixtures/documents.js';
import { detectFormat, parseDocument } from './parse-document.js';
import { readZipEntries } from './zip-directory.js';

const text = (value: string): Uint8Array => new Uint8Array(Buffer.from(value));

async function failureOf(promise: Promise<unknown>): Promise<DocentError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DocentError) return error;
    throw error;
  }
  throw new Error('expected parseDocument to fail');
}

describe('parseDocument', () => {
  it('parses every supported format into blocks and records the format', async () => {
    const inputs: [string, Uint8Array, string][] = [
      ['a.pdf', await makePdf({ pages: [['PDF text']] }), 'PDF text'],
      ['a.docx', await makeDocx({ blocks: [{ paragraph: 'Word text' }] }), 'Word text'],
      ['a.pptx', await makePptx({ slides: [{ title: 'Slide text' }] }), 'Slide text'],
      ['a.xlsx', await makeXlsx({ sheets: [{ name: 'S', rows: [['Cell text']] }] }), 'Cell text'],
      ['a.html', text('<html><body><p>HTML text</p></body></html>'), 'HTML text'],
      ['a.md', text('# Markdown text'), 'Markdown text'],
      ['a.txt', text('Plain text'), 'Plain text'],
      ['a.csv', text('Header\nCSV text'), 'Header: CSV text'],
      ['a.eml', await makeEml({ text: 'Mail text' }), 'Mail text'],
    ];
    for (const [name, content, expected] of inputs) {
      const parsed = await parseDocument({ name, content });
      expect(parsed.blocks.map((block) => block.text)).toContain(expected);
      expect(parsed.metadata?.format).toBe(detectFormat(content, name));
    }
  });

  it('parses a .txt that is really a PDF as a PDF', async () => {
    const parsed = await parseDocument({ name: 'scan-export.txt', content: await makePdf({ pages: [['Hidden PDF']] }) });
    expect(parsed.blocks).toEqual([{ kind: 'paragraph', text: 'Hidden PDF', location: { page: 1 } }]);
  });

  it('decodes legacy-encoded text files', async () => {
    const parsed = await parseDocument({ name: '회의록.txt', content: new Uint8Array(iconv.encode('주간 회의록\n\n다음 회의는 월요일입니다.', 'euc-kr')) });
    expect(parsed.blocks.map((block) => block.text)).toEqual(['주간 회의록', '다음 회의는 월요일입니다.']);
  });

  it('decodes by the charset the source declared, which beats the one a page declares', async () => {
    // Short Polish text in ISO-8859-2, which statistics alone take for Big5.
    const polish = 'Urlop: każdy pracownik ma prawo do dwudziestu sześciu dni.';
    const page = new Uint8Array(iconv.encode(`<html><head><meta charset="windows-1252"><title>Urlop</title></head><body><p>${polish}</p></body></html>`, 'iso-8859-2'));
    const parsed = await parseDocument({ name: 'urlop.html', content: page, charset: 'ISO-8859-2' });
    expect(parsed.blocks.map((block) => block.text)).toEqual([polish]);
    expect(parsed.metadata?.encoding).toBe('iso-8859-2');
    const text = await parseDocument({ name: 'urlop.txt', content: new Uint8Array(iconv.encode(polish, 'iso-8859-2')), charset: 'iso-8859-2' });
    expect(text.blocks.map((block) => block.text)).toEqual([polish]);
    // Bytes that are valid UTF-8 are read as UTF-8 whatever the label says: mislabelled pages are common.
    const utf8 = await parseDocument({ name: 'urlop.txt', content: new Uint8Array(Buffer.from(polish)), charset: 'iso-8859-2' });
    expect(utf8.blocks.map((block) => block.text)).toEqual([polish]);
  });

  it('returns e-mail attachments for the pipeline to index separately', async () => {
    const parsed = await parseDocument({ name: 'mail.eml', content: await makeEml({ text: 'See attached', attachments: [{ filename: 'notes.md', content: '# Notes' }] }) });
    expect(parsed.attachments?.map((attachment) => attachment.name)).toEqual(['notes.md']);
    const attachment = parsed.attachments?.[0];
    expect((await parseDocument({ name: attachment?.name ?? '', content: attachment?.content ?? new Uint8Array() })).blocks).toEqual([{ kind: 'heading', level: 1, text: 'Notes' }]);
  });

  it('reports empty and whitespace-only files as file_empty', async () => {
    expect(await failureOf(parseDocument({ name: 'empty.txt', content: new Uint8Array() }))).toMatchObject({ code: 'file_empty' });
    expect(await failureOf(parseDocument({ name: 'blank.md', content: text(' \n\n\t\n') }))).toMatchObject({
      code: 'file_empty',
      message: 'blank.md contains no text to index (it holds only whitespace, markup or images).',
    });
    expect(await failureOf(parseDocument({ name: 'scan.pdf', content: await makePdf({ pages: [[]] }) }))).toMatchObject({ code: 'file_empty', message: expect.stringContaining('OCR') });
  });

  it('reports encrypted PDF and Office files as file_encrypted', async () => {
    expect(await failureOf(parseDocument({ name: 'locked.pdf', content: makeEncryptedPdf() }))).toMatchObject({ code: 'file_encrypted' });
    expect(await failureOf(parseDocument({ name: 'locked.docx', content: makeEncryptedOfficeFile() }))).toMatchObject({ code: 'file_encrypted' });
  });

  it('reports damaged files as file_corrupt with the format named', async () => {
    const docx = await makeDocx({ blocks: [{ paragraph: 'Some text that compresses into a few hundred bytes. '.repeat(20) }] });
    const damaged = new Uint8Array(docx);
    const mainPart = readZipEntries(docx).find((entry) => entry.name === 'word/document.xml');
    const dataStart = (mainPart?.localHeaderOffset ?? 0) + 30 + 'word/document.xml'.length;
    damaged.fill(0x41, dataStart + 10, dataStart + (mainPart?.compressedSize ?? 0) - 10); // the main part's data garbled, the container intact
    const failure = await failureOf(parseDocument({ name: 'damaged.docx', content: damaged }));
    expect(failure.code).toBe('file_corrupt');
    expect(failure.message).toMatch(/^damaged\.docx could not be read as a Word document \(/);
    expect(failure.message).not.toContain('\n');
  });

  it('reports binary content behind a text extension, naming the detected type when it can', async () => {
    const random = new Uint8Array(Array.from({ length: 4096 }, (_, index) => (index * 2654435761) % 251));
    expect(await failureOf(parseDocument({ name: 'notes.txt', content: random }))).toMatchObject({ code: 'binary_content' });
    const sqliteLike = new Uint8Array([...Buffer.from('SQLite format 3\u0000'), ...new Uint8Array(100)]);
    expect(await failureOf(parseDocument({ name: 'db.csv', content: sqliteLike }))).toMatchObject({ code: 'format_unsupported', message: expect.stringContaining('SQLite') });
    const mpeg = new Uint8Array([0x00, 0x00, 0x01, 0xba, 0x44, 0x00, 0x04, 0x00, 0x04, 0x01, ...new Uint8Array(200)]);
    expect(await failureOf(parseDocument({ name: 'clip.bin', content: mpeg }))).toMatchObject({ code: 'format_unsupported', message: expect.stringMatching(/^clip\.bin is video\/.+, which is not a supported document format\.$/) });
  });

  it('gives up after the time limit with file_corrupt', async () => {
    const pdf = await makePdf({ pages: Array.from({ length: 30 }, (_, index) => [`Page ${index + 1} text`]) });
    const failure = await failureOf(parseDocument({ name: 'slow.pdf', content: pdf }, { timeoutMs: 1 }));
    expect(failure).toMatchObject({ code: 'file_corrupt', message: 'slow.pdf took longer than 1 ms to parse and was abandoned; it is probably damaged or pathologically complex.' });
  });

  it('passes the row limit on to spreadsheets and CSV files', async () => {
    const csv = text(`Id\n${Array.from({ length: 50 }, (_, index) => `r${index}`).join('\n')}`);
    const parsed = await parseDocument({ name: 'rows.csv', content: csv }, { maxTableRows: 5 });
    expect(parsed.blocks.at(-1)?.text).toBe('Only the first 5 of 50 rows of this file were indexed.');
  });
});
