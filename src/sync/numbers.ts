/**
 * Numbers as rsync prints them. rsync 3.1+ separates thousands with ',' where the locale's
 * decimal point is '.', and with '.' where it is ',': `1,234,567` or `1.234.567`, and
 * `6,002,146.00` or `6.002.146,00`. Groups have three digits and fractions two, which
 * tells the two apart. With `-h` (from a job's rsync_args) rsync prints `7.36K`, `3.00M`:
 * units of 1000, read back as such. (`-hh` prints units of 1024 the same way, so its
 * numbers come back about 2% small per unit step: rsync's output does not say which.)
 */
const NUMBER = /^(\d{1,3}(?:([.,])\d{3}(?:\2\d{3})*)?|\d+)(?:[.,](\d{2}))?([KMGTP])?$/;
const UNIT_POWER: Record<string, number> = { K: 1, M: 2, G: 3, T: 4, P: 5 };

/** The value of a number rsync printed, or null when `text` is not one. */
export function parseRsyncNumber(text: string): number | null {
  const m = NUMBER.exec(text.trim());
  if (!m) return null;
  const [, whole = '', groupSeparator, fraction, unit] = m;
  const value = Number(`${groupSeparator ? whole.replaceAll(groupSeparator, '') : whole}.${fraction ?? '0'}`);
  return unit ? Math.round(value * 1000 ** UNIT_POWER[unit]!) : value;
}
