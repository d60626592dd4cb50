import { describe, expect, it } from 'vitest';
import { CrawlFrontier, type FrontierPage } from './crawl-frontier.js';

const identities = (pages: Iterable<FrontierPage>): string[] => [...pages].map((page) => page.identity);

describe('CrawlFrontier', () => {
  it('hands out each URL once, level by level, at the least depth it was found', () => {
    const frontier = new CrawlFrontier(3, 100);
    frontier.add('a', 'a', 0);
    frontier.add('deep', 'deep', 3);
    frontier.add('a', 'a', 1);
    frontier.add('b', 'b', 1);
    frontier.add('deep', 'deep', 1);
    expect(identities(frontier.level(0))).toEqual(['a']);
    frontier.add('a', 'a', 2);
    expect(identities(frontier.level(1))).toEqual(['b', 'deep']);
    expect(identities(frontier.level(2))).toEqual([]);
    expect(identities(frontier.level(3))).toEqual([]);
    expect(frontier.visited).toBe(3);
  });

  it('requests a page by the URL of the link that gave it its least depth', () => {
    const frontier = new CrawlFrontier(3, 100);
    frontier.add('http://h/a', 'http://h/a/', 1);
    frontier.add('http://h/a', 'http://h/a', 0);
    expect([...frontier.level(0)]).toEqual([{ identity: 'http://h/a', requestUrl: 'http://h/a' }]);
  });

  it('refuses URLs deeper than the depth limit', () => {
    const frontier = new CrawlFrontier(1, 100);
    expect(frontier.add('x', 'x', 2)).toBe(false);
    expect(frontier.levelCount).toBe(0);
  });

  it('stops handing out at the page budget and counts what is left', () => {
    const frontier = new CrawlFrontier(5, 2);
    ['a', 'b', 'c'].forEach((url) => frontier.add(url, url, 0));
    expect(identities(frontier.level(0))).toEqual(['a', 'b']);
    expect(frontier.budgetLeft).toBe(false);
    expect(frontier.pending).toBe(1);
  });

  it('never hands out a URL reached as a redirect target', () => {
    const frontier = new CrawlFrontier(5, 10);
    frontier.add('old', 'old', 0);
    frontier.add('new', 'new', 0);
    const level = frontier.level(0);
    expect(level.next().value).toEqual({ identity: 'old', requestUrl: 'old' });
    frontier.markReached('new');
    expect(level.next().done).toBe(true);
  });
});
