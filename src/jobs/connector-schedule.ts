import { CronExpressionParser } from 'cron-parser';
import { DocentError } from '../core/errors.js';

/**
 * When a connector syncs by itself: a cron expression (`0 * * * *`, in `timezone` or the
 * server's), or a fixed interval. Both runners read the same value; BullMQ's job
 * scheduler and the in-process timer compute the same next run.
 */
export type ConnectorSchedule = { cron: string; timezone?: string } | { everySeconds: number };

const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
/** Shorter intervals would have runs queue up behind each other on any real source. */
const minimumIntervalSeconds = 10;

/**
 * Reads a schedule as an admin writes it: an interval (`30s`, `15m`, `2h`, `1d`, or
 * `every 15m`) or a cron expression of five fields (six with seconds).
 */
export function parseSchedule(text: string, timezone?: string): ConnectorSchedule {
  const trimmed = text.trim();
  const interval = /^(?:every\s+)?(\d+)\s*([smhd])$/i.exec(trimmed);
  if (interval) {
    const everySeconds = Number(interval[1]) * units[interval[2]!.toLowerCase()]!;
    if (everySeconds < minimumIntervalSeconds) throw new DocentError('config_invalid', `schedule "${text}": at least every ${minimumIntervalSeconds}s`);
    return { everySeconds };
  }
  const fields = trimmed.split(/\s+/).length;
  if (fields < 5 || fields > 6) {
    throw new DocentError('config_invalid', `schedule "${text}": expected an interval such as 15m or 2h, or a cron expression such as "0 * * * *"`);
  }
  const schedule: ConnectorSchedule = timezone ? { cron: trimmed, timezone } : { cron: trimmed };
  nextOccurrence(schedule, new Date());
  return schedule;
}

/** The first time after `after` at which the schedule fires. */
export function nextOccurrence(schedule: ConnectorSchedule, after: Date, intervalStart?: Date): Date {
  if ('everySeconds' in schedule) {
    const period = schedule.everySeconds * 1000;
    // Intervals are aligned on multiples of the period (as BullMQ's `every` is), so every process computes the same instants.
    const origin = intervalStart?.getTime() ?? 0;
    return new Date(origin + (Math.floor((after.getTime() - origin) / period) + 1) * period);
  }
  try {
    const options: { currentDate: Date; tz?: string } = { currentDate: after };
    if (schedule.timezone) options.tz = schedule.timezone;
    return CronExpressionParser.parse(schedule.cron, options).next().toDate();
  } catch (error) {
    throw new DocentError('config_invalid', `schedule "${schedule.cron}": ${(error as Error).message}`, { cause: error });
  }
}

/** The schedule as an admin reads it back. */
export function describeSchedule(schedule: ConnectorSchedule): string {
  if ('cron' in schedule) return schedule.timezone ? `${schedule.cron} (${schedule.timezone})` : schedule.cron;
  const seconds = schedule.everySeconds;
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60]] as const) {
    if (seconds % size === 0) return `every ${seconds / size}${unit}`;
  }
  return `every ${seconds}s`;
}
