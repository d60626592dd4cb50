import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { DocentError } from '../../core/errors.js';
import { makeCompoundFile, makeEncryptedOfficeFile, makeZip } from '../../../test/fixtures/documents.js';
import { detectFormat, fileExtension, inspectContent, looksBinary } from './detect-format.js';

const text = (value: string): Uint8Array => new Uint8Array(Buffer.from(value));

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof DocentError) return error.code;
    throw error;
  }
  return undefined;
}

function errorOf(action: () => unknown): DocentError {
  try {
    action();
  } catch (error) {
    if (error instanceof DocentError) return error;
    throw error;
  }
  throw new Error('expected a DocentError');
}

describe('detectFormat', () => {
  it('recognises PDF and the Office formats by content, whatever the name says', async () => {
    const pdf = text('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
    expect(detectFormat(pdf, 'report.pdf')).toBe('pdf');
    expect(detectFormat(pdf, 'actually-a-pdf.txt')).toBe('pdf');
    expect(detectFormat(text('junk before the header\n%PDF-1.4\n1 0 obj\nendobj\nstartxref\n9\n%%EOF\n'), 'late-header.pdf')).toBe('pdf');
    expect(detectFormat(text('# PDF internals\n\nEvery file starts with %PDF-1.7 and a binary comment.'), 'notes.md')).toBe('markdown');
    // Only the parts that identify each kind: detection reads the ZIP directory, not the XML.
    expect(detectFormat(await makeZip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' }), 'upload.bin')).toBe('docx');
    expect(detectFormat(await makeZip({ '[Content_Types].xml': '<Types/>', 'ppt/presentation.xml': '<p:presentation/>' }), 'deck')).toBe('pptx');
    expect(detectFormat(await makeZip({ '[Content_Types].xml': '<Types/>', 'xl/workbook.xml': '<workbook/>' }), 'book.docx')).toBe('xlsx');
  });

  it('finds the Office kind from the content types when the main part has an unusual path', async () => {
    const zip = await makeZip({
      '[Content_Types].xml':
        '<Types><Override PartName="/word/main.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      'word/main.xml': '<w:document/>',
    });
    expect(detectFormat(zip, 'odd.docx')).toBe('docx');
  });

  it('recognises e-mail by its headers and HTML by its markup', async () => {
    expect(detectFormat(text('From: Kim <kim@example.com>\r\nTo: lee@example.com\r\nSubject: Hi\r\nMIME-Version: 1.0\r\n\r\nHello'), 'message.txt')).toBe('email');
    expect(detectFormat(text('Received: from mx\r\nFrom: a@example.com\r\nSubject: x\r\n\r\nbody'), 'noext')).toBe('email');
    expect(detectFormat(text('<!DOCTYPE html><html><body><p>x</p></body></html>'), 'page.txt')).toBe('html');
    expect(detectFormat(text('<!-- saved --> <html lang="ko"><p>x</p></html>'), 'page')).toBe('html');
    expect(detectFormat(text('<p>fragment</p>'), 'fragment.htm')).toBe('html');
  });

  it('keeps Markdown that opens with an HTML block as Markdown', () => {
    expect(detectFormat(text('<div align="center">\n\n# Project\n\n</div>\n\nText'), 'README.md')).toBe('markdown');
    expect(detectFormat(text('<div align="center"><h1>Project</h1></div>'), 'saved-page')).toBe('html');
  });

  it('does not take a memo with a Subject line for an e-mail', () => {
    expect(detectFormat(text('Subject: team lunch\n\nWe meet at noon.'), 'memo.txt')).toBe('text');
  });

  it('lets the extension choose between Markdown, CSV and plain text', () => {
    expect(detectFormat(text('# Title\n\nBody'), 'README.md')).toBe('markdown');
    expect(detectFormat(text('a,b\n1,2'), 'data.csv')).toBe('csv');
    expect(detectFormat(text('a\tb\n1\t2'), 'data.tsv')).toBe('csv');
    expect(detectFormat(text('# Not markdown here'), 'notes.txt')).toBe('text');
    expect(detectFormat(text('no extension at all'), 'LICENSE')).toBe('text');
    expect(detectFormat(new Uint8Array(iconv.encode('이름,부서\n홍길동,인사팀', 'euc-kr')), 'people.csv')).toBe('csv');
  });

  it('hands back the decoded text for text formats', () => {
    const detection = inspectContent(new Uint8Array(iconv.encode('회의록\n\n내용', 'euc-kr')), 'minutes.txt');
    expect(detection).toEqual({ format: 'text', decoded: { text: '회의록\n\n내용', encoding: 'cp949' } });
  });

  it('reports an empty file', () => {
    expect(errorOf(() => detectFormat(new Uint8Array(), 'empty.txt'))).toMatchObject({ code: 'file_empty', message: 'empty.txt is empty (0 bytes); there is nothing to index.' });
  });

  it('reports password-protected Office files as encrypted', () => {
    expect(errorOf(() => detectFormat(makeEncryptedOfficeFile(), 'salaries.xlsx'))).toMatchObject({
      code: 'file_encrypted',
      message: expect.stringContaining('password-protected Office document'),
    });
  });

  it('names unsupported formats in its message', async () => {
    expect(errorOf(() => detectFormat(makeCompoundFile({ Workbook: new Uint8Array(8) }), 'old.xls'))).toMatchObject({
      code: 'format_unsupported',
      message: 'old.xls is an Excel 97-2003 workbook (.xls); save it as .xlsx to index it.',
    });
    expect(errorOf(() => detectFormat(makeCompoundFile({ __substg1_0_0037001F: new Uint8Array(8), '__properties_version1.0': new Uint8Array(8) }), 'mail.msg')).message).toContain('Outlook message');
    const archive = await makeZip({ 'a.txt': 'x' });
    expect(errorOf(() => detectFormat(archive, 'files.zip')).message).toContain('ZIP archive');
    expect(errorOf(() => detectFormat(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 'logo.png')).message).toBe(
      'logo.png is a PNG image, which is not a supported document format.',
    );
    expect(errorOf(() => detectFormat(text('{"a": 1}'), 'data.json')).message).toContain('JSON data');
    expect(errorOf(() => detectFormat(text('<?xml version="1.0"?><rss version="2.0"></rss>'), 'feed.xml')).message).toContain('RSS feed');
    expect(codeOf(() => detectFormat(text('{\\rtf1\\ansi hello}'), 'letter.rtf'))).toBe('format_unsupported');
  });

  it('reports binary content behind a text extension', () => {
    const binary = new Uint8Array(Array.from({ length: 2048 }, (_, index) => (index * 7919) % 256));
    expect(errorOf(() => detectFormat(binary, 'notes.txt'))).toMatchObject({ code: 'binary_content', message: 'notes.txt has a .txt extension but contains binary data, not text.' });
    expect(codeOf(() => detectFormat(binary, 'blob.bin'))).toBe('format_unsupported');
    expect(codeOf(() => detectFormat(binary, 'report.pdf'))).toBe('file_corrupt');
  });

  it('reports a plain ZIP named like an Office file as corrupt, not as an archive', async () => {
    const archive = await makeZip({ 'notes.txt': 'x' });
    expect(errorOf(() => detectFormat(archive, 'report.docx'))).toMatchObject({ code: 'file_corrupt', message: expect.stringContaining('without the parts of a Word file') });
  });

  it('reports a truncated Office file as corrupt', async () => {
    const docx = await makeZip({ '[Content_Types].xml': '<Types/>'.repeat(50), 'word/document.xml': '<w:document/>'.repeat(50) });
    expect(errorOf(() => detectFormat(docx.subarray(0, docx.length - 100), 'cut.docx'))).toMatchObject({ code: 'file_corrupt', message: expect.stringContaining('truncated') });
  });

  it('does not mistake text that starts like a signature for a binary format', () => {
    expect(detectFormat(text('OTTO meeting notes'), 'otto.txt')).toBe('text');
    expect(detectFormat(text('ID3 tags explained'), 'id3.md')).toBe('markdown');
    expect(detectFormat(text('BMW quarterly numbers'), 'bmw.txt')).toBe('text');
  });
});

describe('looksBinary', () => {
  it('accepts text with tabs, form feeds and ANSI colours, rejects NUL bytes', () => {
    const log = text('\x1b[31mERROR\x1b[0m\tdisk full\f\n');
    expect(looksBinary(log, { text: '\x1b[31mERROR\x1b[0m\tdisk full\f\n', encoding: 'utf-8' })).toBe(false);
    expect(looksBinary(new Uint8Array([0x61, 0x00, 0x62]), { text: 'a\u0000b', encoding: 'utf-8' })).toBe(true);
  });
});

describe('fileExtension', () => {
  it('returns the lower-case extension of the last path segment', () => {
    expect(fileExtension('dir.v2/Report.DOCX')).toBe('docx');
    expect(fileExtension('.gitignore')).toBe('');
    expect(fileExtension('Makefile')).toBe('');
  });
});
