import { describe, expect, it } from 'vitest';
import { makeEncryptedPdf, makePdf } from '../../../test/fixtures/documents.js';
import { numberedHeadingLevel, pageParagraphs, parsePdf, runningMarginLines } from './parse-pdf.js';

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

describe('running headers and footers', () => {
  const bodies = ['Flights are booked through the travel desk.', 'Hotels follow the nightly limits.', 'Meals are paid with the corporate card.'];
  const pages = bodies.map((body, index) => `Hanbit Robotics | Travel Policy | Internal\n${body}\nVersion 4.0, effective 1 February 2026. Page ${index + 1} of 3`);

  it('finds lines that repeat in the margins of most pages, whatever their numbers', () => {
    const running = runningMarginLines(pages);
    expect(running.has('hanbit robotics | travel policy | internal')).toBe(true);
    expect(running.has('version #.#, effective # february #. page # of #')).toBe(true);
    expect(runningMarginLines([pages[0]!])).toEqual(new Set());
  });

  it('removes them from each page and keeps the body', () => {
    expect(pageParagraphs(pages[1]!, runningMarginLines(pages))).toEqual(['Hotels follow the nightly limits.']);
  });
});

describe('numberedHeadingLevel', () => {
  it('treats a short numbered title as a heading at the depth of its numbering', () => {
    expect(numberedHeadingLevel('4. Hotels', 'Stay in a hotel from the preferred list.')).toBe(1);
    expect(numberedHeadingLevel('3.2 Approvals', 'Your manager approves.')).toBe(2);
    expect(numberedHeadingLevel('4. Hotels', '4.1 Limits by city')).toBe(1);
  });

  it('leaves numbered list items, sentences and trailing lines alone', () => {
    expect(numberedHeadingLevel('1. Install the client', '2. Sign in with your badge')).toBeUndefined();
    expect(numberedHeadingLevel('1. Install the client and sign in.', 'Next paragraph.')).toBeUndefined();
    expect(numberedHeadingLevel('4. Hotels', undefined)).toBeUndefined();
  });
});

describe('parsePdf structure', () => {
  it('drops running headers and makes numbered section titles headings', async () => {
    const header = 'Hanbit Robotics | Expense Policy | Internal';
    const pdf = await makePdf({
      pages: [
        [header, '1. Scope', '', 'This policy applies to every employee who travels for work.', '', 'Page 1 of 2'],
        [header, '2. Hotels', '', 'Stay in a hotel from the preferred list when one is available.', '', 'Page 2 of 2'],
      ],
    });
    const parsed = await parsePdf(pdf, 'policy.pdf');
    expect(parsed.blocks.map((block) => [block.kind, block.text, block.location?.page])).toEqual([
      ['heading', '1. Scope', 1],
      ['paragraph', 'This policy applies to every employee who travels for work.', 1],
      ['heading', '2. Hotels', 2],
      ['paragraph', 'Stay in a hotel from the preferred list when one is available.', 2],
    ]);
  });
});
