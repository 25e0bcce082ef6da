/**
 * One `scan:` (or Solaris-era `scrub:`) section of `zpool status`: the line after the key and
 * the lines continuing it. Dialects:
 *   OpenZFS 2.x  scrub repaired 0B in 00:00:49 with 0 errors on Wed Jul  7 21:51:51 2021
 *                resilvered (draid1:8d:12c:2s-0) 273M in 00:00:34 with 0 errors on ...
 *                scrub in progress since ... / 6.99T scanned at 1.20G/s, 6.68T issued at 0B/s, 32.1T total
 *                / 0B repaired, 20.80% done, no estimated completion time
 *                scrub paused since ... / scrub started on ...
 *   ZoL 0.6–0.8  scrub repaired 0 in 0h5m with 0 errors on ...; 14.2T scanned out of 37.5T at 775M/s, 8h45m to go
 *   Solaris, zfs-fuse  none requested; scrub completed after 0h0m with 0 errors on ...;
 *                scrub in progress for 0h1m, 12.34% done, 0h8m to go; scrub stopped after ...
 */
import { NO_SCAN, type Scan, type ScanFunction } from './model.js';
import { parseNiceNumber } from './nicenum.js';
import { parsePrintedDate } from './printed-date.js';

export interface ScanReading {
  readonly scan: Scan;
  /** Lines of the section that were not understood (the first line included when it was not). */
  readonly unknown: readonly string[];
}

type DateReader = (text: string) => string | null;
/** Reads one line into the scan so far; null when the line is not understood (a date that cannot be read included). */
type Step = (m: RegExpExecArray, scan: Scan, date: DateReader) => Scan | null;

const fn = (word: string): ScanFunction => (word.startsWith('scrub') ? 'scrub' : 'resilver');
const vdev = (name: string | undefined) => (name ? { vdev: name } : {});
const eta = (text: string | undefined) => (text ? { eta: text } : {});
/** `make(instant)` when the printed date reads, else null. */
const dated = (iso: string | null, make: (iso: string) => Scan) => (iso === null ? null : make(iso));

/** First lines, tried in order; each starts from NO_SCAN. */
const FIRST_LINES: ReadonlyArray<readonly [RegExp, Step]> = [
  [/^none requested$/, (_m, scan) => scan],
  [
    /^(scrub repaired|resilvered)(?: \((\S+)\))? (\S+) in .+? with (\d+) errors on (.+)$/,
    ([, what = '', name, amount = '', errors, on = ''], scan, date) =>
      dated(date(on), (end) => ({
        ...scan,
        function: fn(what),
        state: 'finished',
        repaired_bytes: parseNiceNumber(amount),
        errors: Number(errors),
        end_time: end,
        ...vdev(name),
      })),
  ],
  [
    /^(scrub|resilver) completed after \S+ with (\d+) errors on (.+)$/,
    ([, what = '', errors, on = ''], scan, date) =>
      dated(date(on), (end) => ({ ...scan, function: fn(what), state: 'finished', errors: Number(errors), end_time: end })),
  ],
  [
    /^(scrub|resilver) stopped after \S+ with \d+ errors on (.+)$/,
    ([, what = '', on = ''], scan, date) => dated(date(on), (end) => ({ ...scan, function: fn(what), state: 'canceled', end_time: end })),
  ],
  [
    /^(scrub|resilver)(?: \((\S+)\))? canceled on (.+)$/,
    ([, what = '', name, on = ''], scan, date) =>
      dated(date(on), (end) => ({ ...scan, function: fn(what), state: 'canceled', end_time: end, ...vdev(name) })),
  ],
  [
    /^(scrub|resilver)(?: \((\S+)\))? in progress since (.+)$/,
    ([, what = '', name, since = ''], scan, date) =>
      dated(date(since), (start) => ({ ...scan, function: fn(what), state: 'in_progress', start_time: start, ...vdev(name) })),
  ],
  [/^scrub paused since .+$/, (_m, scan) => ({ ...scan, function: 'scrub', state: 'paused' })],
  [
    /^(scrub|resilver) in progress(?: for \S+)?, ([\d.]+)% done, (.+?) to go$/,
    ([, what = '', done, left], scan) => ({ ...scan, function: fn(what), state: 'in_progress', progress: Number(done), ...eta(left) }),
  ],
];

/** Lines under the first, each adding to the scan. */
const CONTINUATIONS: ReadonlyArray<readonly [RegExp, Step]> = [
  [
    /^(\S+) (?:repaired|resilvered), ([\d.]+)% done(?:, (?:(.+?) to go|no estimated completion time))?$/,
    ([, amount = '', done, left], scan) => ({ ...scan, repaired_bytes: parseNiceNumber(amount), progress: Number(done), ...eta(left) }),
  ],
  [/^\S+ scanned out of \S+ at \S+, (?:(.+?) to go|\(scan is slow, no estimated time\))$/, ([, left], scan) => ({ ...scan, ...eta(left) })],
  [/^\S+(?: \/ \S+)? scanned(?: at \S+)?, \S+(?: \/ \S+)? issued(?: at \S+)?(?:, \S+ total)?$/, (_m, scan) => scan],
  [/^scrub started on (.+)$/, ([, on = ''], scan, date) => dated(date(on), (start) => ({ ...scan, start_time: start }))],
  [/^scan warning: .+$/, (_m, scan) => scan],
];

function step(table: ReadonlyArray<readonly [RegExp, Step]>, line: string, scan: Scan, date: DateReader): Scan | null {
  for (const [re, read] of table) {
    const m = re.exec(line);
    if (m) return read(m, scan, date);
  }
  return null;
}

/** Reads a scan section; `lines[0]` is the text after the key. */
export function parseScanText(lines: readonly string[], timeZone: string): ScanReading {
  const date = (text: string) => parsePrintedDate(text, timeZone);
  const [first = '', ...rest] = lines.map((l) => l.trim()).filter((l) => l !== '');
  const start = step(FIRST_LINES, first, NO_SCAN, date);
  if (!start) return { scan: NO_SCAN, unknown: [first || 'scan:', ...rest] };
  const unknown: string[] = [];
  let scan = start;
  for (const line of rest) {
    const next = step(CONTINUATIONS, line, scan, date);
    if (next) scan = next;
    else unknown.push(line);
  }
  return { scan, unknown };
}
