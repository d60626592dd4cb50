import { describe, expect, it } from 'vitest';
import { ExpiringMap } from './expiring-map.js';

describe('ExpiringMap', () => {
  it('forgets entries after their time and the oldest beyond the cap', () => {
    let now = 0;
    const map = new ExpiringMap<string, number>({ maximumEntries: 2, expireAfterMs: 100, now: () => now });
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
