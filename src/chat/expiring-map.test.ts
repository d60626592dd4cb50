import { describe, expect, it } from 'vitest';
import { ExpiringMap } from './expiring-map.js';

describe('ExpiringMap', () => {
  it('claims a key once until it expires', () => {
    let now = 0;
    const map = new ExpiringMap<true>({ expireAfterMs: 1000, maxEntries: 10, now: () => now });
    expect(map.claim('Ev1', true)).toBe(true);
    expect(map.claim('Ev1', true)).toBe(false);
    now = 999;
    expect(map.claim('Ev1', true)).toBe(false);
    now = 1000;
    expect(map.claim('Ev1', true)).toBe(true);
  });

  it('drops the oldest entries beyond its bound', () => {
    const map = new ExpiringMap<number>({ expireAfterMs: 60_000, maxEntries: 2 });
    map.set('a', 1);
    map.set('b', 2);
    map.set('c', 3);
    expect(map.get('a')).toBeUndefined();
    expect([map.get('b'), map.get('c')]).toEqual([2, 3]);
    expect(map.size).toBe(2);
  });

  it('forgets expired entries when asked for its size', () => {
    let now = 0;
    const map = new ExpiringMap<number>({ expireAfterMs: 10, maxEntries: 100, now: () => now });
    map.set('a', 1);
    now = 5;
    map.set('b', 2);
    now = 12;
    expect(map.size).toBe(1);
    expect(map.get('b')).toBe(2);
  });

  it('forgets entries after their time and the oldest beyond the cap', () => {
    let now = 0;
    const map = new ExpiringMap<number>({ maxEntries: 2, expireAfterMs: 100, now: () => now });
    map.set('a', 1);
    map.set('b', 2);
    map.set('c', 3);
    expect([map.get('a'), map.get('b'), map.get('c')]).toEqual([undefined, 2, 3]);
    now = 99;
    expect(map.has('b')).toBe(true);
    now = 100;
    expect(map.has('b')).toBe(false);
    map.set('d', 4);
    expect(map.size).toBe(1);
  });
});
