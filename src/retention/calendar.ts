import { civilFromDays, type CivilDate } from '../time/civil.js';
import { offsetAt } from '../time/zone.js';

/**
 * Calendar periods in an IANA time zone, computed cheaply: Intl is asked the zone's UTC offset
 * at the two midnights of each UTC day touched (and, on a day they differ, a binary search finds
 * the second of the change); every period key is then arithmetic on the local wall clock.
 */

export const PERIODS = ['hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;
export type Period = (typeof PERIODS)[number];

export interface Calendar {
  readonly timeZone: string;
  /** The zone's offset from UTC at `instant` (ms since the epoch), in ms. */
  offset(instant: number): number;
  /** The local date at `instant`. */
  localDate(instant: number): CivilDate;
  /**
   * A number that two instants share exactly when they fall in the same `period`.
   * Hours are keyed by the instant they began, so the hour repeated when DST ends is an
   * hour of its own; days, weeks (ISO: Monday to Sunday, across New Year), months and
   * years by the local calendar.
   */
  periodKey(period: Period, instant: number): number;
}

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;
/** 1970-01-01 was a Thursday; shifting by 3 days makes weeks start on Monday. */
const EPOCH_TO_MONDAY = 3;

/** The calendar of `timeZone`; throws a RangeError for a zone Intl does not know. */
export function calendarIn(timeZone: string): Calendar {
  const rawOffset = (instant: number) => offsetAt(instant, timeZone);
  rawOffset(0); // an unknown zone throws here, not at the first look-up
  const days = new Map<number, DayOffsets>();

  let lastDay = NaN; // rules walk the snapshots in order: most look-ups hit the day before
  let lastOffsets: DayOffsets = { before: 0, after: 0, changeAt: Infinity };

  function offset(instant: number): number {
    const day = Math.floor(instant / DAY);
    if (day !== lastDay) {
      let known = days.get(day);
      if (!known) {
        known = dayOffsets(rawOffset, day * DAY);
        days.set(day, known);
      }
      lastDay = day;
      lastOffsets = known;
    }
    return instant < lastOffsets.changeAt ? lastOffsets.before : lastOffsets.after;
  }

  function localDay(instant: number): number {
    return Math.floor((instant + offset(instant)) / DAY);
  }

  function localDate(instant: number): CivilDate {
    return civilFromDays(localDay(instant));
  }

  function periodKey(period: Period, instant: number): number {
    switch (period) {
      case 'hourly':
        return instant - modulo(instant + offset(instant), HOUR);
      case 'daily':
        return localDay(instant);
      case 'weekly':
        return Math.floor((localDay(instant) + EPOCH_TO_MONDAY) / 7);
      case 'monthly': {
        const { year, month } = localDate(instant);
        return year * 12 + month - 1;
      }
      case 'yearly':
        return localDate(instant).year;
    }
  }

  return { timeZone, offset, localDate, periodKey };
}

/** The offsets of one UTC day: `before` until `changeAt`, `after` from then on. */
interface DayOffsets {
  readonly before: number;
  readonly after: number;
  readonly changeAt: number;
}

/** Assumes at most one change of offset within a UTC day: true of every zone Intl knows, 1970–2040 (checked). */
function dayOffsets(rawOffset: (instant: number) => number, start: number): DayOffsets {
  const before = rawOffset(start);
  const after = rawOffset(start + DAY);
  if (before === after) return { before, after, changeAt: Infinity };
  let unchanged = start; // offset still `before`
  let changed = start + DAY; // offset no longer `before`
  while (changed - unchanged > SECOND) {
    const middle = unchanged + Math.floor((changed - unchanged) / 2 / SECOND) * SECOND;
    if (rawOffset(middle) === before) unchanged = middle;
    else changed = middle;
  }
  return { before, after, changeAt: changed };
}

function modulo(a: number, b: number): number {
  return ((a % b) + b) % b;
}
