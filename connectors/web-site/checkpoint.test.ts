import { describe, expect, it } from 'vitest';
import { pageRecord, readCheckpoint } from './checkpoint.js';

describe('web-site checkpoint', () => {
  it('round-trips each kind of record', () => {
    const pages = { 'http://h/': 0, 'http://h/old': [1, 'http://h/new'], 'http://h/print': [2, 'http://h/a', 'etag:"p";access=00ff00ff'] };
    const previous = readCheckpoint(JSON.parse(JSON.stringify({ format: 1, startedAt: 42, pages })));
    expect(previous.startedAt).toBe(42);
    expect([...previous.pages]).toEqual([
      ['http://h/', { depth: 0 }],
      ['http://h/old', { depth: 1, canonical: 'http://h/new' }],
      ['http://h/print', { depth: 2, canonical: 'http://h/a', duplicateVersion: 'etag:"p";access=00ff00ff' }],
    ]);
    expect(Object.fromEntries([...previous.pages].map(([url, page]) => [url, pageRecord(page)]))).toEqual(pages);
  });

  it('reads a missing, foreign or damaged checkpoint as no previous run, skipping bad records', () => {
    expect(readCheckpoint(undefined)).toEqual({ pages: new Map() });
    expect(readCheckpoint({ format: 2, pages: { 'http://h/': 0 } })).toEqual({ pages: new Map() });
    expect(readCheckpoint('2024-01-01')).toEqual({ pages: new Map() });
    const previous = readCheckpoint({ format: 1, startedAt: 'yesterday', pages: { 'http://h/a': -1, 'http://h/b': [1], 'http://h/c': 'x', 'http://h/d': 3 } });
    expect(previous).toEqual({ pages: new Map([['http://h/d', { depth: 3 }]]) });
  });
});
