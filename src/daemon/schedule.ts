/**
 * When scheduled work is due (pure): cron expressions of 5 or 6 fields in an IANA zone,
 * DST-safe. On a spring-forward night a time that does not exist runs once, at the first
 * instant after the gap (cron-parser's choice); on a fall-back night a wall-clock time that
 * happens twice runs once, at its first occurrence.
 */
import { CronExpressionParser } from 'cron-parser';
import { isoOffset, isoWallTime } from '../time/iso.js';
import { offsetAt, wallTimeAt } from '../time/zone.js';

/** The wall-clock reading of an instant in a zone, to the second: `2026-10-25 03:30:00`. */
export function wallClock(t: Date, timeZone: string): string {
  return isoWallTime(wallTimeAt(t.getTime(), timeZone));
}

/**
 * An instant as the admin's clock in the zone shows it, to the second, with the zone's offset
 * (which tells the two readings of a fall-back hour apart): `2026-10-25 03:30:00+03:00`.
 */
export function localTime(t: Date, timeZone: string): string {
  return `${wallClock(t, timeZone)}${isoOffset(offsetAt(t.getTime(), timeZone))}`;
}

/** The first fire strictly after `after`, skipping a repeat of the wall-clock time of `after`'s fire. */
export function nextFire(expr: string, timeZone: string, after: Date): Date {
  const it = CronExpressionParser.parse(expr, { tz: timeZone, currentDate: after });
  const previous = CronExpressionParser.parse(expr, { tz: timeZone, currentDate: new Date(after.getTime() + 1) }).prev().toDate();
  const firedLabel = previous.getTime() <= after.getTime() ? wallClock(previous, timeZone) : null;
  for (;;) {
    const next = it.next().toDate();
    if (wallClock(next, timeZone) !== firedLabel) return next;
  }
}

/** The last fire at or before `at` (for catching up after the box was off). */
export function previousFire(expr: string, timeZone: string, at: Date): Date {
  return CronExpressionParser.parse(expr, { tz: timeZone, currentDate: new Date(at.getTime() + 1) }).prev().toDate();
}

/**
 * Whether a job missed its last scheduled run: its last success is older than the previous
 * scheduled time (a box that was off at 03:00 backs up when it returns).
 */
export function missedRun(expr: string, timeZone: string, lastSuccess: Date | null, now: Date): boolean {
  return lastSuccess === null || lastSuccess.getTime() < previousFire(expr, timeZone, now).getTime();
}
