/** Counters that climb: the rise since the previous remembered report, and the disk whose errors rose twice in a row. */
import test from 'ava';
import fc from 'fast-check';
import { assess } from '../../src/health/assess.js';
import { remember } from '../../src/health/memory.js';
import type { PoolMemory } from '../../src/health/remembered.js';
import type { Device } from '../../src/health/model.js';
import { riseOf, rose } from '../../src/health/rise.js';
import { device, holds, pool, THRESHOLDS, withLeaf } from './builders.js';

const at = (day: number) => new Date(Date.UTC(2026, 10, day, 4));
/** The memory of `tank` after a report at each of `days`, ada1 showing the given checksum counts. */
function history(counts: readonly number[]): PoolMemory | null {
  return counts.reduce<PoolMemory | null>((previous, cksum, i) => remember(withLeaf(device('ada1', { cksum })), 'warning', at(10 + i * 7), previous), null);
}
const judge = (leaf: Device, previous: PoolMemory | null) => assess(withLeaf(leaf), previous, { ...THRESHOLDS, maxAgeMs: null }, at(30));

test('the rise is the growth of each counter since the previous report, with its instant', (t) => {
  t.deepEqual(riseOf(device('ada1', { read: 1, cksum: 60 }), history([17])), { read: 1, write: 0, cksum: 43, since: '2026-11-10T04:00:00Z' });
  t.deepEqual(riseOf(device('ada1', { cksum: 17 }), history([17])), { read: 0, write: 0, cksum: 0, since: '2026-11-10T04:00:00Z' });
});

test('no rise with no previous report, for a device new since, after a clear, or for a spare', (t) => {
  t.is(riseOf(device('ada1', { cksum: 3 }), null), null);
  t.is(riseOf(device('ada7', { cksum: 3 }), history([0])), null);
  t.is(riseOf(device('ada1', { read: 4, cksum: 2 }), history([17])), null, 'cksum fell: cleared, whatever the others did');
  t.is(riseOf(device('ada1', { group: 'spares', state: 'AVAIL' }), history([0])), null);
});

test('a rise is never negative, and null exactly when there is no baseline or a counter fell', (t) => {
  const counters = fc.record({ read: fc.nat(), write: fc.nat(), cksum: fc.nat() });
  holds(
    t,
    fc.property(fc.option(counters), counters, (before, now) => {
      const previous = before === null ? null : remember(pool({ devices: [device('ada1', before)] }), 'ok', at(1), null);
      const rise = riseOf(device('ada1', now), previous);
      const fell = before !== null && (now.read < before.read || now.write < before.write || now.cksum < before.cksum);
      if (rise === null) return before === null || fell;
      return !fell && rise.read >= 0 && rise.write >= 0 && rise.cksum >= 0 && rise.read + before!.read === now.read && rise.cksum + before!.cksum === now.cksum;
    }),
  );
});

test('3, then 17, then 60 checksum errors a week apart: the third report warns to replace the disk, with its rise', (t) => {
  const v = judge(device('ada1', { cksum: 60 }), history([3, 17]));
  t.is(v.alert, 'warning');
  t.is(v.reasons[0], 'tank: ada1: checksum errors 17 → 60 since 2026-11-17, +43, the second rise in a row — replace it soon: `zpool replace tank ada1 NEW-DEVICE`');
  t.deepEqual(v.levels, v.reasons.map(() => 'warning'));
});

test('one rise is not two in a row; reports that saw no change between do not break the run, a clear does', (t) => {
  const replace = (v: { reasons: readonly string[] }) => v.reasons.some((r) => r.includes('replace it soon'));
  t.false(replace(judge(device('ada1', { cksum: 17 }), history([3]))), 'the first rise');
  t.false(replace(judge(device('ada1', { cksum: 17 }), history([3, 17]))), 'no rise since');
  t.true(replace(judge(device('ada1', { cksum: 60 }), history([3, 17, 17, 17, 17]))), 'daily mails between weekly scrubs');
  t.false(replace(judge(device('ada1', { cksum: 60 }), history([3, 17, 0]))), 'cleared at the report before: a new baseline');
  t.false(replace(judge(device('ada1', { cksum: 5 }), history([0, 0, 0]))), 'the first rise after a steady zero');
  t.false(replace(judge(device('ada1', { cksum: 5 }), history([3, 17]))), 'cleared since');
  t.true(replace(judge(device('ada1', { cksum: 9 }), history([3, 17, 0, 4]))), 'rising again after the clear, twice');
});

test('whatever the counts, "replace it soon" comes exactly when the counters rose now and their last change before was a rise', (t) => {
  holds(
    t,
    fc.property(fc.array(fc.nat({ max: 20 }), { minLength: 1, maxLength: 8 }), fc.nat({ max: 20 }), (counts, now) => {
      const v = judge(device('ada1', { cksum: now }), history(counts));
      const changes = counts.slice(1).map((c, i) => Math.sign(c - (counts[i] ?? 0))).filter((d) => d !== 0);
      const twice = now > (counts.at(-1) ?? 0) && changes.at(-1) === 1;
      return v.reasons.some((r) => r.includes('replace it soon')) === twice && (twice ? v.alert !== 'ok' : true);
    }),
  );
});

test('rose is a type guard that says whether anything grew', (t) => {
  t.false(rose(null));
  t.false(rose({ read: 0, write: 0, cksum: 0, since: '2026-11-25T04:00:00Z' }));
  t.true(rose({ read: 0, write: 1, cksum: 0, since: '2026-11-25T04:00:00Z' }));
});
