import { describe, expect, it } from 'vitest';
import { retryAfterMilliseconds } from './retry-after.js';

describe('retryAfterMilliseconds', () => {
  const now = Date.parse('2026-12-06T10:00:00Z');

  it('reads delay-seconds and HTTP-dates', () => {
    expect(retryAfterMilliseconds('120', now)).toBe(120_000);
    expect(retryAfterMilliseconds(' 0 ', now)).toBe(0);
    expect(retryAfterMilliseconds('Sun, 06 Dec 2026 10:00:30 GMT', now)).toBe(30_000);
  });

  it('treats a date in the past as no wait, and anything unreadable as no header', () => {
    expect(retryAfterMilliseconds('Sun, 06 Dec 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMilliseconds(null, now)).toBeUndefined();
    expect(retryAfterMilliseconds('', now)).toBeUndefined();
    expect(retryAfterMilliseconds('-5', now)).toBeUndefined();
    expect(retryAfterMilliseconds('1.5', now)).toBeUndefined();
    expect(retryAfterMilliseconds('soon', now)).toBeUndefined();
  });
});
