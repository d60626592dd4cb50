import { describe, expect, it } from 'vitest';
import { makeDocx } from '../../../test/fixtures/documents.js';
import { parseDocx } from './parse-docx.js';

describe('parseDocx', () => {
  it('keeps headings with levels, paragraphs, lists and tables in order', async () => {
    const docx = await makeDocx({
      title: 'Employee handbook',
      author: 'People Team',
      blocks: [
        { heading: 'Leave', level: 1 },
        { paragraph: 'Employees get 25 days of paid leave.' },
        { heading: 'Requesting leave', level: 2 },
        { list: ['Open the HR portal', 'Pick the dates'], ordered: true },
        { list: ['Manager approval', 'Calendar entry'] },
        { table: [['Type', 'Days'], ['Annual', '25'], ['Sick', '10']] },
        { heading: '휴가 규정', level: 3 },
        { paragraph: '연차는 25일입니다.' },
      ],
    });
    const parsed = await parseDocx(docx);
    expect(parsed.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Leave' },
      { kind: 'paragraph', text: 'Employees get 25 days of paid leave.' },
      { kind: 'heading', level: 2, text: 'Requesting leave' },
      { kind: 'list', text: '1. Open the HR portal\n2. Pick the dates' },
      { kind: 'list', text: '- Manager approval\n- Calendar entry' },
      // The row marked as the table's header row in Word names the values of the others.
      { kind: 'table', text: 'Type: Annual; Days: 25\nType: Sick; Days: 10' },
      { kind: 'heading', level: 3, text: '휴가 규정' },
      { kind: 'paragraph', text: '연차는 25일입니다.' },
    ]);
    expect(parsed.title).toBe('Employee handbook');
    expect(parsed.metadata).toMatchObject({ author: 'People Team' });
  });

  it('takes the title from Word\'s Title style when the properties have none', async () => {
    const parsed = await parseDocx(await makeDocx({ styledTitle: 'Security policy', blocks: [{ heading: 'Scope' }, { paragraph: 'All staff.' }] }));
    expect(parsed.title).toBe('Security policy');
    expect(parsed.blocks[0]).toEqual({ kind: 'heading', level: 1, text: 'Security policy' });
  });

  it('rejects a damaged package', async () => {
    const docx = await makeDocx({ blocks: [{ paragraph: 'x' }] });
    const damaged = new Uint8Array(docx);
    damaged.fill(0, 200, 1200);
    await expect(parseDocx(damaged)).rejects.toThrow();
  });
});
