import { describe, expect, it } from 'vitest';
import { cqlDate, modifiedSinceQuery } from './cql.js';

describe('cqlDate', () => {
  const instant = new Date('2024-05-01T09:45:59Z');

  it('writes the wall-clock minute in the configured zone', () => {
    expect(cqlDate(instant, 'UTC')).toBe('2024-05-01 09:45');
    expect(cqlDate(instant, 'Asia/Seoul')).toBe('2024-05-01 18:45');
    expect(cqlDate(instant, 'America/New_York')).toBe('2024-05-01 05:45');
  });

  it('starts 12 hours early when the zone is unknown, which is never late in any zone', () => {
    expect(cqlDate(instant, undefined)).toBe('2024-04-30 21:45');
    // Read in UTC-12 (the latest reading of a wall time), 21:45 is 09:45 UTC: not after the instant.
  });
});

describe('modifiedSinceQuery', () => {
  it('quotes the space key and the date', () => {
    expect(modifiedSinceQuery('~ann', 'page', '2024-05-01 09:45')).toBe('space = "~ann" and type = page and lastmodified >= "2024-05-01 09:45"');
  });
});
