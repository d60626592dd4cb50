import { describe, expect, it } from 'vitest';
import { makeEml, makeEncryptedPdf } from '../../../test/fixtures/documents.js';
import { parseEmail } from './parse-email.js';

describe('parseEmail', () => {
  it('takes the subject as title, the headers as metadata, the text body as blocks, and every attachment', async () => {
    const pdf = makeEncryptedPdf();
    const eml = await makeEml({
      from: '김민수 <minsu.kim@example.com>',
      to: '"Finance" <finance@example.com>',
      cc: 'boss@example.com',
      subject: '2025 예산 검토',
      date: new Date('2024-11-05T08:00:00Z'),
      text: 'Hello team,\n\nThe budget is attached.\n\n- Rent\n- Salaries',
      attachments: [
        { filename: 'budget.pdf', content: pdf, contentType: 'application/pdf' },
        { filename: '메모.txt', content: '첨부 메모입니다.' },
      ],
    });
    const parsed = await parseEmail(eml);
    expect(parsed.title).toBe('2025 예산 검토');
    expect(parsed.metadata).toMatchObject({
      from: '"김민수" <minsu.kim@example.com>',
      to: '"Finance" <finance@example.com>',
      cc: 'boss@example.com',
      date: '2024-11-05T08:00:00.000Z',
    });
    expect(parsed.blocks).toEqual([
      { kind: 'paragraph', text: 'Hello team,' },
      { kind: 'paragraph', text: 'The budget is attached.' },
      { kind: 'list', text: '- Rent\n- Salaries' },
    ]);
    expect(parsed.attachments?.map((attachment) => [attachment.name, attachment.mediaType])).toEqual([
      ['budget.pdf', 'application/pdf'],
      ['메모.txt', 'text/plain'],
    ]);
    expect(Buffer.from(parsed.attachments?.[1]?.content ?? []).toString()).toBe('첨부 메모입니다.');
    expect(Buffer.from(parsed.attachments?.[0]?.content ?? []).equals(Buffer.from(pdf))).toBe(true);
  });

  it('reads an HTML-only body through the HTML parser', async () => {
    const parsed = await parseEmail(await makeEml({ html: '<h2>Agenda</h2><ol><li>Budget</li><li>Hiring</li></ol><p>See you <b>Monday</b>.</p>' }));
    expect(parsed.blocks).toEqual([
      { kind: 'heading', level: 2, text: 'Agenda' },
      { kind: 'list', text: '1. Budget\n2. Hiring' },
      { kind: 'paragraph', text: 'See you Monday.' },
    ]);
  });

  it('names attachments that come without a file name, keeping attached messages as .eml', async () => {
    const original = await makeEml({ subject: 'Original', text: 'Original body' });
    const parsed = await parseEmail(await makeEml({ text: 'FYI', attachments: [{ filename: '', content: original, contentType: 'message/rfc822', contentDisposition: 'attachment' }] }));
    expect(parsed.attachments?.map((attachment) => [attachment.name, attachment.mediaType])).toEqual([['attachment-1.eml', 'message/rfc822']]);
  });

  it('reads a message forwarded inline as part of the body', async () => {
    const original = await makeEml({ subject: 'Original', text: 'Original body' });
    const parsed = await parseEmail(await makeEml({ text: 'FYI', attachments: [{ filename: 'original.eml', content: original, contentType: 'message/rfc822' }] }));
    expect(parsed.blocks.map((block) => block.text)).toContain('Original body');
    expect(parsed.attachments).toBeUndefined();
  });
});
