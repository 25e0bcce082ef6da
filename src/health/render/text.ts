/**
 * The report for people: the daily periodic(8) mail and the terminal. Per pool: its state and
 * verdict, what is wrong and what to do, what is new since the last report, the last scan, and
 * the devices that are not well.
 */
import type { Device, PoolStatus, Scan } from '../model.js';
import { formatNiceNumber } from '../nicenum.js';
import type { HealthReport, PoolReport } from '../report.js';

/** A sentence without the `pool: ` it starts with, for lines printed under the pool's heading. */
const under = (pool: string, text: string) => (text.startsWith(`${pool}: `) ? text.slice(pool.length + 2) : text);
const bytes = (n: number) => formatNiceNumber(n, true);

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

function deviceTable(devices: readonly Device[]): string[] {
  const rows = devices.filter(troubled).map((d) => [d.name, d.state, ...[d.read, d.write, d.cksum].map((n) => formatNiceNumber(n)), d.note ?? '']);
  if (rows.length === 0) return [];
  const table = [['NAME', 'STATE', 'READ', 'WRITE', 'CKSUM', ''], ...rows];
  const widths = table[0]?.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length))) ?? [];
  const counter = (i: number) => i >= 2 && i <= 4;
  const cells = (r: readonly string[]) => r.map((cell, i) => (counter(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)));
  return table.map((r) => `    ${cells(r).join('  ').trimEnd()}`);
}

function poolSection({ status: s, assessment: a, changes }: PoolReport): string[] {
  const list = (items: readonly string[], mark: string) => items.map((t) => `  ${mark} ${under(s.name, t)}`);
  return [
    `${s.name}: ${s.state}, ${a.alert.toUpperCase()}`,
    ...list(a.reasons, '-'),
    ...(changes.length > 0 ? ['  new since the last report:', ...list(changes.map((c) => c.text), '  *')] : []),
    ...list(a.notes, '·'),
    ...scanLines(s),
    ...errorFiles(s),
    ...(s.capacity === null ? [] : [`  capacity: ${s.capacity}%`]),
    ...deviceTableSection(s),
  ];
}

function scanLines(s: PoolStatus): string[] {
  return [s.scan, ...s.extra_scans].map((scan, i) => `  ${i === 0 ? 'last scan' : 'also'}: ${describeScan(scan)}`);
}

function errorFiles(s: PoolStatus): string[] {
  return s.error_files.length === 0 ? [] : ['  files with permanent errors:', ...s.error_files.map((f) => `    ${f}`)];
}

function deviceTableSection(s: PoolStatus): string[] {
  const table = deviceTable(s.devices);
  return table.length === 0 ? [] : ['  devices that need a look:', ...table];
}

export function renderText(report: HealthReport): string {
  const head = `zbk pool health: ${report.alert.toUpperCase()}`;
  const outside = [...report.notes, ...report.unknown_lines.map((l) => `not understood: ${l}`)];
  if (outside.length === 0 && report.pools.length === 0) outside.push('no zpool status output to read');
  const sections = report.pools.map((p) => poolSection(p).join('\n'));
  return `${[head, ...(outside.length > 0 ? [outside.join('\n')] : []), ...sections].join('\n\n')}\n`;
}
