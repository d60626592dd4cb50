import { describe, expect, it } from 'vitest';
import { nextOccurrence } from './connector-schedule.js';

describe('next occurrence of a connector schedule', () => {
  it('follows a cron expression', () => {
    const after = new Date('2025-03-03T10:15:00');
    expect(nextOccurrence({ cron: '30 * * * *' }, after)).toEqual(new Date('2025-03-03T10:30:00'));
    expect(nextOccurrence({ cron: '0 3 * * *' }, after)).toEqual(new Date('2025-03-04T03:00:00'));
  });

  it('aligns intervals on multiples of the period, so every process agrees', () => {
    expect(nextOccurrence({ everySeconds: 300 }, new Date('2025-03-03T10:07:30Z')).toISOString()).toBe('2025-03-03T10:10:00.000Z');
    expect(nextOccurrence({ everySeconds: 300 }, new Date('2025-03-03T10:10:00Z')).toISOString()).toBe('2025-03-03T10:15:00.000Z');
  });

  it('names a broken cron expression', () => {
    expect(() => nextOccurrence({ cron: '61 * * * *' }, new Date())).toThrow(/schedule "61 \* \* \* \*"/);
  });
});
