/** Pools, devices and scans for the health tests: a healthy two-way mirror `tank`, changed as each test needs. */
import type { ExecutionContext } from 'ava';
import fc from 'fast-check';
import type { Thresholds } from '../../src/health/assess.js';
import { NO_SCAN, type Device, type PoolStatus, type Scan } from '../../src/health/model.js';

export const NOW = new Date('2026-11-27T06:00:00Z');
export const DAY_MS = 86_400_000;
export const THRESHOLDS: Thresholds = { maxAgeMs: 35 * DAY_MS, capacityWarn: 80, capacityCrit: 90 };

export function device(name: string, over: Partial<Device> = {}): Device {
  return { name, state: 'ONLINE', read: 0, write: 0, cksum: 0, note: null, depth: 2, role: 'leaf', group: 'data', ...over };
}

export function scan(over: Partial<Scan> = {}): Scan {
  return { ...NO_SCAN, function: 'scrub', state: 'finished', repaired_bytes: 0, errors: 0, end_time: '2026-11-20T04:00:00Z', ...over };
}

export function pool(over: Partial<PoolStatus> = {}): PoolStatus {
  return {
    name: 'tank',
    state: 'ONLINE',
    status: null,
    action: null,
    status_id: null,
    scan: scan(),
    extra_scans: [],
    devices: [device('tank', { depth: 0, role: 'pool' }), device('mirror-0', { depth: 1, role: 'vdev' }), device('ada0'), device('ada1')],
    data_errors: 0,
    error_files: [],
    permanent_errors: false,
    capacity: null,
    unknown_lines: [],
    unfamiliar_lines: [],
    ...over,
  };
}

/** `tank` with one leaf replaced by `leaf`. */
export function withLeaf(leaf: Device, over: Partial<PoolStatus> = {}): PoolStatus {
  const base = pool(over);
  return { ...base, devices: base.devices.map((d) => (d.name === leaf.name ? leaf : d)) };
}

/** A fast-check property as an assertion: a counterexample fails the test with fast-check's report. */
export function holds<Ts>(t: ExecutionContext, property: fc.IRawProperty<Ts>): void {
  t.notThrows(() => fc.assert(property));
}
