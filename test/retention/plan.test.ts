import test from 'ava';
import fc from 'fast-check';
import { formatSnapshotName } from '../../src/retention/naming.js';
import { newestAfterNow, plan, type Plan, type PlanOptions, type SnapshotInput } from '../../src/retention/plan.js';
import { validatePolicy, type Policy } from '../../src/retention/policy.js';
import { parseDuration, type Duration } from '../../src/util/duration.js';
import { assertProperty } from './property.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const duration = (text: string) => parseDuration(text) as Duration;
const name = (iso: string) => formatSnapshotName('zbk', new Date(iso));
const options = (now: string, timeZone = 'Europe/Athens'): PlanOptions => ({ now: new Date(now), timeZone, prefix: 'zbk' });
const kept = (result: Plan) => result.snapshots.filter((s) => s.action === 'keep').map((s) => [s.name, s.reasons.join(', ')]);

/** Daily snapshots at 03:00 UTC over [from, to], oldest first as zfs lists them. */
function nightly(from: string, to: string, skip: (day: string) => boolean = () => false): SnapshotInput[] {
  const snapshots: SnapshotInput[] = [];
  for (let at = new Date(`${from}T03:00:00Z`).getTime(); at <= new Date(`${to}T03:00:00Z`).getTime(); at += DAY) {
    const iso = new Date(at).toISOString();
    if (!skip(iso.slice(0, 10))) snapshots.push({ name: formatSnapshotName('zbk', new Date(at)) });
  }
  return snapshots;
}

test('400 nights with a 14-day gap, daily 7, weekly 4, monthly 6, yearly 1: the survivors', (t) => {
  // 2025-10-09 .. 2026-11-26 is 414 nights; the box was off 2026-11-10 .. 2026-11-23, 14 of them.
  const snapshots = nightly('2025-10-09', '2026-11-26', (day) => day >= '2026-11-10' && day <= '2026-11-23');
  t.is(snapshots.length, 400);
  const result = plan(snapshots, { daily: 7, weekly: 4, monthly: 6, yearly: 1 }, options('2026-11-26T03:30:00Z'));
  // By hand (03:00 UTC is 05:00 or 06:00 in Athens, the same day):
  // - daily 7: the last 7 days with a snapshot: 26, 25, 24 November, then across the gap 9, 8, 7, 6 November.
  // - weekly 4: 2026-11-26 is a Thursday. Weeks with a snapshot, newest first: 23–29 Nov (newest the 26th),
  //   9–15 Nov (only the 9th; the empty week 16–22 Nov uses nothing up), 2–8 Nov (the 8th), 26 Oct–1 Nov (the 1st).
  // - monthly 6: the last night of each month back from November: 26 Nov, 31 Oct, 30 Sep, 31 Aug, 31 Jul, 30 Jun.
  // - yearly 1: 26 Nov 2026, also the newest.
  t.deepEqual(kept(result), [
    [name('2026-11-26T03:00:00Z'), 'newest, daily 1/7, weekly 1/4, monthly 1/6, yearly 1/1'],
    [name('2026-11-25T03:00:00Z'), 'daily 2/7'],
    [name('2026-11-24T03:00:00Z'), 'daily 3/7'],
    [name('2026-11-09T03:00:00Z'), 'daily 4/7, weekly 2/4'],
    [name('2026-11-08T03:00:00Z'), 'daily 5/7, weekly 3/4'],
    [name('2026-11-07T03:00:00Z'), 'daily 6/7'],
    [name('2026-11-06T03:00:00Z'), 'daily 7/7'],
    [name('2026-11-01T03:00:00Z'), 'weekly 4/4'],
    [name('2026-10-31T03:00:00Z'), 'monthly 2/6'],
    [name('2026-09-30T03:00:00Z'), 'monthly 3/6'],
    [name('2026-08-31T03:00:00Z'), 'monthly 4/6'],
    [name('2026-07-31T03:00:00Z'), 'monthly 5/6'],
    [name('2026-06-30T03:00:00Z'), 'monthly 6/6'],
  ]);
  t.is(result.snapshots.filter((s) => s.action === 'destroy').length, 387);
  t.true(result.snapshots.filter((s) => s.action === 'destroy').every((s) => s.reasons.length === 0));
});

test('snapshots zbk did not name are listed as foreign, in the order given, and never planned', (t) => {
  const result = plan(
    [{ name: 'manual-before-upgrade' }, { name: name('2026-11-26T03:00:00Z') }, { name: 'zbk_notadate' }, { name: 'other_2026-11-25T030000Z' }],
    { keep_last: 1 },
    options('2026-11-26T04:00:00Z'),
  );
  t.deepEqual(result.foreign, ['manual-before-upgrade', 'zbk_notadate', 'other_2026-11-25T030000Z']);
  t.deepEqual(result.snapshots.map((s) => s.name), [name('2026-11-26T03:00:00Z')]);
});

test('the newest, held snapshots and snapshots after now are kept whatever the policy says', (t) => {
  const snapshots = [
    { name: name('2026-11-20T03:00:00Z'), held: true },
    { name: name('2026-11-24T03:00:00Z') },
    { name: name('2026-11-22T03:00:00Z') },
    { name: name('2026-11-27T03:00:00Z') },
    { name: name('2026-11-28T03:00:00Z') },
  ];
  const result = plan(snapshots, { keep_last: 1 }, options('2026-11-26T04:00:00Z'));
  t.deepEqual(kept(result), [
    [name('2026-11-28T03:00:00Z'), 'newest, in the future'],
    [name('2026-11-27T03:00:00Z'), 'in the future'],
    [name('2026-11-24T03:00:00Z'), 'last 1/1'], // the rules count from the newest up to now
    [name('2026-11-20T03:00:00Z'), 'held'],
  ]);
});

test('reasons come in a fixed order: newest, held, then the rules as the config lists them', (t) => {
  const policy = { keep_last: 3, keep_within: duration('2d'), hourly: 24, daily: 14, weekly: 8, monthly: 12, yearly: 3 };
  const result = plan([{ name: name('2026-11-26T03:00:00Z'), held: true }], policy, options('2026-11-26T04:00:00Z'));
  t.deepEqual(result.snapshots[0]?.reasons, [
    'newest', 'held', 'last 1/3', 'within 2d', 'hourly 1/24', 'daily 1/14', 'weekly 1/8', 'monthly 1/12', 'yearly 1/3',
  ]);
});

test('a box back after three months off prunes by its snapshots, not by the calendar: keep_within counts from the newest', (t) => {
  const snapshots = nightly('2026-07-01', '2026-08-31');
  const result = plan(snapshots, { keep_within: duration('1w') }, options('2026-11-30T03:00:00Z'));
  t.deepEqual(
    kept(result).map(([snapshot]) => snapshot),
    ['31', '30', '29', '28', '27', '26', '25', '24'].map((day) => name(`2026-08-${day}T03:00:00Z`)),
  );
});

test('a clock gone backwards costs no history: later snapshots are kept and newestAfterNow tells', (t) => {
  const history = nightly('2026-11-01', '2026-11-26');
  const taken = { name: name('2020-01-01T00:00:00Z') }; // the CMOS battery died
  const now = new Date('2020-01-01T00:00:05Z');
  const result = plan([...history, taken], { daily: 3 }, { ...options('2026-11-26T04:00:00Z'), now });
  t.true(result.snapshots.every((s) => s.action === 'keep'));
  t.deepEqual(result.snapshots.at(-1)?.reasons, ['daily 1/3']);
  t.is(newestAfterNow(result, now)?.name, name('2026-11-26T03:00:00Z'));
  t.is(newestAfterNow(result, new Date('2026-11-26T03:00:00Z')), undefined); // taken at now: not after it
  t.is(newestAfterNow(plan([], { daily: 3 }, options('2026-11-26T03:00:00Z')), now), undefined);
});

test('a policy validatePolicy finds fault with, or an unknown zone, is refused before anything is planned', (t) => {
  const snapshots = nightly('2026-11-01', '2026-11-26');
  t.throws(() => plan(snapshots, {}, options('2026-11-26T04:00:00Z')), { instanceOf: RangeError, message: /keeps nothing/ });
  t.throws(() => plan(snapshots, { daily: -1 }, options('2026-11-26T04:00:00Z')), { instanceOf: RangeError, message: /daily/ });
  t.throws(() => plan(snapshots, { daily: 1 }, options('2026-11-26T04:00:00Z', 'Europe/Atlantis')), { instanceOf: RangeError });
});

// ---- properties ----

const ZONES = ['UTC', 'Europe/Athens', 'America/New_York', 'Australia/Lord_Howe'];
const STEPS = [10 * 60_000, 59 * 60_000, HOUR, HOUR + 60_000, DAY, 7 * DAY - HOUR];
const FOREIGN = ['manual-before-upgrade', 'zbk_notadate', 'zbk_2026-02-30T030000Z', 'zbk_2026-11-26T030000Z-extra', 'other_2026-11-26T030000Z'];

interface Scenario {
  readonly snapshots: SnapshotInput[];
  readonly policy: Policy;
  readonly options: PlanOptions;
}

const count = fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined });
const policyArbitrary: fc.Arbitrary<Policy> = fc
  .record({
    keep_last: count, hourly: count, daily: count, weekly: count, monthly: count, yearly: count,
    keep_within: fc.option(fc.constantFrom('1h', '36h', '2d', '1w', '1m', '1y').map(duration), { nil: undefined }),
  })
  .filter((policy) => validatePolicy(policy).length === 0);

const scenarioArbitrary: fc.Arbitrary<Scenario> = fc
  .record({
    start: fc.integer({ min: Date.UTC(2018, 0, 1), max: Date.UTC(2028, 0, 1) }),
    step: fc.constantFrom(...STEPS),
    steps: fc.uniqueArray(fc.integer({ min: 0, max: 600 }), { maxLength: 80 }),
    held: fc.array(fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 }), { maxLength: 80 }),
    foreign: fc.subarray(FOREIGN),
    policy: policyArbitrary,
    timeZone: fc.constantFrom(...ZONES),
    nowShift: fc.oneof(fc.integer({ min: 0, max: 30 * DAY }), fc.integer({ min: -400 * DAY, max: 0 })),
  })
  .chain(({ start, step, steps, held, foreign, policy, timeZone, nowShift }) => {
    const ours = steps.map((k, i) => ({ name: formatSnapshotName('zbk', new Date(start + k * step)), held: held[i] ?? false }));
    const all: SnapshotInput[] = [...ours, ...foreign.map((n) => ({ name: n }))];
    const now = new Date(start + Math.max(0, ...steps) * step + nowShift);
    return fc.shuffledSubarray(all, { minLength: all.length }).map((snapshots) => ({ snapshots, policy, options: { now, timeZone, prefix: 'zbk' } }));
  });

const keptNames = (result: Plan) => new Set(result.snapshots.filter((s) => s.action === 'keep').map((s) => s.name));

test('the newest snapshot is always kept, and the plan is newest first', (t) => {
  assertProperty(
    t,
    fc.property(scenarioArbitrary, ({ snapshots, policy, options }) => {
      const { snapshots: planned } = plan(snapshots, policy, options);
      return (
        (planned.length === 0 || (planned[0]!.action === 'keep' && planned[0]!.reasons[0] === 'newest')) &&
        planned.every((s, i) => i === 0 || s.time.getTime() < planned[i - 1]!.time.getTime()) &&
        planned.every((s) => formatSnapshotName('zbk', s.time) === s.name)
      );
    }),
  );
});

test('no foreign name is ever planned, let alone destroyed; every name is accounted for once', (t) => {
  assertProperty(
    t,
    fc.property(scenarioArbitrary, ({ snapshots, policy, options }) => {
      const result = plan(snapshots, policy, options);
      const foreign = snapshots.filter((s) => FOREIGN.includes(s.name)).map((s) => s.name);
      const planned = result.snapshots.map((s) => s.name);
      return (
        JSON.stringify(result.foreign) === JSON.stringify(foreign) &&
        planned.every((n) => !FOREIGN.includes(n)) &&
        planned.length + foreign.length === snapshots.length
      );
    }),
  );
});

test('held snapshots and snapshots after now are always kept', (t) => {
  assertProperty(
    t,
    fc.property(scenarioArbitrary, ({ snapshots, policy, options }) => {
      const held = new Set(snapshots.filter((s) => s.held).map((s) => s.name));
      return plan(snapshots, policy, options).snapshots.every(
        (s) =>
          (!held.has(s.name) || (s.action === 'keep' && s.reasons.includes('held'))) &&
          (s.time <= options.now || (s.action === 'keep' && s.reasons.includes('in the future'))),
      );
    }),
  );
});

test('planning the survivors again destroys nothing and keeps each for the same reasons', (t) => {
  assertProperty(
    t,
    fc.property(scenarioArbitrary, ({ snapshots, policy, options }) => {
      const first = plan(snapshots, policy, options);
      const held = new Set(snapshots.filter((s) => s.held).map((s) => s.name));
      const survivors = first.snapshots.filter((s) => s.action === 'keep');
      const again = plan(survivors.map((s) => ({ name: s.name, held: held.has(s.name) })), policy, options);
      return JSON.stringify(again.snapshots) === JSON.stringify(survivors);
    }),
  );
});

test('raising a count, or lengthening keep_within, never destroys a snapshot the lower setting kept', (t) => {
  const raise = fc.record({
    key: fc.constantFrom('keep_last', 'hourly', 'daily', 'weekly', 'monthly', 'yearly', 'keep_within'),
    by: fc.integer({ min: 1, max: 5 }),
  });
  assertProperty(
    t,
    fc.property(scenarioArbitrary, raise, ({ snapshots, policy, options }, { key, by }) => {
      const higher: Policy =
        key === 'keep_within'
          ? { ...policy, keep_within: duration(`${policy.keep_within?.text ?? ''}${by}d`) }
          : { ...policy, [key]: (policy[key] ?? 0) + by };
      const lower = keptNames(plan(snapshots, policy, options));
      const more = keptNames(plan(snapshots, higher, options));
      return [...lower].every((n) => more.has(n));
    }),
  );
});

test('a keep_within zbk cannot compute stops the plan (RangeError): it never plans to keep the newest alone', (t) => {
  const snapshots = nightly('2026-11-01', '2026-11-10');
  const huge = { text: '1000000y', years: 1_000_000, months: 0, days: 0, seconds: 0 };
  t.throws(() => plan(snapshots, { keep_within: huge }, options('2026-11-10T04:00:00Z')), { instanceOf: RangeError, message: /keep_within 1000000y cannot be computed/ });
  const longest = plan(snapshots, { keep_within: duration('1000y') }, options('2026-11-10T04:00:00Z'));
  t.true(longest.snapshots.every((s) => s.action === 'keep'));
});

test('a pinned snapshot (a target\'s replication base) is kept with its reasons; a pin on a name not there or not zbk\'s changes nothing', (t) => {
  const snapshots = nightly('2026-11-01', '2026-11-10');
  const base = name('2026-11-03T03:00:00Z');
  const pinned = new Map([
    [base, ['replica base: offsite', 'replica base: usb']],
    [name('2026-10-01T03:00:00Z'), ['replica base: gone']],
    ['manual-before-upgrade', ['replica base: odd']],
  ]);
  const result = plan([...snapshots, { name: 'manual-before-upgrade' }], { keep_last: 2 }, { ...options('2026-11-10T04:00:00Z'), pinned });
  t.deepEqual(kept(result), [
    [name('2026-11-10T03:00:00Z'), 'newest, last 1/2'],
    [name('2026-11-09T03:00:00Z'), 'last 2/2'],
    [base, 'replica base: offsite, replica base: usb'],
  ]);
  t.deepEqual(result.foreign, ['manual-before-upgrade']);
  t.is(result.snapshots.length, 10);
  const newest = plan(snapshots, { keep_last: 1 }, { ...options('2026-11-10T04:00:00Z'), pinned: new Map([[name('2026-11-10T03:00:00Z'), ['replica base: offsite']]]) });
  t.deepEqual(kept(newest), [[name('2026-11-10T03:00:00Z'), 'newest, replica base: offsite, last 1/1']]);
});

/** A scenario with some of its snapshots pinned (and a name that is not there). */
const pinnedArbitrary = scenarioArbitrary.chain((scenario) =>
  fc.subarray(scenario.snapshots.map((s) => s.name)).map((names) => ({
    scenario,
    pins: new Map([...names, 'zbk_2001-01-01T000000Z'].map((n, i) => [n, [`replica base: t${i % 3}`]] as const)),
  })));

test('a pinned snapshot is never destroyed, and carries its reasons', (t) => {
  assertProperty(
    t,
    fc.property(pinnedArbitrary, ({ scenario: { snapshots, policy, options }, pins }) =>
      plan(snapshots, policy, { ...options, pinned: pins }).snapshots.every((s) => {
        const reasons = pins.get(s.name);
        return reasons === undefined || (s.action === 'keep' && reasons.every((r) => s.reasons.includes(r)));
      })),
  );
});

test('adding pins only adds keeps: every other snapshot is planned as without them', (t) => {
  assertProperty(
    t,
    fc.property(pinnedArbitrary, ({ scenario: { snapshots, policy, options }, pins }) => {
      const without = plan(snapshots, policy, options);
      const withPins = plan(snapshots, policy, { ...options, pinned: pins });
      const unpinned = (p: Plan) => JSON.stringify(p.snapshots.filter((s) => !pins.has(s.name)));
      const keptBefore = keptNames(without);
      return unpinned(without) === unpinned(withPins) &&
        [...keptBefore].every((n) => keptNames(withPins).has(n)) &&
        JSON.stringify(without.foreign) === JSON.stringify(withPins.foreign);
    }),
  );
});
