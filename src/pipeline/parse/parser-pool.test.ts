import { afterAll, describe, expect, it } from 'vitest';
import { makeDocx } from '../../../test/fixtures/documents.js';
import { ParserPool } from './parser-pool.js';

describe('ParserPool', () => {
  const pool = new ParserPool({ threads: 1 });
  afterAll(() => pool.close());

  it('parses on a worker thread and returns the same blocks', async () => {
    const content = await makeDocx({ title: 'Leave', blocks: [{ heading: 'Annual leave', level: 1 }, { paragraph: 'Employees receive 25 days.' }] });
    const parsed = await pool.parse({ name: 'leave.docx', content });
    expect(parsed.title).toBe('Leave');
    expect(parsed.blocks.map((block) => [block.kind, block.text])).toEqual([
      ['heading', 'Annual leave'],
      ['paragraph', 'Employees receive 25 days.'],
    ]);
  });

  it('keeps the parsers\' error codes across the thread boundary', async () => {
    await expect(pool.parse({ name: 'empty.txt', content: new Uint8Array() })).rejects.toMatchObject({ code: 'file_empty' });
    await expect(pool.parse({ name: 'broken.docx', content: new TextEncoder().encode('PK\u0003\u0004 not really a zip') })).rejects.toMatchObject({ code: 'file_corrupt' });
  });
});
