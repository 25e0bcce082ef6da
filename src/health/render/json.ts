/**
 * `zbk scrub-report --format json`: exactly the shape zbk(8) gives, keys in its order.
 * JSON.stringify escapes C0 controls; DEL, C1 controls and bidi overrides are escaped too
 * (`\u202e`), so the text is safe on a terminal and parses to the same data.
 */
import { jsonPrintable } from '../../util/printable.js';
import type { Alert } from '../alert.js';
import type { Device, Rise, ScanFunction, ScanState } from '../model.js';
import type { HealthReport, PoolReport } from '../report.js';

interface ScrubReportJson {
  readonly alert: Alert;
  readonly pools: readonly PoolJson[];
}

interface PoolJson {
  readonly name: string;
  readonly state: string;
  readonly alert: Alert;
  readonly reasons: readonly string[];
  readonly status_id: string | null;
  readonly scan: {
    readonly function: ScanFunction;
    readonly state: ScanState;
    readonly repaired_bytes: number | null;
    readonly errors: number | null;
    readonly end_time: string | null;
    readonly progress: number | null;
  };
  readonly devices: ReadonlyArray<Pick<Device, 'name' | 'state' | 'read' | 'write' | 'cksum' | 'note'> & { readonly rise: Rise | null }>;
  readonly data_errors: number | null;
  readonly error_files: readonly string[];
  readonly capacity: number | null;
}

function poolJson({ status: s, capacity, assessment: a, rises }: PoolReport): PoolJson {
  return {
    name: s.name,
    state: s.state,
    alert: a.alert,
    reasons: a.reasons,
    status_id: s.status_id,
    scan: {
      function: s.scan.function,
      state: s.scan.state,
      repaired_bytes: s.scan.repaired_bytes,
      errors: s.scan.errors,
      end_time: s.scan.end_time,
      progress: s.scan.progress,
    },
    devices: s.devices.map((d, i) => ({ name: d.name, state: d.state, read: d.read, write: d.write, cksum: d.cksum, note: d.note, rise: rises[i] ?? null })),
    data_errors: s.data_errors,
    error_files: s.error_files,
    capacity,
  };
}

export function toJson(report: HealthReport): ScrubReportJson {
  return { alert: report.alert, pools: report.pools.map(poolJson) };
}

export function renderJson(report: HealthReport): string {
  return `${jsonPrintable(JSON.stringify(toJson(report), null, 2))}\n`;
}
