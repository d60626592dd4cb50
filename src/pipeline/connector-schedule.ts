import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { DocentError, describeError } from '../core/errors.js';

/**
 * When a connector runs by itself: a cron expression (five fields, or six with seconds,
 * in the server's time zone) or a fixed interval. Stored as given by the admin.
 */
export type ConnectorSchedule = { cron: string } | { everySeconds: number };

export const connectorScheduleSchema: z.ZodType<ConnectorSchedule> = z.union([
  z.object({ cron: z.string().min(1).refine(isValidCron, { message: 'not a valid cron expression (e.g. "*/15 * * * *")' }) }).strict(),
  z.object({ everySeconds: z.number().int().min(1) }).strict(),
]);

function isValidCron(expression: string): boolean {
  try {
    CronExpressionParser.parse(expression);
    return true;
  } catch {
    return false;
  }
}

/** Checks a cron expression, with the parser's reason when it is wrong. */
export function cronSchedule(expression: string): ConnectorSchedule {
  try {
    CronExpressionParser.parse(expression);
  } catch (error) {
    throw new DocentError('invalid_request', `"${expression}" is not a valid cron expression (${describeError(error)}); e.g. "*/15 * * * *" for every 15 minutes`);
  }
  return { cron: expression };
}

const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90s`, `15m`, `2h`, `1d` (or a number of seconds) as an interval schedule. */
export function intervalSchedule(text: string): ConnectorSchedule {
  const match = /^\s*(\d+)\s*([smhd]?)\s*$/i.exec(text);
  const seconds = match ? Number(match[1]) * units[(match[2] || 's').toLowerCase()]! : 0;
  if (!match || seconds < 1) throw new DocentError('invalid_request', `"${text}" is not an interval: give a number with s, m, h or d (e.g. 15m)`);
  return { everySeconds: seconds };
}

export function describeSchedule(schedule: ConnectorSchedule | undefined): string {
  if (!schedule) return 'manual';
  if ('cron' in schedule) return `cron ${schedule.cron}`;
  const seconds = schedule.everySeconds;
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60]] as const) if (seconds % size === 0) return `every ${seconds / size}${unit}`;
  return `every ${seconds}s`;
}

/** What the next-run estimate needs to know about a connector. */
export interface ScheduledConnector {
  name: string;
  schedule?: ConnectorSchedule | undefined;
  paused: boolean;
  /** When its latest run started, if it ever ran. */
  lastRunStartedAt?: string | undefined;
}

/**
 * Tells when a connector runs next. The job layer, which owns the real schedules (BullMQ
 * job schedulers), supplies its own; `scheduleNextRun` is the estimate from the schedule alone.
 */
export interface NextRunSource {
  nextRun(connector: ScheduledConnector, now: Date): Promise<Date | undefined>;
}

/** The next run as the schedule alone implies it: cron's next time, or the last start plus the interval (now, if that has passed). */
export function scheduleNextRun(connector: ScheduledConnector, now: Date): Date | undefined {
  const schedule = connector.schedule;
  if (!schedule || connector.paused) return undefined;
  if ('cron' in schedule) return CronExpressionParser.parse(schedule.cron, { currentDate: now }).next().toDate();
  const last = connector.lastRunStartedAt ? Date.parse(connector.lastRunStartedAt) : Number.NaN;
  if (Number.isNaN(last)) return now;
  return new Date(Math.max(now.getTime(), last + schedule.everySeconds * 1000));
}

export const estimatedNextRuns: NextRunSource = { nextRun: async (connector, now) => scheduleNextRun(connector, now) };
