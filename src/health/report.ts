/**
 * One pool-health report: every pool of a parsed output assessed against the thresholds and
 * compared with what the previous report remembered. The renderers print it; the caller stores
 * `nextMemory` for the next run.
 */
import { worstAlert, type Alert } from './alert.js';
import { assess, type Assessment, type Thresholds } from './assess.js';
import { changesSince, isTrouble, remember, type Change } from './memory.js';
import type { ParsedStatus, PoolStatus, Rise } from './model.js';
import type { HealthMemory } from './remembered.js';
import { riseOf } from './rise.js';

export interface PoolReport {
  readonly status: PoolStatus;
  /** Percent of the pool in use: from `zpool list` when read, else what the status output said (`-j` sizes), else null. */
  readonly capacity: number | null;
  readonly assessment: Assessment;
  /** What is new since the previous report. */
  readonly changes: readonly Change[];
  /** Each row of `status.devices`, in order: its rise since the previous report, or null. */
  readonly rises: readonly (Rise | null)[];
}

export interface HealthReport {
  /** The worst pool's; with no pool, `unknown` unless the output said why (`no pools available`). */
  readonly alert: Alert;
  readonly pools: readonly PoolReport[];
  readonly notes: readonly string[];
  readonly unknown_lines: readonly string[];
}

/**
 * `memory` null: there is nothing to compare with (a captured output), so nothing is called new.
 * `capacities`: each pool's use from `zpool list`, by pool name.
 */
export function buildReport(
  parsed: ParsedStatus,
  memory: HealthMemory | null,
  thresholds: Thresholds,
  now: Date,
  capacities: ReadonlyMap<string, number> = new Map(),
): HealthReport {
  const pools = parsed.pools.map((status) => {
    const previous = memory?.get(status.name) ?? null;
    const capacity = capacities.get(status.name) ?? status.capacity;
    const assessment = assess(status, previous, thresholds, now, capacity);
    return {
      status,
      capacity,
      assessment,
      changes: memory === null ? [] : changesSince(status, assessment, previous),
      rises: status.devices.map((d) => riseOf(d, previous)),
    };
  });
  const understood = parsed.unknown_lines.length === 0 && parsed.notes.length > 0;
  const alert = pools.length > 0 ? worstAlert(pools.map((p) => p.assessment.alert)) : understood ? 'ok' : 'unknown';
  return { alert, pools, notes: parsed.notes, unknown_lines: parsed.unknown_lines };
}

/** The memory to keep for the next report: this report's pools, and pools it did not mention. */
export function nextMemory(report: HealthReport, memory: HealthMemory, now: Date): HealthMemory {
  const next = new Map(memory);
  for (const p of report.pools) next.set(p.status.name, remember(p.status, p.assessment.alert, now, memory.get(p.status.name) ?? null));
  return next;
}

/** `--new-only`: something at warning or above is new (an output with no pool to read always is). */
export function hasNewTrouble(report: HealthReport): boolean {
  return report.pools.length === 0 ? report.alert !== 'ok' : report.pools.some((p) => p.changes.some(isTrouble));
}
