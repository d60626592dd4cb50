import { describe, expect, it } from 'vitest';
import { describeSchedule, nextOccurrence, parseSchedule } from './connector-schedule.js';

describe('connector schedules', () => {
  it('reads intervals and cron expressions', () => {
    expect(parseSchedule('15m')).toEqual({ everySeconds: 900 });
    expect(parseSchedule('every 2h')).toEqual({ everySeconds: 7200 });
    expect(parseSchedule('0 3 * * 1-5', 'Asia/Seoul')).toEqual({ cron: '0 3 * * 1-5', timezone: 'Asia/Seoul' });
    expect(describeSchedule({ everySeconds: 900 })).toBe('every 15m');
    expect(describeSchedule({ cron: '0 * * * *' })).toBe('0 * * * *');
  });

  it('refuses what is not a schedule, saying what is', () => {
    expect(() => parseSchedule('often')).toThrow(/interval such as 15m.*cron expression/);
    expect(() => parseSchedule('61 * * * *')).toThrow(/schedule "61 \* \* \* \*"/);
    expect(() => parseSchedule('2s')).toThrow(/at least every 10s/);
  });

  it('computes the next run of a cron schedule in its time zone', () => {
    const after = new Date('2025-03-03T10:15:00Z');
    expect(nextOccurrence({ cron: '30 * * * *' }, after).toISOString()).toBe('2025-03-03T10:30:00.000Z');
    // 03:00 in Seoul (UTC+9) is 18:00 UTC the day before.
    expect(nextOccurrence({ cron: '0 3 * * *', timezone: 'Asia/Seoul' }, after).toISOString()).toBe('2025-03-03T18:00:00.000Z');
  });

  it('aligns intervals on multiples of the period, so every process agrees', () => {
    const after = new Date('2025-03-03T10:07:30Z');
    expect(nextOccurrence({ everySeconds: 300 }, after).toISOString()).toBe('2025-03-03T10:10:00.000Z');
    expect(nextOccurrence({ everySeconds: 300 }, new Date('2025-03-03T10:10:00Z')).toISOString()).toBe('2025-03-03T10:15:00.000Z');
  });
});
