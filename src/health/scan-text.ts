/**
 * One `scan:` (or Solaris-era `scrub:`) section of `zpool status`: the line after the key and
 * the lines continuing it. Wordings, from zpool_main.c of each release (print_scan_status,
 * print_scan_scrub_resilver_status, print_rebuild_status_impl, print_err_scrub_status, and the
 * older print_scrub_status):
 *   OpenZFS 2.x  scrub repaired 0B in 00:00:49 with 0 errors on Wed Jul  7 21:51:51 2021
 *                resilvered (draid1:8d:12c:2s-0) 273M in 00:00:34 with 0 errors on ...
 *                scrub in progress since ... / 6.99T scanned at 1.20G/s, 6.68T issued at 0B/s, 32.1T total
 *                (2.2+: 6.99T / 32.1T scanned at 1.20G/s, 6.68T / 32.1T issued at 0B/s)
 *                / 0B repaired, 20.80% done, no estimated completion time
 *                scrub paused since ... / scrub started on ... ; scrub canceled on ...
 *                2.2+ error scrub (`zpool scrub -e`, key `scrub:`): scrubbed 3 error blocks in 0 days
 *                00:00:01 on ...; error scrub in progress|paused since ...; error scrub canceled on ...
 *   ZoL 0.6–0.8, illumos, FreeBSD ≤ 12  scrub repaired 0 in 0h5m with 0 errors on ...;
 *                14.2T scanned out of 37.5T at 775M/s, 8h45m to go (paused: no rate, no time)
 *   Solaris, zfs-fuse  none requested; scrub completed after 0h0m with 0 errors on ...
 *                (the first releases: `scrub completed with 0 errors on ...`, no "after");
 *                scrub in progress for 0h1m, 12.34% done, 0h8m to go; scrub stopped after ...
 * Under a decimal-comma locale percentages and sizes print with a comma (`20,80% done`, `1,20G`).
 * An error scrub reads only the blocks already known bad: it is understood, and is no scrub of
 * the pool (it does not make the last scrub recent).
 */
import { NO_SCAN, type Scan, type ScanFunction } from './model.js';
import { parseCount, parseNiceNumber, parsePercent } from './nicenum.js';
import { parsePrintedDate } from './printed-date.js';

interface ScanReading {
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

/** A count of errors as printed, thousands grouped or not. */
const COUNT = String.raw`(\d[\d.,'\u00a0\u202f]*)`;
const PERCENT = String.raw`(\d+(?:[.,]\d+)?)`;
const count = (text: string | undefined) => parseCount(text ?? '');
const percent = (text: string | undefined) => parsePercent(text ?? '');

/** First lines, tried in order; each starts from NO_SCAN. */
const FIRST_LINES: ReadonlyArray<readonly [RegExp, Step]> = [
  [/^none requested$/, (_m, scan) => scan],
  [
    new RegExp(String.raw`^(scrub repaired|resilvered)(?: \((\S+)\))? (\S+) in .+? with ${COUNT} errors on (.+)$`),
    ([, what = '', name, amount = '', errors, on = ''], scan, date) =>
      dated(date(on), (end) => ({
        ...scan,
        function: fn(what),
        state: 'finished',
        repaired_bytes: parseNiceNumber(amount),
        errors: count(errors),
        end_time: end,
        ...vdev(name),
      })),
  ],
  [
    new RegExp(String.raw`^(scrub|resilver) completed (?:after \S+ )?with ${COUNT} errors on (.+)$`),
    ([, what = '', errors, on = ''], scan, date) =>
      dated(date(on), (end) => ({ ...scan, function: fn(what), state: 'finished', errors: count(errors), end_time: end })),
  ],
  [
    new RegExp(String.raw`^(scrub|resilver) stopped (?:after \S+ )?with ${COUNT} errors on (.+)$`),
    ([, what = '', , on = ''], scan, date) => dated(date(on), (end) => ({ ...scan, function: fn(what), state: 'canceled', end_time: end })),
  ],
  // An error scrub, in any state: understood, and no scrub of the pool.
  [/^scrubbed \S+ error blocks in .+ on (.+)$/, ([, on = ''], scan, date) => dated(date(on), () => scan)],
  [/^error scrub (?:canceled on|in progress since|paused since) (.+)$/, ([, on = ''], scan, date) => dated(date(on), () => scan)],
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
    new RegExp(String.raw`^(scrub|resilver) in progress(?: for \S+)?, ${PERCENT}% done, (.+?) to go$`),
    ([, what = '', done, left], scan) => ({ ...scan, function: fn(what), state: 'in_progress', progress: percent(done), ...eta(left) }),
  ],
];

/** Lines under the first, each adding to the scan. */
const CONTINUATIONS: ReadonlyArray<readonly [RegExp, Step]> = [
  [
    new RegExp(String.raw`^(\S+) (?:repaired|resilvered), ${PERCENT}% done(?:, (?:(.+?) to go|no estimated completion time))?$`),
    ([, amount = '', done, left], scan) => ({ ...scan, repaired_bytes: parseNiceNumber(amount), progress: percent(done), ...eta(left) }),
  ],
  [/^\S+ scanned out of \S+(?: at \S+, (?:(.+?) to go|\(scan is slow, no estimated time\)))?$/, ([, left], scan) => ({ ...scan, ...eta(left) })],
  // 2.0's rebuild printed `issued 1.2G/s` without "at".
  [/^\S+(?: \/ \S+)? scanned(?: at \S+)?, \S+(?: \/ \S+)? issued(?: (?:at )?\S+\/s)?(?:, \S+ total)?$/, (_m, scan) => scan],
  [/^scrub started on (.+)$/, ([, on = ''], scan, date) => dated(date(on), (start) => ({ ...scan, start_time: start }))],
  [/^scan warning: .+$/, (_m, scan) => scan],
  // An error scrub's progress.
  [/^error scrub started on (.+)$/, ([, on = ''], scan, date) => dated(date(on), () => scan)],
  [new RegExp(String.raw`^${PERCENT}% done, issued I/O for \S+ error blocks$`), (_m, scan) => scan],
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
