import { describe, expect, it } from 'vitest';
import { makeEncryptedPdf, makePdf } from '../../../test/fixtures/documents.js';
import { pageParagraphs, parsePdf } from './parse-pdf.js';

describe('parsePdf', () => {
  it('yields paragraphs page by page with location.page, and the title from metadata', async () => {
    const pdf = await makePdf({
      title: 'Travel policy',
      author: 'Finance',
      pages: [
        ['Travel policy', '', 'Book flights through the travel portal. Economy class applies to', 'flights under six hours.', '', 'Receipts are due within 30 days.'],
        ['Per diem rates', '', 'Seoul: 80,000 won per day.', '2'],
      ],
    });
    const parsed = await parsePdf(pdf, 'travel.pdf');
    expect(parsed.blocks).toEqual([
      { kind: 'paragraph', text: 'Travel policy', location: { page: 1 } },
      { kind: 'paragraph', text: 'Book flights through the travel portal. Economy class applies to flights under six hours.', location: { page: 1 } },
      { kind: 'paragraph', text: 'Receipts are due within 30 days.', location: { page: 1 } },
      { kind: 'paragraph', text: 'Per diem rates', location: { page: 2 } },
      { kind: 'paragraph', text: 'Seoul: 80,000 won per day.', location: { page: 2 } },
    ]);
    expect(parsed.title).toBe('Travel policy');
    expect(parsed.metadata).toMatchObject({ pages: '2', author: 'Finance' });
  });

  it('reports a password-protected PDF as encrypted', async () => {
    await expect(parsePdf(makeEncryptedPdf(), 'salaries.pdf')).rejects.toMatchObject({
      code: 'file_encrypted',
      message: 'salaries.pdf is a password-protected PDF; remove the password (or upload an unprotected copy) to index it.',
    });
  });

  it('reports an unreadable PDF as corrupt', async () => {
    const pdf = await makePdf({ pages: [['Hello']] });
    const damaged = new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 0x41)]));
    await expect(parsePdf(damaged, 'broken.pdf')).rejects.toMatchObject({ code: 'file_corrupt' });
    expect(pdf.length).toBeGreaterThan(0);
  });

  it('stops between pages once aborted', async () => {
    const pdf = await makePdf({ pages: [['One'], ['Two'], ['Three']] });
    const controller = new AbortController();
    controller.abort();
    await expect(parsePdf(pdf, 'slow.pdf', controller.signal)).rejects.toMatchObject({ code: 'file_corrupt', message: expect.stringContaining('stopped at page 1') });
  });
});

describe('pageParagraphs', () => {
  it('drops running page numbers and joins hyphenated words', () => {
    expect(pageParagraphs('Page 3 of 10\nThe quarterly infor-\nmation is attached and the\nreport follows.\n- 3 -')).toEqual(['The quarterly information is attached and the report follows.']);
  });

  it('starts a new paragraph at bullets and after short headings', () => {
    expect(pageParagraphs('1 Introduction\nLarge language models are becoming a crucial building block in\ndeveloping powerful agents that use tools.\n• First point\n• Second point')).toEqual([
      '1 Introduction',
      'Large language models are becoming a crucial building block in developing powerful agents that use tools.',
      '• First point',
      '• Second point',
    ]);
  });
});
