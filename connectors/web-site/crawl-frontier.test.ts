import { describe, expect, it } from 'vitest';
import { CrawlFrontier } from './crawl-frontier.js';

describe('CrawlFrontier', () => {
  it('hands out each URL once, level by level, at the least depth it was found', () => {
    const frontier = new CrawlFrontier(3, 100);
    frontier.add('a', 0);
    frontier.add('deep', 3);
    frontier.add('a', 1);
    frontier.add('b', 1);
    frontier.add('deep', 1);
    expect([...frontier.level(0)]).toEqual(['a']);
    frontier.add('a', 2);
    expect([...frontier.level(1)]).toEqual(['b', 'deep']);
    expect([...frontier.level(2)]).toEqual([]);
    expect([...frontier.level(3)]).toEqual([]);
    expect(frontier.visited).toBe(3);
  });

  it('refuses URLs deeper than the depth limit', () => {
    const frontier = new CrawlFrontier(1, 100);
    expect(frontier.add('x', 2)).toBe(false);
    expect(frontier.levelCount).toBe(0);
  });

  it('stops handing out at the page budget and counts what is left', () => {
    const frontier = new CrawlFrontier(5, 2);
    ['a', 'b', 'c'].forEach((url) => frontier.add(url, 0));
    expect([...frontier.level(0)]).toEqual(['a', 'b']);
    expect(frontier.budgetLeft).toBe(false);
    expect(frontier.pending).toBe(1);
  });

  it('never hands out a URL reached as a redirect target', () => {
    const frontier = new CrawlFrontier(5, 10);
    frontier.add('old', 0);
    frontier.add('new', 0);
    const level = frontier.level(0);
    expect(level.next().value).toBe('old');
    frontier.markReached('new');
    expect(level.next().done).toBe(true);
  });
});
