/**
 * Durations as the config writes them: "36h", "2d", "1w", "6m", "1y", "1d12h", "90s", "10min".
 * `m` is a month (restic's and borg's keep-within use it so); minutes are `min`.
 * Months and years are calendar amounts when subtracted from an instant, and 30 d / 365 d
 * when a plain length is needed (timeouts).
 */
export interface Duration {
  readonly text: string;
  readonly years: number;
  readonly months: number;
  readonly days: number; // weeks are folded into days
  readonly seconds: number; // hours, minutes and seconds folded into seconds
}

const UNIT: Record<string, keyof Omit<Duration, 'text'> | undefined> = {
  y: 'years', m: 'months', w: 'days', d: 'days', h: 'seconds', min: 'seconds', s: 'seconds',
};
const FACTOR: Record<string, number> = { y: 1, m: 1, w: 7, d: 1, h: 3600, min: 60, s: 1 };

/** Parses a duration; returns an error message (naming what was wrong) instead of throwing. */
export function parseDuration(text: string): Duration | string {
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
      return `"${text}" is not a duration (a number and a unit, e.g. 36h, 2d, 1w, 6m, 1y, 10min, 90s; m is months)`;
    }
    const [, amount, unit] = match as unknown as [string, string, string];
    parts[UNIT[unit]!] += Number(amount) * FACTOR[unit]!;
    at = re.lastIndex;
    while (trimmed[at] === ' ') at++;
  }
  return { text: trimmed, ...parts };
}

/** A fixed length in milliseconds (month = 30 days, year = 365 days), for timeouts and ages. */
export function durationMs(d: Duration): number {
  return ((d.years * 365 + d.months * 30 + d.days) * 86400 + d.seconds) * 1000;
}

/** The instant `d` before `from`, with months and years counted on the UTC calendar. */
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
