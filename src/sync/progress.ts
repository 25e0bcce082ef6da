/**
 * rsync's overall progress (`--info=progress2`, rsync 3.1+) and zbk's one-line reports.
 *
 * rsync rewrites one line with carriage returns. A line while a file is in flight:
 *        1,234,567  45%   12.34MB/s    0:00:05
 * and the line that closes a file, with the time since the transfer began:
 *        1,234,567  45%   12.34MB/s    0:01:12 (xfr#3, to-chk=10/100)
 * `ir-chk` instead of `to-chk` means the file list is still growing (incremental
 * recursion), so the total and the percentage will grow too.
 */
import { counted, plural } from '../util/plural.js';
import { formatBytes } from '../util/size.js';
import { parseRsyncNumber } from './numbers.js';
import type { RsyncStats } from './stats.js';

export interface Progress {
  readonly bytes: number;
  /** Of the total size known so far. */
  readonly percent: number;
  readonly bytesPerSecond: number;
  /** Seconds left while a file is in flight; seconds so far on a line that closes a file; null when rsync prints ??:??:??. */
  readonly seconds: number | null;
  /** From `(xfr#3, to-chk=10/100)`, on a line that closes a file; null while a file is in flight. */
  readonly files: {
    readonly transferred: number;
    readonly toCheck: number;
    readonly total: number;
    readonly listComplete: boolean;
  } | null;
}

const LINE =
  /^([\d.,]+[KMGTP]?) +(\d+)% +([\d.,]+)([kMG])B\/s +(\d+:\d\d:\d\d|\?\?:\?\?:\?\?)(?: \(xfr#(\d+), (to|ir)-chk=(\d+)\/(\d+)\))?$/;
/** rsync's rate units are powers of 1024 (progress.c). */
const RATE_UNIT: Record<string, number> = { k: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** One progress line (without its \r), or null when the line is something else. */
export function parseProgressLine(line: string): Progress | null {
  const m = LINE.exec(line.trim());
  if (!m) return null;
  const [, bytesText = '', percent, rateText = '', unit = '', clock = '', transferred, chk, toCheck, total] = m;
  const bytes = parseRsyncNumber(bytesText);
  const rate = parseRsyncNumber(rateText);
  if (bytes === null || rate === null) return null;
  return {
    bytes,
    percent: Number(percent),
    bytesPerSecond: Math.round(rate * RATE_UNIT[unit]!),
    seconds: clock.startsWith('?') ? null : clock.split(':').reduce((sum, part) => sum * 60 + Number(part), 0),
    files: transferred === undefined ? null : {
      transferred: Number(transferred),
      toCheck: Number(toCheck),
      total: Number(total),
      listComplete: chk === 'to',
    },
  };
}

/** One line for a terminal: `45% 1.2G 12.3M/s, 0:00:05 left` or `45% 1.2G 12.3M/s, 0:01:12 so far, 3 files, 10 of 100 to check`. */
export function formatProgress(p: Progress): string {
  const head = `${String(p.percent).padStart(3)}% ${formatBytes(p.bytes)} ${formatBytes(p.bytesPerSecond)}/s`;
  const time = p.seconds === null ? '' : `, ${formatClock(p.seconds)} ${p.files ? 'so far' : 'left'}`;
  if (!p.files) return `${head}${time}`;
  const { transferred, toCheck, total, listComplete } = p.files;
  return `${head}${time}, ${counted(transferred, 'file')}, ${toCheck} of ${total}${listComplete ? '' : '+'} to check`;
}

/** `usa-vds: 1,204 files, 3 changed, sent 12.1K received 4.8M, speedup 612.3, 0:01:12` */
export function formatSummary(name: string, stats: RsyncStats, durationMs: number): string {
  return [
    `${name}: ${stats.files.total.toLocaleString('en-US')} ${plural(stats.files.total, 'file')}`,
    `${stats.transferred.toLocaleString('en-US')} changed`,
    `sent ${formatBytes(stats.bytesSent)} received ${formatBytes(stats.bytesReceived)}`,
    `speedup ${stats.speedup.toFixed(1)}`,
    formatClock(durationMs / 1000),
  ].join(', ');
}

/** H:MM:SS, as rsync prints times. */
export function formatClock(seconds: number): string {
  const s = Math.floor(seconds);
  return `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
