/**
 * zpool's abbreviated numbers (zfs_nicenum): base 1024, at most five characters, `B` after a
 * plain byte count. Counters read `29`, `1.20K`, `945K` (or `12,8K` under a decimal-comma locale);
 * sizes read `0B`, `512B`, `1.69M`. Old releases print sizes without the `B` (`repaired 0`).
 *
 * A number without a unit is a whole number (zfs_nicenum prints no fraction below 1024), so marks
 * in it can only group thousands, as a locale or a hand-written report prints them: `1,234`,
 * `1.234`, `1'234`, `1 234` with a no-break or narrow no-break space.
 */
const UNITS = ['', 'K', 'M', 'G', 'T', 'P', 'E'] as const;
const NICE = /^(\d+(?:[.,]\d+)?)([KMGTPE])$/;
const WHOLE = /^(\d{1,3}(?:([.,'\u00a0\u202f])\d{3})(?:\2\d{3})*|\d+)B?$/;

/** The number a nicenum stands for, rounded to a whole number; null when the text is not one. */
export function parseNiceNumber(text: string): number | null {
  const t = text.trim();
  const whole = parseCount(t.replace(/B$/, ''));
  if (whole !== null) return whole;
  const m = NICE.exec(t);
  if (!m) return null;
  const [, digits = '', unit = ''] = m;
  return Math.round(Number(digits.replace(',', '.')) * 1024 ** UNITS.indexOf(unit as (typeof UNITS)[number]));
}

/** A whole number as printed, thousands grouped or not (`4`, `1,234`, `1.234.567`); null otherwise. */
export function parseCount(text: string): number | null {
  const m = WHOLE.exec(text.trim());
  return m ? Number((m[1] ?? '').replace(/\D/g, '')) : null;
}

/** A percentage as printed, with a decimal point or comma (`20.80`, `20,80`); null otherwise. */
export function parsePercent(text: string): number | null {
  return /^\d+(?:[.,]\d+)?$/.test(text) ? Number(text.replace(',', '.')) : null;
}

/** Formats as zfs_nicenum_format does; `bytes` adds the `B` of a plain byte count. */
export function formatNiceNumber(n: number, bytes = false): string {
  let index = 0;
  while (n >= 1024 ** (index + 1) && index < UNITS.length - 1) index++;
  const unit = index === 0 && bytes ? 'B' : UNITS[index];
  const scale = 1024 ** index;
  if (index === 0 || n % scale === 0) return `${Math.floor(n / scale)}${unit}`;
  for (const decimals of [2, 1]) {
    const text = `${(n / scale).toFixed(decimals)}${unit}`;
    if (text.length <= 5) return text;
  }
  return `${(n / scale).toFixed(0)}${unit}`;
}
