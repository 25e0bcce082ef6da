import test from 'ava';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { ALERTS, worstAlert } from '../../src/health/alert.js';
import type { HealthMemory } from '../../src/health/remembered.js';
import type { ParsedStatus } from '../../src/health/model.js';
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

test('with no memory at all (a captured output), nothing is called new', (t) => {
  const parsed = parse(readFileSync(fileURLToPath(new URL('../../fixtures/zpool-status/fuse-mirror-scrub-healed-checksum-errors.txt', import.meta.url)), 'utf8'), 'text', 'UTC');
  const report = buildReport(parsed, null, { ...THRESHOLDS, maxAgeMs: null }, NOW);
  t.is(report.alert, 'warning');
  t.deepEqual(report.pools.map((p) => p.changes), [[]]);
  t.false(hasNewTrouble(report));
});

test('capacity is the report\'s own field: zpool list\'s value first, else what the status output said', (t) => {
  const [listed, said, none] = buildReport(parsed(pool({ name: 'a', capacity: 10 }), pool({ name: 'b', capacity: 85 }), pool({ name: 'c' })), null, THRESHOLDS, NOW, new Map([['a', 93]])).pools;
  t.like(listed, { capacity: 93, status: { capacity: 10 }, assessment: { alert: 'critical' } });
  t.like(said, { capacity: 85, assessment: { alert: 'warning' } });
  t.like(none, { capacity: null, assessment: { alert: 'ok' } });
});
