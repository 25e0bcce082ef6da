import { daysFromCivil, daysInMonth } from '../time/civil.js';

/**
 * zbk's snapshot names: `<prefix>_YYYY-MM-DDTHHMMSSZ`, the instant in UTC to the second,
 * e.g. `zbk_2026-11-26T030000Z`. Names sort as their instants do; retention reads the
 * instant from the name, never from the snapshot's creation property.
 */

const STAMP = /\d{4}-\d{2}-\d{2}T\d{6}Z$/y;
const STAMP_LENGTH = 'YYYY-MM-DDTHHMMSSZ'.length;

/** Characters a ZFS snapshot name allows, less the space (older ZFS, zfs-fuse among them, refuse it). */
const PREFIX_CHARS = /[A-Za-z0-9_.:-]/g;

/** The name of a snapshot taken at `instant` (milliseconds dropped). Throws a RangeError outside years 0000–9999. */
export function formatSnapshotName(prefix: string, instant: Date): string {
  return `${prefix}_${formatStamp(instant)}`;
}

/**
 * The instant a zbk name carries, or null when `name` is not exactly such a name for `prefix`
 * (another prefix, trailing text, an impossible date such as February 30): a foreign snapshot.
 */
export function parseSnapshotName(prefix: string, name: string): Date | null {
  if (name.length !== prefix.length + 1 + STAMP_LENGTH || !name.startsWith(`${prefix}_`)) return null;
  const at = prefix.length + 1;
  STAMP.lastIndex = at;
  if (!STAMP.test(name)) return null;
  const year = digitsAt(name, at, 4);
  const month = digitsAt(name, at + 5, 2);
  const day = digitsAt(name, at + 8, 2);
  const hour = digitsAt(name, at + 11, 2);
  const minute = digitsAt(name, at + 13, 2);
  const second = digitsAt(name, at + 15, 2);
  const valid =
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour < 24 && minute < 60 && second < 60;
  if (!valid) return null;
  return new Date(((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60_000 + second * 1000);
}

/** What is wrong with a snapshot prefix, if anything (an empty list when it is fine). */
export function validateSnapshotPrefix(prefix: string): string[] {
  if (prefix === '') return ['the snapshot prefix is empty'];
  const bad = prefix.replace(PREFIX_CHARS, '');
  if (bad === '') return [];
  const shown = [...new Set(bad)].map((c) => JSON.stringify(c)).join(' ');
  return [`the snapshot prefix ${JSON.stringify(prefix)} may hold only letters, digits and _ . : - (not ${shown})`];
}

function formatStamp(instant: Date): string {
  const iso = instant.toISOString(); // 2026-11-26T03:00:00.000Z; ±YYYYYY outside years 0000–9999
  if (iso.length !== 24) throw new RangeError(`${iso} is outside the years a snapshot name can hold`);
  return `${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/** The number that the ASCII digits at text[at, at + length) write. */
function digitsAt(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) value = value * 10 + text.charCodeAt(i) - 48;
  return value;
}
