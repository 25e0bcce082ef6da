/**
 * Durations as the config writes them: "36h", "2d", "1w", "6m", "1y", "1d12h", "90s", "10min".
 * In ages and spans of history (keep_within, stale_after, max_age) `m` is a month, as restic's
 * and borg's keep-within read it; in timers (timeout, hook_timeout, stop_timeout) it is a minute,
 * as sleep(1) and every timeout an admin has written read it: nobody waits months for a hook.
 * `min` is a minute everywhere.
 * Months and years are calendar amounts when subtracted from an instant, and 30 d / 365 d
 * when a plain length is needed (timeouts).
 *
 * Every duration is bounded, so that zbk can compute it exactly: nothing it measures is
 * longer than 1000 years (whose milliseconds, and the instant that far before any date a
 * snapshot can carry, are exact), and a timer cannot run longer than Node's setTimeout
 * allows (2^31-1 ms, a little under 25 days; 24d is the round bound). Where zero makes no
 * sense (a timeout, an age, keep_within) it is refused too.
 */
export interface Duration {
  readonly text: string;
  readonly years: number;
  readonly months: number;
  readonly days: number; // weeks are folded into days
  readonly seconds: number; // hours, minutes and seconds folded into seconds
}

/** What a duration may be where it is used. */
export interface DurationLimits {
  /** Whether zero means something here. */
  readonly zero: boolean;
  /** The longest accepted, in milliseconds (as durationMs counts), and as a message says it. */
  readonly maxMs: number;
  readonly maxText: string;
  /** `m` means minutes (timers), not months (ages). */
  readonly mIsMinutes?: boolean;
}

const DAY_MS = 86_400_000;

/** Any duration at all: up to 1000 years (zero allowed, for the syntax alone). */
const ANY_DURATION: DurationLimits = { zero: true, maxMs: 1000 * 365 * DAY_MS, maxText: '1000y' };
/** An age or a span of history: stale_after, max_age, keep_within. */
export const LENGTH: DurationLimits = { ...ANY_DURATION, zero: false };
/** A timer: timeout, hook_timeout, stop_timeout (Node's timers stop at 2^31-1 ms). */
export const TIMER: DurationLimits = { zero: false, maxMs: 24 * DAY_MS, maxText: '24d, the longest a timer runs', mIsMinutes: true };

const UNIT: Record<string, keyof Omit<Duration, 'text'> | undefined> = {
  y: 'years', m: 'months', w: 'days', d: 'days', h: 'seconds', min: 'seconds', s: 'seconds',
};
const FACTOR: Record<string, number> = { y: 1, m: 1, w: 7, d: 1, h: 3600, min: 60, s: 1 };

/**
 * Parses a duration within `limits`; returns an error message (naming what was wrong)
 * instead of throwing.
 */
export function parseDuration(text: string, limits: DurationLimits = ANY_DURATION): Duration | string {
  const trimmed = text.trim();
  if (trimmed === '') return 'empty duration';
  const parts = { years: 0, months: 0, days: 0, seconds: 0 };
  const re = /(\d+)\s*(min|[ymwdhs])/gy;
  let at = 0;
  let match: RegExpExecArray | null;
  while (at < trimmed.length) {
    re.lastIndex = at;
    match = re.exec(trimmed);
    if (!match) {
      return `"${text}" is not a duration (a number and a unit, e.g. 36h, 2d, 1w, ${limits.mIsMinutes ? '10m' : '6m, 1y'}, 10min, 90s; m is ${mMeans(limits)})`;
    }
    const [, amount, unit] = match as unknown as [string, string, string];
    // A long run of digits is not exact as a Number; it is over every bound anyway.
    if (amount.replace(/^0+/, '').length > 15) return tooLong(text, limits);
    if (unit === 'm' && limits.mIsMinutes) parts.seconds += Number(amount) * 60;
    else parts[UNIT[unit]!] += Number(amount) * FACTOR[unit]!;
    at = re.lastIndex;
    while (trimmed[at] === ' ') at++;
  }
  const d = { text: trimmed, ...parts };
  const ms = durationMs(d);
  if (!(ms <= limits.maxMs)) return `${tooLong(text, limits)}${parts.months > 0 ? ' (m is months here; minutes are min, e.g. 10min)' : ''}`;
  if (ms === 0 && !limits.zero) return `"${text}" is zero: it must be more than 0`;
  return d;
}

const mMeans = (limits: DurationLimits) => (limits.mIsMinutes ? 'minutes here' : 'months here; minutes are min');

function tooLong(text: string, limits: DurationLimits): string {
  return `"${text}" is too long: at most ${limits.maxText}`;
}

/** Whether `d` is a duration parseDuration could have made (whole, finite, not negative, at most 1000y). */
export function isComputable(d: Duration): boolean {
  const amounts = [d.years, d.months, d.days, d.seconds];
  return amounts.every((n) => Number.isSafeInteger(n) && n >= 0) && durationMs(d) <= ANY_DURATION.maxMs;
}

/** A fixed length in milliseconds (month = 30 days, year = 365 days), for timeouts and ages. */
export function durationMs(d: Duration): number {
  return ((d.years * 365 + d.months * 30 + d.days) * 86400 + d.seconds) * 1000;
}

/**
 * The instant `d` before `from`, with months and years counted on the UTC calendar.
 * An Invalid Date (NaN) when the result is beyond what a Date holds: callers must check.
 */
export function subtractDuration(from: Date, d: Duration): Date {
  const t = new Date(from.getTime());
  if (d.years || d.months) {
    const day = t.getUTCDate();
    t.setUTCDate(1);
    t.setUTCMonth(t.getUTCMonth() - d.months - 12 * d.years);
    const lastDay = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
    t.setUTCDate(Math.min(day, lastDay));
  }
  return new Date(t.getTime() - (d.days * 86400 + d.seconds) * 1000);
}
