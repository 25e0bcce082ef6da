/**
 * Wall-clock time in an IANA time zone ⇄ instant, with Intl only. zpool prints local times
 * without a zone; reading them needs the zone the box runs in.
 */
export interface WallTime {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time in `timeZone` at an instant (ms since the epoch). Throws RangeError for an unknown zone. */
export function wallTimeAt(instant: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const { year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0 } = parts;
  return { year, month, day, hour, minute, second };
}

function asIfUtc(w: WallTime): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/** How far `timeZone` is ahead of UTC at an instant, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  const whole = instant - (((instant % 1000) + 1000) % 1000);
  return asIfUtc(wallTimeAt(whole, timeZone)) - whole;
}

/**
 * The instant a wall-clock time in `timeZone` names. A time that occurs twice (clocks set back)
 * is the earlier one; a time that never occurs (clocks set forward) is read with the offset in
 * force before the change, so it lands after it — as Temporal's "compatible" disambiguation does.
 */
export function instantOf(wall: WallTime, timeZone: string): number {
  const local = asIfUtc(wall);
  const before = offsetAt(local - DAY_MS, timeZone);
  const after = offsetAt(local + DAY_MS, timeZone);
  const valid = [before, after].map((o) => local - o).filter((t) => offsetAt(t, timeZone) === local - t);
  return valid.length > 0 ? Math.min(...valid) : local - before;
}
