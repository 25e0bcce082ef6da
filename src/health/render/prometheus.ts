/**
 * node_exporter textfile collector format (text exposition 0.0.4): every family with HELP and
 * TYPE, its samples together. Per pool: state (one sample per state, 1 for the current one),
 * zbk's alert, seconds since the last finished scrub, bytes the last scan repaired, data errors,
 * capacity. Per device row: READ, WRITE and CKSUM errors labelled with pool, device and state
 * (spares carry no counters and are left out), and how much each rose since the previous
 * remembered report (no sample when there is nothing to measure from: no previous report, a
 * new device, counters cleared).
 */
import { nagiosExitCode } from '../alert.js';
import type { Device, PoolStatus } from '../model.js';
import type { HealthReport, PoolReport } from '../report.js';
import { lastScrubEnd } from '../scans.js';

const POOL_STATES = ['ONLINE', 'DEGRADED', 'FAULTED', 'OFFLINE', 'UNAVAIL', 'REMOVED', 'SUSPENDED'];

type Labels = Readonly<Record<string, string>>;

export interface Sample {
  readonly labels: Labels;
  readonly value: number;
}

interface Family {
  readonly name: string;
  readonly help: string;
  readonly samples: (p: PoolReport, now: Date) => Sample[];
}

/** A label value with backslash, double quote and newline escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

const escapeHelp = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  return v === -Infinity ? '-Inf' : String(v);
}

function line(name: string, { labels, value }: Sample): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return `${name}{${pairs.join(',')}} ${formatValue(value)}`;
}

const pool = (s: PoolStatus) => ({ pool: s.name });
const counted = (s: PoolStatus) => s.devices.filter((d) => d.group !== 'spares');
const deviceLabels = (s: PoolStatus, d: Device) => ({ pool: s.name, device: d.name, state: d.state });

function deviceFamily(what: 'read' | 'write' | 'cksum', name: string, column: string): Family {
  return {
    name,
    help: `${column} errors of a row of the zpool status config table, since the last zpool clear.`,
    samples: ({ status: s }) => counted(s).map((d) => ({ labels: deviceLabels(s, d), value: d[what] })),
  };
}

function riseFamily(what: 'read' | 'write' | 'cksum', name: string, column: string): Family {
  return {
    name,
    help: `How much the ${column} errors of a row grew since the previous remembered report; absent when cleared or new.`,
    samples: ({ status: s, rises }) =>
      s.devices.flatMap((d, i) => {
        const rise = rises[i];
        return rise ? [{ labels: deviceLabels(s, d), value: rise[what] }] : [];
      }),
  };
}

const FAMILIES: readonly Family[] = [
  {
    name: 'zbk_pool_state',
    help: 'Pool state from zpool status: 1 for the current state, 0 for the others.',
    samples: ({ status: s }) =>
      [...new Set([...POOL_STATES, s.state])].map((state) => ({ labels: { ...pool(s), state }, value: state === s.state ? 1 : 0 })),
  },
  {
    name: 'zbk_pool_alert',
    help: "zbk's verdict on the pool, as Nagios codes: 0 ok, 1 warning, 2 critical, 3 unknown.",
    samples: ({ status: s, assessment }) => [{ labels: pool(s), value: nagiosExitCode(assessment.alert) }],
  },
  {
    name: 'zbk_pool_last_scrub_age_seconds',
    help: 'Seconds since the last finished scrub; +Inf when none is on record.',
    samples: ({ status: s }, now) => {
      const last = lastScrubEnd(s, null);
      return [{ labels: pool(s), value: last === null ? Infinity : Math.max(0, Math.round((now.getTime() - Date.parse(last)) / 1000)) }];
    },
  },
  {
    name: 'zbk_pool_scan_repaired_bytes',
    help: 'Bytes the last scan repaired (scrub) or resilvered (resilver), so far while it runs.',
    samples: ({ status: s }) =>
      s.scan.repaired_bytes === null ? [] : [{ labels: { ...pool(s), function: s.scan.function }, value: s.scan.repaired_bytes }],
  },
  {
    name: 'zbk_pool_data_errors',
    help: 'Files or objects with permanent errors; NaN when the output does not say.',
    samples: ({ status: s }) => [{ labels: pool(s), value: s.data_errors ?? NaN }],
  },
  {
    name: 'zbk_pool_capacity_ratio',
    help: 'Fraction of the pool in use (when the status output carries sizes).',
    samples: ({ status: s, capacity }) => (capacity === null ? [] : [{ labels: pool(s), value: capacity / 100 }]),
  },
  deviceFamily('read', 'zbk_device_read_errors', 'READ'),
  deviceFamily('write', 'zbk_device_write_errors', 'WRITE'),
  deviceFamily('cksum', 'zbk_device_checksum_errors', 'CKSUM'),
  riseFamily('read', 'zbk_device_read_errors_rise', 'READ'),
  riseFamily('write', 'zbk_device_write_errors_rise', 'WRITE'),
  riseFamily('cksum', 'zbk_device_checksum_errors_rise', 'CKSUM'),
];

export function renderPrometheus(report: HealthReport, now: Date): string {
  return renderGauges(FAMILIES.map((f) => ({ name: f.name, help: f.help, samples: report.pools.flatMap((p) => f.samples(p, now)) })));
}

/** Gauge families in the exposition format, each with HELP and TYPE and its samples together (also `zbk status`'s). */
export function renderGauges(families: readonly { readonly name: string; readonly help: string; readonly samples: readonly Sample[] }[]): string {
  return families
    .flatMap((f) => [`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} gauge`, ...f.samples.map((s) => line(f.name, s))])
    .map((l) => `${l}\n`)
    .join('');
}
