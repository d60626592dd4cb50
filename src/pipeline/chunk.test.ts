import { describe, expect, it } from 'vitest';
import type { ParsedDocument, SourceDocument } from '../core/document.js';
import { chunkDocument } from './chunk.js';

const source: SourceDocument = {
  id: 'folder:docs/handbook.md',
  sourceId: 'folder:docs',
  uri: '/srv/docs/handbook.md',
  name: 'handbook.md',
  content: new Uint8Array(),
  access: ['everyone'],
  modifiedAt: '2026-01-02T03:04:05.000Z',
};

function sentences(count: number, topic: string): string {
  return Array.from({ length: count }, (_, index) => `Rule ${index + 1} about ${topic} applies to every employee in the company.`).join(' ');
}

describe('chunkDocument', () => {
  it('keeps sections apart and records the heading path, offsets and metadata', () => {
    const parsed: ParsedDocument = {
      title: 'Employee Handbook',
      blocks: [
        { kind: 'heading', level: 1, text: 'Employee Handbook' },
        { kind: 'heading', level: 2, text: 'Leave' },
        { kind: 'paragraph', text: 'Employees receive 25 days of annual leave.' },
        { kind: 'heading', level: 2, text: 'Expenses' },
        { kind: 'paragraph', text: 'Submit receipts within 30 days.' },
      ],
    };
    const { chunks, text, title } = chunkDocument(source, parsed, 'hash-1', { maxTokens: 24, overlapTokens: 4 });
    expect(title).toBe('Employee Handbook');
    expect(chunks).toHaveLength(2);
    expect(chunks[0]!.headingPath).toEqual(['Employee Handbook', 'Leave']);
    expect(chunks[0]!.text).toContain('25 days of annual leave');
    expect(chunks[1]!.headingPath).toEqual(['Employee Handbook', 'Expenses']);
    for (const chunk of chunks) {
      expect(text.slice(chunk.startOffset, chunk.endOffset)).toBe(chunk.text);
      expect(chunk).toMatchObject({ documentId: source.id, sourceId: source.sourceId, uri: source.uri, contentHash: 'hash-1', access: ['everyone'] });
      expect(chunk.modifiedAt).toBe(source.modifiedAt);
    }
    expect(chunks.map((chunk) => chunk.id)).toEqual(['folder:docs/handbook.md#0', 'folder:docs/handbook.md#1']);
  });

  it('joins short neighbouring sections, keeping the headings they share', () => {
    const parsed: ParsedDocument = {
      blocks: [
        { kind: 'heading', level: 1, text: 'Badges' },
        { kind: 'heading', level: 2, text: 'Scope' },
        { kind: 'paragraph', text: 'All staff need a badge.' },
        { kind: 'heading', level: 2, text: 'Lost badges' },
        { kind: 'paragraph', text: 'Report a lost badge to Facilities.' },
      ],
    };
    const { chunks } = chunkDocument(source, parsed, 'h', { maxTokens: 200, overlapTokens: 20 });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.headingPath).toEqual(['Badges']);
    expect(chunks[0]!.text).toBe('Badges\n\nScope\n\nAll staff need a badge.\n\nLost badges\n\nReport a lost badge to Facilities.');
  });

  it('bounds chunks in tokens and overlaps them inside a long section', () => {
    const parsed: ParsedDocument = { blocks: [{ kind: 'paragraph', text: sentences(40, 'security') }] };
    const { chunks } = chunkDocument(source, parsed, 'h', { maxTokens: 60, overlapTokens: 20 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect(chunk.tokenCount).toBeLessThanOrEqual(60);
    for (let index = 1; index < chunks.length; index++) expect(chunks[index]!.startOffset).toBeLessThan(chunks[index - 1]!.endOffset);
    const covered = chunks.map((chunk) => chunk.text).join(' ');
    expect(covered).toContain('Rule 40 about security');
  });

  it('starts a new chunk on each page and records the page', () => {
    const parsed: ParsedDocument = {
      blocks: [
        { kind: 'paragraph', text: 'Travel must be booked through the portal.', location: { page: 1 } },
        { kind: 'paragraph', text: 'Meals are reimbursed up to 60 dollars a day.', location: { page: 2 } },
      ],
    };
    const { chunks } = chunkDocument(source, parsed, 'h', { maxTokens: 300, overlapTokens: 20 });
    expect(chunks.map((chunk) => chunk.location.page)).toEqual([1, 2]);
    expect(chunks[1]!.text).toBe('Meals are reimbursed up to 60 dollars a day.');
  });

  it('keeps table rows whole and prefers paragraph boundaries', () => {
    const table = Array.from({ length: 30 }, (_, index) => `Office ${index}: Seoul | floor ${index}`).join('\n');
    const parsed: ParsedDocument = {
      blocks: [
        { kind: 'paragraph', text: sentences(4, 'offices') },
        { kind: 'table', text: table, location: { sheet: 'Offices' } },
      ],
    };
    const { chunks } = chunkDocument(source, parsed, 'h', { maxTokens: 80, overlapTokens: 10 });
    const tableChunks = chunks.filter((chunk) => chunk.location.sheet === 'Offices');
    expect(tableChunks.length).toBeGreaterThan(1);
    for (const chunk of tableChunks) for (const line of chunk.text.split('\n')) expect(line).toMatch(/^Office \d+: Seoul \| floor \d+$/);
  });

  it('cuts a run-on sentence longer than a chunk at word boundaries', () => {
    const parsed: ParsedDocument = { blocks: [{ kind: 'paragraph', text: Array.from({ length: 500 }, (_, index) => `word${index}`).join(' ') }] };
    const { chunks } = chunkDocument(source, parsed, 'h', { maxTokens: 100, overlapTokens: 0 });
    expect(chunks.length).toBeGreaterThanOrEqual(5);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBeLessThanOrEqual(100);
      expect(chunk.text).toMatch(/^word\d+( word\d+)*$/);
    }
  });

  it('falls back to the file name for the title and yields nothing for no text', () => {
    expect(chunkDocument(source, { blocks: [{ kind: 'paragraph', text: 'Hi.' }] }, 'h', { maxTokens: 50, overlapTokens: 5 }).title).toBe('handbook');
    expect(chunkDocument(source, { blocks: [] }, 'h', { maxTokens: 50, overlapTokens: 5 }).chunks).toEqual([]);
  });
});
