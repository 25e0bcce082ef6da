/**
 * IANA time zones through Intl: one formatter per zone, asked for both the wall clock and the
 * zone's offset. Retention keys periods by the local calendar, zpool prints local times without a
 * zone, and the daemon fires and labels its runs on the admin's clock.
 *
 * ICU's first formatter costs ~10 ms of every start (bench/README.md, startup), and most runs
 * ask only for the host's own zone, so that one is answered without a formatter when it can be
 * named as ICU names it: UTC's offset is 0 at every instant, and the offsets of the host's zone
 * are those of Date's local time, which V8 takes from ICU's zone data too (the same numbers,
 * test/time/zone.test.ts). Any other zone goes to Intl.
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
    // Only the offset is read (offsetAt): Intl adds its default date before it.
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
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
/** Instants whose local time Date can hold in any zone (its range, less a day either side). */
const LOCAL_RANGE = 8.64e15 - DAY;

export function isTimeZone(tz: string): boolean {
  if (UTC_NAMES.has(tz) || tz === hostZone()) return true;
  try {
    zoneFormat(tz);
    return true;
  } catch {
    return false;
  }
}

export function systemTimeZone(): string {
  return hostZone() ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
}

/** The host's zone as last read, and the TZ it was read under (node re-reads the zone when TZ is set). */
let host: { readonly tz: string | undefined; readonly zone: string | undefined } | undefined;

/**
 * The host's zone as Intl would name it, read without a formatter: "UTC", a canonical IANA name
 * (one Intl lists, and each of those resolves to itself), or undefined where only Intl can tell.
 * Read once per value of TZ, with Date's local time set up at that moment too, so that Date's
 * zone is the one read even if /etc/localtime changes later.
 */
function hostZone(): string | undefined {
  const tz = process.env.TZ;
  if (host === undefined || host.tz !== tz) {
    new Date(0).getTimezoneOffset(); // ICU reads the host's zone for Date now, if it has not yet
    const name = tz ?? localtimeName();
    if (name !== undefined && UTC_NAMES.has(name)) host = { tz, zone: 'UTC' };
    else host = { tz, zone: name !== undefined && Intl.supportedValuesOf('timeZone').includes(name) ? name : undefined };
  }
  return host.zone;
}

/**
 * The zone /etc/localtime names, read as ICU reads it when TZ is unset: a link whose target
 * (realpath) lies under a zoneinfo directory (posix/ and right/ skipped, as ICU skips them), or
 * a copy of zoneinfo's UTC file (FreeBSD's tzsetup may copy; ICU then finds the zoneinfo file
 * with the same bytes, and each of them is a UTC name). A copy of another zone, or any error
 * reading the files, is left to Intl.
 */
function localtimeName(): string | undefined {
  try {
    const target = realpathSync.native(LOCALTIME);
    if (target === LOCALTIME) return readFileSync(LOCALTIME).equals(readFileSync(ZONEINFO_UTC)) ? 'UTC' : undefined;
    const tail = target.indexOf(ZONEINFO);
    return tail < 0 ? undefined : target.slice(tail + ZONEINFO.length).replace(/^(?:posix|right)\//, '');
  } catch {
    return undefined; // unreadable: Intl finds the zone, or fails, as before
  }
}

/** How far `timeZone` is ahead of UTC at `instant` (ms since the epoch), in ms. Throws RangeError for an unknown zone. */
export function offsetAt(instant: number, timeZone: string): number {
  const t = new Date(instant).getTime();
  if (!Number.isNaN(t)) { // else Intl throws, as for any zone
    if (UTC_NAMES.has(timeZone)) return 0;
    if (Math.abs(t) <= LOCAL_RANGE && timeZone === hostZone()) return localOffset(t);
  }
  const text = zoneFormat(timeZone).format(instant);
  const match = LONG_OFFSET.exec(text);
  if (!match) throw new Error(`Intl printed no offset in "${text}"`);
  const [, sign, hours = '0', minutes = '0', seconds = '0'] = match;
  const size = (Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds)) * SECOND;
  return sign === '-' ? -size : size;
}

/** The host zone's offset at `t`: Date's local wall clock, to the second, read as if in UTC, less `t`. */
function localOffset(t: number): number {
  const local = new Date(t);
  const wall = new Date(0);
  wall.setUTCFullYear(local.getFullYear(), local.getMonth(), local.getDate());
  wall.setUTCHours(local.getHours(), local.getMinutes(), local.getSeconds());
  return wall.getTime() - (t - (((t % SECOND) + SECOND) % SECOND));
}

/**
 * The wall-clock time in `timeZone` at an instant (ms since the epoch): the instant moved by the
 * zone's offset, read as UTC (offsetAt's fast paths serve UTC and the host's zone without Intl).
 * Throws RangeError for an unknown zone.
 */
export function wallTimeAt(instant: number, timeZone: string): WallTime {
  const w = new Date(instant + offsetAt(instant, timeZone));
  return {
    year: w.getUTCFullYear(), month: w.getUTCMonth() + 1, day: w.getUTCDate(),
    hour: w.getUTCHours(), minute: w.getUTCMinutes(), second: w.getUTCSeconds(),
  };
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
