/**
 * The report for people: the daily periodic(8) mail and the terminal. A pool that is fine is one
 * line (state, last scrub and its age, capacity); trouble comes first: what is wrong and what to
 * do, what is new since the last report, then each troubled pool's last scan and the devices
 * that are not well.
 *
 * Names and lines from outside are printed through `printable` (no terminal escapes, no bidi
 * tricks in a mail), and every list is cut at a length a person reads, with the count of the rest.
 */
import { printable } from '../../util/printable.js';
import type { Device, PoolStatus, Scan } from '../model.js';
import { formatNiceNumber } from '../nicenum.js';
import { severity } from '../alert.js';
import type { HealthReport, PoolReport } from '../report.js';
import { lastScrubEnd } from '../scans.js';

/** The longest list of each kind a report prints. */
const SHOWN = { reasons: 50, changes: 50, files: 20, devices: 100, unknown: 20 } as const;

/** The first `max` items, then a line saying how many more there are (of `total`). */
function capped(items: readonly string[], max: number, more: (n: number) => string, total = items.length): string[] {
  return total > max ? [...items.slice(0, max), more(total - Math.min(max, items.length))] : [...items];
}

/** A sentence without the `pool: ` it starts with, for lines printed under the pool's heading. */
const under = (pool: string, text: string) => (text.startsWith(`${pool}: `) ? text.slice(pool.length + 2) : text);
const bytes = (n: number) => formatNiceNumber(n, true);
const DAY_MS = 86_400_000;

function describeScan(scan: Scan): string {
  const what = `${scan.function}${scan.vdev ? ` of ${scan.vdev}` : ''}`;
  const amount = scan.repaired_bytes === null ? '' : `, ${scan.function === 'scrub' ? 'repaired' : 'resilvered'} ${bytes(scan.repaired_bytes)}`;
  const errors = scan.errors === null ? '' : `, ${scan.errors} errors`;
  const progress = scan.progress === null ? '' : `, ${scan.progress}% done`;
  const eta = scan.eta ? `, ${scan.eta} to go` : '';
  switch (scan.state) {
    case 'finished':
      return `${what} finished ${scan.end_time ?? '(time not printed)'}${amount}${errors}`;
    case 'canceled':
      return `${what} canceled ${scan.end_time ?? ''}`.trimEnd();
    case 'in_progress':
      return `${what} in progress${scan.start_time ? ` since ${scan.start_time}` : ''}${progress}${eta}${amount}`;
    case 'paused':
      return `${what} paused${progress}`;
    case 'none':
      return 'none on record';
  }
}

/** Rows worth showing: not ONLINE (available spares are fine), with errors, or annotated. */
function troubled(d: Device): boolean {
  const fine = d.state === 'ONLINE' || d.state === 'AVAIL';
  return !fine || d.read + d.write + d.cksum > 0 || d.note !== null;
}

function deviceTable(s: PoolStatus): string[] {
  const all = s.devices.filter(troubled);
  const rows = all
    .slice(0, SHOWN.devices)
    .map((d) => [printable(d.name), printable(d.state), ...[d.read, d.write, d.cksum].map((n) => formatNiceNumber(n)), printable(d.note ?? '')]);
  if (rows.length === 0) return [];
  const table = [['NAME', 'STATE', 'READ', 'WRITE', 'CKSUM', ''], ...rows];
  const widths = table[0]?.map((_, i) => table.reduce((w, r) => Math.max(w, (r[i] ?? '').length), 0)) ?? [];
  const counter = (i: number) => i >= 2 && i <= 4;
  const cells = (r: readonly string[]) => r.map((cell, i) => (counter(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)));
  const lines = table.map((r) => `    ${cells(r).join('  ').trimEnd()}`);
  return capped(lines, SHOWN.devices + 1, (n) => `    ... and ${n} more (${statusV(s)})`, all.length + 1);
}

const statusV = (s: PoolStatus) => `zpool status -v ${s.name}`;

/** The details of a pool that is not ok, under its heading; its findings are printed above, with the others'. */
function poolDetails({ status: s, capacity, assessment: a }: PoolReport): string[] {
  return [
    `${s.name}: ${s.state}, ${a.alert.toUpperCase()}`,
    ...a.notes.map((t) => `  · ${under(s.name, t)}`),
    ...scanLines(s),
    ...errorFiles(s),
    ...(capacity === null ? [] : [`  capacity: ${capacity}%`]),
    ...deviceTableSection(s),
  ];
}

/** `tank: ONLINE, last scrub 2026-11-20 (7 days ago), capacity 43%`, and what is worth a note. */
function poolLine({ status: s, capacity, assessment: a }: PoolReport, now: Date): string {
  const scrubbed = lastScrubEnd(s, null);
  const days = scrubbed === null ? 0 : Math.max(0, Math.floor((now.getTime() - Date.parse(scrubbed)) / DAY_MS));
  const age = days === 0 ? 'today' : days === 1 ? '1 day ago' : `${days} days ago`;
  const never = 'no finished scrub on record';
  // The overdue-scrub note says it already, with what to do: once is enough.
  const saidInNote = a.notes.some((t) => t.includes(never));
  return [
    `${s.name}: ${s.state}`,
    ...(scrubbed !== null ? [`last scrub ${scrubbed.slice(0, 10)} (${age})`] : saidInNote ? [] : [never]),
    ...(capacity === null ? [] : [`capacity ${capacity}%`]),
    ...a.notes.map((t) => under(s.name, t)),
  ].join(', ');
}

/** Every pool's findings, most severe first whichever pool they are of (the sort is stable). */
function findings(pools: readonly PoolReport[]): string[] {
  const all = pools.flatMap(({ assessment: a }) => a.reasons.map((text, i) => ({ text, rank: severity(a.levels[i] ?? 'warning') })));
  return all.sort((x, y) => y.rank - x.rank).map((f) => `- ${f.text}`);
}

function scanLines(s: PoolStatus): string[] {
  return [s.scan, ...s.extra_scans].map((scan, i) => `  ${i === 0 ? 'last scan' : 'also'}: ${describeScan(scan)}`);
}

function errorFiles(s: PoolStatus): string[] {
  if (s.error_files.length === 0) return [];
  const total = Math.max(s.error_files.length, s.data_errors ?? 0);
  const files = capped(s.error_files.map((f) => `    ${f}`), SHOWN.files, (n) => `    ... and ${n} more (${statusV(s)} lists them all)`, total);
  return ['  files with permanent errors:', ...files];
}

function deviceTableSection(s: PoolStatus): string[] {
  const table = deviceTable(s);
  return table.length === 0 ? [] : ['  devices that need a look:', ...table];
}

/**
 * When every pool is fine, one line a pool; when not, the findings first (most severe first, each
 * with what to do), then what is new since the last report, then the details of each pool that
 * is not fine, and a line for each that is.
 */
export function renderText(report: HealthReport, now: Date): string {
  const head = `zbk pool health: ${report.alert.toUpperCase()}`;
  const unknown = capped(report.unknown_lines.map((l) => `not understood: ${l}`), SHOWN.unknown, (n) => `... and ${n} more lines not understood`);
  const outside = [...report.notes, ...unknown];
  if (outside.length === 0 && report.pools.length === 0) outside.push('no zpool status output to read');
  const block = (lines: readonly string[]) => lines.map(printable).join('\n');
  const troubled = report.pools.filter((p) => p.assessment.alert !== 'ok');
  const fine = report.pools.filter((p) => p.assessment.alert === 'ok').map((p) => poolLine(p, now));
  const changes = report.pools.flatMap((p) => p.changes.map((c) => `  * ${c.text}`));
  const sections = [
    ...(outside.length > 0 ? [outside] : []),
    ...(troubled.length > 0 ? [capped(findings(troubled), SHOWN.reasons, (n) => `- ... and ${n} more`)] : []),
    ...(changes.length > 0 && troubled.length > 0 ? [['new since the last report:', ...capped(changes, SHOWN.changes, (n) => `  * ... and ${n} more`)]] : []),
    ...troubled.map(poolDetails),
    ...(fine.length > 0 ? [fine] : []),
  ];
  return `${[head, ...sections.map(block)].join('\n\n')}\n`;
}
