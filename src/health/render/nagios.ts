/**
 * One line for Nagios/Icinga: `ZBK POOLS WARNING - tank: ... | perfdata`, with the most severe
 * reason of each pool that is not ok, and the plugin exit code. Perfdata per pool: error
 * counters summed over the leaf devices, data errors and capacity when known, seconds since the
 * last finished scrub when there is one.
 */
import { printable } from '../../util/printable.js';
import type { HealthReport, PoolReport } from '../report.js';
import { lastScrubEnd } from '../scans.js';

/**
 * Text that cannot break the line: `|` starts perfdata, a newline ends the plugin's first line;
 * other controls from outside are escaped.
 */
const flat = (text: string) => printable(text.replace(/\|/g, '/').replace(/\s*\n\s*/g, ' '));

/** A quoted perfdata label (a quote inside is doubled; `=` would end it, controls are escaped). */
const label = (pool: string, what: string) => `'${printable(`${pool}_${what}`).replace(/'/g, "''").replace(/=/g, '_')}'`;

function summary(report: HealthReport): string {
  const troubled = report.pools.filter((p) => p.assessment.alert !== 'ok');
  const worst = ({ assessment: { reasons } }: PoolReport) => `${reasons[0] ?? ''}${reasons.length > 1 ? ` (+${reasons.length - 1} more)` : ''}`;
  if (troubled.length > 0) return troubled.map(worst).join('; ');
  const n = report.pools.length;
  if (n > 0) return `${n} pool${n === 1 ? '' : 's'} healthy: ${report.pools.map((p) => p.status.name).join(', ')}`;
  if (report.unknown_lines.length > 0) return `zpool status output not understood: "${report.unknown_lines[0] ?? ''}"`;
  return report.notes.join('; ') || 'no zpool status output';
}

function perfdata({ status: s, capacity }: PoolReport, now: Date): string[] {
  const leaves = s.devices.filter((d) => d.role === 'leaf');
  const sum = (k: 'read' | 'write' | 'cksum') => leaves.reduce((n, d) => n + d[k], 0);
  const scrubbed = lastScrubEnd(s, null);
  return [
    `${label(s.name, 'read_errors')}=${sum('read')}c`,
    `${label(s.name, 'write_errors')}=${sum('write')}c`,
    `${label(s.name, 'cksum_errors')}=${sum('cksum')}c`,
    ...(s.data_errors === null ? [] : [`${label(s.name, 'data_errors')}=${s.data_errors};;1;0`]),
    ...(capacity === null ? [] : [`${label(s.name, 'capacity')}=${capacity}%;;;0;100`]),
    ...(scrubbed === null ? [] : [`${label(s.name, 'scrub_age')}=${Math.max(0, Math.round((now.getTime() - Date.parse(scrubbed)) / 1000))}s;;;0`]),
  ];
}

export function renderNagios(report: HealthReport, now: Date): string {
  const perf = report.pools.flatMap((p) => perfdata(p, now));
  return `ZBK POOLS ${report.alert.toUpperCase()} - ${flat(summary(report))}${perf.length > 0 ? ` | ${perf.join(' ')}` : ''}\n`;
}
