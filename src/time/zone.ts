/**
 * IANA time zones with Intl only: one formatter per zone, asked for both the wall clock and the
 * zone's offset. Retention keys periods by the local calendar, zpool prints local times without a
 * zone, and the daemon fires and labels its runs on the admin's clock.
 *
 * UTC is the exception: its offset is always 0, and ICU's first formatter costs ~10 ms of every
 * start (bench/README.md, startup), so a host in UTC (TZ, else /etc/localtime, as ICU reads them)
 * never asks Intl. Any other zone goes to Intl as before.
 */
import { readFileSync, realpathSync } from 'node:fs';
import type { CivilDate } from './civil.js';

/** A civil date with the time of day on the wall clock. */
export interface WallTime extends CivilDate {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const SECOND = 1000;
const DAY = 86_400_000;

const formats = new Map<string, Intl.DateTimeFormat>();
/** The end of what `zoneFormat` prints: "GMT", "GMT+02:00", "GMT-04:56:02". */
const LONG_OFFSET = /GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** The zone's formatter, made once per zone; throws a RangeError for a zone Intl does not know. */
function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      timeZoneName: 'longOffset',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** Names that Intl resolves to "UTC", spelled as TZ and /etc/localtime spell them. */
const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/UCT', 'UCT', 'Etc/Universal', 'Universal', 'Etc/Zulu', 'Zulu']);
const LOCALTIME = '/etc/localtime';
const ZONEINFO = '/zoneinfo/';
const ZONEINFO_UTC = '/usr/share/zoneinfo/UTC';

export function isTimeZone(tz: string): boolean {
  if (UTC_NAMES.has(tz)) return true;
  try {
    zoneFormat(tz);
    return true;
  } catch {
    return false;
  }
}

export function systemTimeZone(): string {
  return hostIsUtc() ? 'UTC' : Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * Whether ICU would take the host's zone for UTC, read as ICU reads it: TZ when set, one of
 * UTC's names; else /etc/localtime, a link whose target (realpath) names a UTC zone under a
 * zoneinfo directory, or a copy of zoneinfo's UTC file (FreeBSD's tzsetup may copy; ICU then
 * finds the zoneinfo file with the same bytes, and any of them is UTC). Anything else (another
 * zone, a POSIX TZ string, no zoneinfo) is left to Intl, as is any error reading the files.
 */
function hostIsUtc(): boolean {
  const tz = process.env.TZ;
  if (tz !== undefined) return UTC_NAMES.has(tz);
  try {
    const target = realpathSync.native(LOCALTIME);
    if (target !== LOCALTIME) {
      const tail = target.indexOf(ZONEINFO);
      return tail >= 0 && UTC_NAMES.has(target.slice(tail + ZONEINFO.length).replace(/^(?:posix|right)\//, ''));
    }
    return readFileSync(LOCALTIME).equals(readFileSync(ZONEINFO_UTC));
  } catch {
    return false; // unreadable: Intl finds the zone, or fails, as before
  }
}

/** How far `timeZone` is ahead of UTC at `instant` (ms since the epoch), in ms. Throws RangeError for an unknown zone. */
export function offsetAt(instant: number, timeZone: string): number {
  if (UTC_NAMES.has(timeZone) && !Number.isNaN(new Date(instant).getTime())) return 0; // Intl throws for an invalid instant
  const text = zoneFormat(timeZone).format(instant);
  const match = LONG_OFFSET.exec(text);
  if (!match) throw new Error(`Intl printed no offset in "${text}"`);
  const [, sign, hours = '0', minutes = '0', seconds = '0'] = match;
  const size = (Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds)) * SECOND;
  return sign === '-' ? -size : size;
}

/** The wall-clock time in `timeZone` at an instant (ms since the epoch). Throws RangeError for an unknown zone. */
export function wallTimeAt(instant: number, timeZone: string): WallTime {
  let year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  for (const p of zoneFormat(timeZone).formatToParts(instant)) {
    if (p.type === 'year') year = Number(p.value);
    else if (p.type === 'month') month = Number(p.value);
    else if (p.type === 'day') day = Number(p.value);
    else if (p.type === 'hour') hour = Number(p.value);
    else if (p.type === 'minute') minute = Number(p.value);
    else if (p.type === 'second') second = Number(p.value);
  }
  return { year, month, day, hour, minute, second };
}

function asIfUtc(w: WallTime): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/**
 * The instant a wall-clock time in `timeZone` names. A time that occurs twice (clocks set back)
 * is the earlier one; a time that never occurs (clocks set forward) is read with the offset in
 * force before the change, so it lands after it — as Temporal's "compatible" disambiguation does.
 */
export function instantOf(wall: WallTime, timeZone: string): number {
  const local = asIfUtc(wall);
  const before = offsetAt(local - DAY, timeZone);
  const after = offsetAt(local + DAY, timeZone);
  const valid = [before, after].map((o) => local - o).filter((t) => offsetAt(t, timeZone) === local - t);
  return valid.length > 0 ? Math.min(...valid) : local - before;
}
