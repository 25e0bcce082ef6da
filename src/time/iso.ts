/** ISO 8601 text of instants and wall-clock times. */
import type { WallTime } from './zone.js';

/** ISO 8601 in UTC without milliseconds, as zbk's JSON writes instants. */
export function isoSeconds(t: Date): string {
  return t.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const two = (n: number) => String(n).padStart(2, '0');

/** A wall-clock time to the second, date and time apart by a space: `2026-10-25 03:30:00`. */
export function isoWallTime(w: WallTime): string {
  return `${String(w.year).padStart(4, '0')}-${two(w.month)}-${two(w.day)} ${two(w.hour)}:${two(w.minute)}:${two(w.second)}`;
}

/** A zone offset (ms) as ISO 8601 writes it, to the minute: `+03:00`, `-04:56`. */
export function isoOffset(offset: number): string {
  const minutes = Math.round(offset / 60_000);
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}
