import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryDelayMs, type RetryPolicy } from './retry-policy.js';

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 4000, maxRetryAfterMs: 60_000 };

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    const now = Date.parse('2024-05-01T10:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Wed, 01 May 2024 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 01 May 2024 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('retryDelayMs', () => {
  it('doubles from the base delay up to the ceiling, with jitter in the upper half', () => {
    expect(retryDelayMs(1, undefined, policy, () => 0)).toBe(250);
    expect(retryDelayMs(1, undefined, policy, () => 1)).toBe(500);
    expect(retryDelayMs(3, undefined, policy, () => 1)).toBe(2000);
    expect(retryDelayMs(10, undefined, policy, () => 1)).toBe(4000);
  });

  it('waits out a server-given Retry-After in full, even past the backoff', () => {
    expect(retryDelayMs(1, 3000, policy, () => 0)).toBe(3000);
    expect(retryDelayMs(1, 3000, policy, () => 1)).toBe(3500);
  });
});
