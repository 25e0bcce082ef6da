/** Target retention (src/replicate/target-prune.ts): the source's planner on what is provably zbk's. */
import test from 'ava';
import fc from 'fast-check';
import { planTargetPrune } from '../../src/replicate/target-prune.js';
import type { Side } from '../../src/replicate/plan.js';
import type { Policy } from '../../src/retention/policy.js';
import { assertProperty } from '../retention/property.js';

const night = (day: number) => `zbk_2026-10-${String(day).padStart(2, '0')}T030000Z`;
const s = (day: number): Side => ({ name: night(day), guid: String(1000 + day) });
const o = (base: string | null) => ({ now: new Date('2026-10-31T12:00:00Z'), timeZone: 'UTC', prefix: 'zbk', base });
const KEEP_2: Policy = { keep_last: 2 };
const destroyed = (plan: ReturnType<typeof planTargetPrune>) => plan.snapshots.filter((p) => p.action === 'destroy').map((p) => p.name);

test('the policy on the copies: keep_last 2 keeps the two newest, the rest go', (t) => {
  const target = [1, 2, 3, 4, 5].map(s);
  const plan = planTargetPrune(target, new Set(target.map((x) => x.guid)), KEEP_2, o(night(5)));
  t.deepEqual(destroyed(plan), [night(3), night(2), night(1)]);
  t.deepEqual(plan.snapshots[0]!.reasons, ['newest', 'replica base', 'last 1/2']);
  t.deepEqual(plan.foreign, []);
});

test('the base of the next send is kept whatever the policy, with the reason "replica base"', (t) => {
  const target = [1, 2, 3, 4, 5].map(s);
  const plan = planTargetPrune(target, new Set(target.map((x) => x.guid)), { keep_last: 1 }, o(night(2)));
  t.deepEqual(destroyed(plan), [night(4), night(3), night(1)]);
  t.deepEqual(plan.snapshots.find((p) => p.name === night(2))?.reasons, ['replica base']);
});

test('a zbk name zbk did not send (its guid neither the source\'s nor delivered) is foreign: never touched', (t) => {
  const planted = { name: night(3), guid: '31337' };
  const target = [s(1), s(2), planted, s(4), s(5)];
  const known = new Set([s(1), s(2), s(4), s(5)].map((x) => x.guid));
  const plan = planTargetPrune(target, known, KEEP_2, o(night(5)));
  t.deepEqual(plan.foreign, [night(3)]);
  t.deepEqual(destroyed(plan), [night(2), night(1)]);
});

test('names zbk did not make are foreign even with a known guid (carried along by -I)', (t) => {
  const manual = { name: 'manual-before-upgrade', guid: '77' };
  const target = [s(1), manual, s(2), s(3)];
  const plan = planTargetPrune(target, new Set(target.map((x) => x.guid)), KEEP_2, o(night(3)));
  t.deepEqual(plan.foreign, ['manual-before-upgrade']);
  t.deepEqual(destroyed(plan), [night(1)]);
});

test('a delivered guid proves a copy zbk\'s after the source pruned it', (t) => {
  const target = [1, 2, 3].map(s);
  const delivered = new Set(['1001', '1002', '1003']);
  t.deepEqual(destroyed(planTargetPrune(target, delivered, { keep_last: 1 }, o(night(3)))), [night(2), night(1)]);
});

test('no base (none yet): the newest is still kept', (t) => {
  const target = [1, 2].map(s);
  t.deepEqual(destroyed(planTargetPrune(target, new Set(['1001', '1002']), { keep_last: 1 }, o(null))), [night(1)]);
});

const scenario = fc
  .record({
    days: fc.uniqueArray(fc.integer({ min: 1, max: 31 }), { minLength: 1, maxLength: 20 }),
    known: fc.array(fc.boolean(), { minLength: 31, maxLength: 31 }),
    foreign: fc.array(fc.constantFrom('manual-a', 'zbk_bad', 'zbk_2026-10-40T030000Z'), { maxLength: 3 }),
    keep: fc.integer({ min: 1, max: 5 }),
    baseAt: fc.nat(),
  })
  .map(({ days, known, foreign, keep, baseAt }) => {
    const sorted = [...days].sort((a, b) => a - b);
    const target = [...sorted.map(s), ...[...new Set(foreign)].map((name, i) => ({ name, guid: String(500 + i) }))];
    const guids = new Set(sorted.filter((d) => known[d - 1]).map((d) => String(1000 + d)));
    const provable = sorted.filter((d) => known[d - 1]);
    const base = provable.length > 0 ? night(provable[baseAt % provable.length]!) : null;
    return { target, guids, keep, base };
  });

test('property: never the newest provable copy, never the base, never one not provably zbk\'s; every name accounted for once', (t) => {
  assertProperty(t, fc.property(scenario, ({ target, guids, keep, base }) => {
    const plan = planTargetPrune(target, guids, { keep_last: keep }, o(base));
    const gone = destroyed(plan);
    const provable = target.filter((x) => guids.has(x.guid) && x.name.startsWith('zbk_2026-10-') && x.name.length === 'zbk_2026-10-01T030000Z'.length);
    const newest = provable[provable.length - 1]?.name;
    const names = [...plan.snapshots.map((p) => p.name), ...plan.foreign].sort();
    return (
      !gone.includes(newest ?? '\0') &&
      !gone.includes(base ?? '\0') &&
      gone.every((n) => provable.some((x) => x.name === n)) &&
      JSON.stringify(names) === JSON.stringify(target.map((x) => x.name).sort())
    );
  }));
});
