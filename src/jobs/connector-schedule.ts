import { CronExpressionParser } from 'cron-parser';
import { DocentError } from '../core/errors.js';
import type { ConnectorSchedule } from '../pipeline/connector-schedule.js';

export type { ConnectorSchedule } from '../pipeline/connector-schedule.js';

/**
 * The first time after `after` at which the schedule fires, as the in-process runner
 * arms its timers. Intervals are aligned on multiples of the period from the epoch, as
 * BullMQ aligns `every`, so that every process computes the same instants.
 */
export function nextOccurrence(schedule: ConnectorSchedule, after: Date): Date {
  if ('everySeconds' in schedule) {
    const period = schedule.everySeconds * 1000;
    return new Date((Math.floor(after.getTime() / period) + 1) * period);
  }
  try {
    return CronExpressionParser.parse(schedule.cron, { currentDate: after }).next().toDate();
  } catch (error) {
    throw new DocentError('config_invalid', `schedule "${schedule.cron}": ${(error as Error).message}`, { cause: error });
  }
}
