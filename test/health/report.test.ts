import test from 'ava';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { ALERTS, worstAlert, type Alert } from '../../src/health/alert.js';
import type { Thresholds } from '../../src/health/assess.js';
import type { HealthMemory } from '../../src/health/memory.js';
import type { ParsedStatus } from '../../src/health/model.js';
import { parseNiceNumber } from '../../src/health/nicenum.js';
import { parse } from '../../src/health/parse.js';
import { buildReport, hasNewTrouble, nextMemory } from '../../src/health/report.js';
import { device, holds, NOW, pool, THRESHOLDS, withLeaf } from './builders.js';

const parsed = (...pools: ParsedStatus['pools']): ParsedStatus => ({ pools, notes: [], unknown_lines: [] });

test('the report alert is the worst pool alert', (t) => {
  const report = buildReport(parsed(pool(), withLeaf(device('ada1', { cksum: 1 }), { name: 'backup' })), new Map(), THRESHOLDS, NOW);
  t.deepEqual(report.pools.map((p) => p.assessment.alert), ['ok', 'warning']);
  t.is(report.alert, 'warning');
});

test('with no pool: ok when zpool said why, unknown when nothing was understood', (t) => {
  t.is(buildReport({ pools: [], notes: ['no pools available'], unknown_lines: [] }, new Map(), THRESHOLDS, NOW).alert, 'ok');
  t.is(buildReport({ pools: [], notes: [], unknown_lines: ['zpool: not found'] }, new Map(), THRESHOLDS, NOW).alert, 'unknown');
  t.is(buildReport({ pools: [], notes: [], unknown_lines: [] }, new Map(), THRESHOLDS, NOW).alert, 'unknown');
});

test('each pool is compared with what was remembered of it; the next memory keeps pools not reported', (t) => {
  const first = buildReport(parsed(withLeaf(device('ada1', { cksum: 29 }))), new Map(), THRESHOLDS, new Date('2026-11-20T06:00:00Z'));
  const other: HealthMemory = new Map([['gone', { at: '2026-01-01T00:00:00Z', state: 'ONLINE', alert: 'ok', data_errors: 0, last_scan_end: null, last_scrub_end: null, devices: new Map() }]]);
  const memory: HealthMemory = nextMemory(first, other, new Date('2026-11-20T06:00:00Z'));
  t.deepEqual([...memory.keys()].sort(), ['gone', 'tank']);
  const later = buildReport(parsed(withLeaf(device('ada1', { cksum: 41 }))), memory, THRESHOLDS, NOW);
  t.deepEqual(later.pools[0]?.changes, [{ level: 'warning', text: 'tank: ada1: checksum errors 29 → 41 since 2026-11-20, +12' }]);
  t.true(hasNewTrouble(later));
  const same = buildReport(parsed(withLeaf(device('ada1', { cksum: 29 }))), memory, THRESHOLDS, NOW);
  t.false(hasNewTrouble(same));
});

test('an output with no pool to read is always new trouble; "no pools available" is not', (t) => {
  t.true(hasNewTrouble(buildReport({ pools: [], notes: [], unknown_lines: ['?'] }, new Map(), THRESHOLDS, NOW)));
  t.false(hasNewTrouble(buildReport({ pools: [], notes: ['no pools available'], unknown_lines: [] }, new Map(), THRESHOLDS, NOW)));
});

test('the report alert is the worst of the pool alerts, for any mix of pools', (t) => {
  const variants = [pool(), pool({ capacity: 85 }), pool({ state: 'DEGRADED' }), pool({ unknown_lines: ['?'] }), pool({ data_errors: null })];
  holds(
    t,
    fc.property(fc.array(fc.constantFrom(...variants), { minLength: 1, maxLength: 6 }), (pools) => {
      const report = buildReport(parsed(...pools.map((p, i) => ({ ...p, name: `p${i}` }))), new Map(), THRESHOLDS, NOW);
      return ALERTS.includes(report.alert) && report.alert === worstAlert(report.pools.map((p) => p.assessment.alert));
    }),
  );
});

/*
 * The shared samples: real outputs published by real systems, with the verdicts a careful admin
 * gives (../shared/samples/zpool-status/expected.json). Read as `zbk scrub-report --from-file`
 * reads them: an overdue scrub is a note there (the file's age says nothing about today).
 */
const SAMPLES = fileURLToPath(new URL('../../../shared/samples/zpool-status/', import.meta.url));
const FROM_FILE: Thresholds = { ...THRESHOLDS, overdueScrub: 'note' };

type Counter = number | string;
interface ExpectedScan {
  kind: string;
  status: string;
  repaired_bytes: number | null;
  errors: number | null;
  finished_at: string | null;
}
interface ExpectedPool {
  name: string;
  state: string;
  alert: Alert;
  scan: ExpectedScan;
  extra_scans?: ExpectedScan[];
  devices_with_errors: Array<{ name: string; read: Counter; write: Counter; cksum: Counter }>;
  data_errors: number | 'unknown';
  permanent_error_files: string[];
  permanent_errors_header_present: boolean;
}
interface Expected {
  files: Record<string, { pools: ExpectedPool[]; overall_alert: Alert }>;
}

const expectedPath = `${SAMPLES}expected.json`;
const expected: Expected | null = existsSync(expectedPath) ? (JSON.parse(readFileSync(expectedPath, 'utf8')) as Expected) : null;
const count = (c: Counter) => (typeof c === 'number' ? c : parseNiceNumber(c));
const scanOf = (s: { function: string; state: string; repaired_bytes: number | null; errors: number | null; end_time: string | null }) => ({
  kind: s.function,
  status: s.state,
  repaired_bytes: s.repaired_bytes,
  errors: s.errors,
  finished: s.end_time !== null,
});
const expectedScan = (s: ExpectedScan) => ({ kind: s.kind, status: s.status, repaired_bytes: s.repaired_bytes, errors: s.errors, finished: s.finished_at !== null });

test('the shared samples are there to check against', (t) => {
  t.truthy(expected, `${expectedPath} is missing: the parser cannot be checked against the real outputs`);
  t.true(Object.keys(expected?.files ?? {}).length > 0);
});

for (const [file, want] of Object.entries(expected?.files ?? {})) {
  test(`sample ${file}: states, alerts, devices with errors, scans and data errors as expected`, (t) => {
    const report = buildReport(parse(readFileSync(`${SAMPLES}${file}`, 'utf8'), 'UTC'), new Map(), FROM_FILE, NOW);
    t.deepEqual(report.pools.map((p) => p.status.name), want.pools.map((p) => p.name));
    t.is(report.alert, want.overall_alert);
    for (const w of want.pools) {
      const got = report.pools.find((p) => p.status.name === w.name);
      const s = got?.status;
      t.is(s?.state, w.state, w.name);
      t.is(got?.assessment.alert, w.alert, `${w.name}: ${got?.assessment.reasons.join(' / ') ?? ''}`);
      t.deepEqual(
        s?.devices.filter((d) => d.read + d.write + d.cksum > 0).map((d) => [d.name, d.read, d.write, d.cksum]),
        w.devices_with_errors.map((d) => [d.name, count(d.read), count(d.write), count(d.cksum)]),
        w.name,
      );
      t.is(s?.data_errors, w.data_errors === 'unknown' ? null : w.data_errors, w.name);
      t.deepEqual(s?.error_files, w.permanent_error_files, w.name);
      t.is(s?.permanent_errors, w.permanent_errors_header_present, w.name);
      t.deepEqual(s && scanOf(s.scan), expectedScan(w.scan), w.name);
      t.deepEqual(s?.extra_scans.map(scanOf), (w.extra_scans ?? []).map(expectedScan), w.name);
      t.deepEqual(s?.unknown_lines, [], w.name);
    }
  });
}

test('with no memory at all (a captured output), nothing is called new', (t) => {
  const parsed = parse(readFileSync(fileURLToPath(new URL('../../fixtures/zpool-status/fuse-mirror-scrub-healed-checksum-errors.txt', import.meta.url)), 'utf8'), 'UTC');
  const report = buildReport(parsed, null, { ...THRESHOLDS, maxAgeMs: null }, NOW);
  t.is(report.alert, 'warning');
  t.deepEqual(report.pools.map((p) => p.changes), [[]]);
  t.false(hasNewTrouble(report));
});
