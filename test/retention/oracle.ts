/**
 * Calendar periods computed the slow, obvious way, independent of src/retention/calendar.ts:
 * Intl's wall clock for every instant, and date-fns's ISO weeks.
 */
import { getISOWeek } from 'date-fns/getISOWeek';
import { getISOWeekYear } from 'date-fns/getISOWeekYear';
import type { Period } from '../../src/retention/calendar.js';

export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  /** seconds east of UTC */
  readonly offset: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

export function wallClock(instant: number, timeZone: string): WallClock {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(instant).map(({ type, value }) => [type, Number(value)]));
  const { year, month, day, hour, minute, second } = part as Record<string, number>;
  const shown = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  return { year: year!, month: month!, day: day!, hour: hour!, offset: (shown - Math.floor(instant / 1000) * 1000) / 1000 };
}

/** A label two instants share exactly when they are in the same period; hours carry their offset. */
export function periodLabel(period: Period, instant: number, timeZone: string): string {
  const { year, month, day, hour, offset } = wallClock(instant, timeZone);
  const noon = new Date(year, month - 1, day, 12); // the process's zone only carries the date here
  switch (period) {
    case 'hourly':
      return `${year}-${month}-${day} ${hour}h ${offset}`;
    case 'daily':
      return `${year}-${month}-${day}`;
    case 'weekly':
      return `${getISOWeekYear(noon)}-W${getISOWeek(noon)}`;
    case 'monthly':
      return `${year}-${month}`;
    case 'yearly':
      return `${year}`;
  }
}
