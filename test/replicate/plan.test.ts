/** The replication planner (src/replicate/plan.ts): each case by hand, then its invariants with fast-check. */
import test from 'ava';
import fc from 'fast-check';
import { planReplication, type BookmarkSide, type ReplicationPlan, type Side } from '../../src/replicate/plan.js';
import { assertProperty } from '../retention/property.js';

const P = 'zbk';
const night = (day: number) => `zbk_2026-11-${String(day).padStart(2, '0')}T030000Z`;
/** A snapshot of the source history: guid 1000+day, as the target holds it after receiving it. */
const s = (day: number): Side => ({ name: night(day), guid: String(1000 + day) });
const days = (...d: number[]) => d.map(s);
const o = (extra: Partial<{ force: boolean; resumeToken: string | null; bookmarks: BookmarkSide[] }> = {}) => ({ prefix: P, force: false, resumeToken: null, ...extra });
const TOKEN = '1-c740ed1ed-f8-789c636064000310a500c4ec50360710e72765a52697303028';

test('no copy on the target: a full send of every zbk snapshot, oldest first (foreign ones are not listed)', (t) => {
  const source = [s(20), { name: 'manual-before-upgrade', guid: '77' }, s(21), s(22)];
  t.deepEqual(planReplication(source, null, o()), { mode: 'full', base: null, send: [night(20), night(21), night(22)], forceDestroys: [] });
});

test('no copy and nothing to send: up to date, with no base', (t) => {
  t.deepEqual(planReplication([{ name: 'manual', guid: '5' }], null, o()), { mode: 'up-to-date', base: null, send: [], forceDestroys: [] });
  t.deepEqual(planReplication([], null, o()), { mode: 'up-to-date', base: null, send: [], forceDestroys: [] });
});

test('incremental: from the newest snapshot both sides hold, everything newer', (t) => {
  t.deepEqual(planReplication(days(20, 21, 22, 23, 24), days(20, 21, 22), o()), { mode: 'incremental', base: night(22), send: [night(23), night(24)], forceDestroys: [] });
});

test('the target pruned older copies and the source older snapshots: the base is still the newest common one', (t) => {
  t.deepEqual(planReplication(days(22, 25, 26), days(3, 12, 22), o()), { mode: 'incremental', base: night(22), send: [night(25), night(26)], forceDestroys: [] });
});

test('up to date: the target holds the source newest', (t) => {
  t.deepEqual(planReplication(days(20, 21), days(20, 21), o()), { mode: 'up-to-date', base: night(21), send: [], forceDestroys: [] });
});

test('a foreign snapshot carried along by -I can be the base; only zbk snapshots are listed to send', (t) => {
  const manual = { name: 'manual-x', guid: '99' };
  t.deepEqual(planReplication([s(20), manual, s(21)], [s(20), manual], o()), { mode: 'incremental', base: 'manual-x', send: [night(21)], forceDestroys: [] });
});

/** The source's bookmark of a night: the snapshot's guid and creation. */
const mark = (day: number) => ({ name: `zbk-replica_offsite_${night(day)}`, guid: String(1000 + day), creation: 1_790_000_000 + day * 86_400 });
/** A source snapshot with its creation (a bookmark base orders by it). */
const c = (day: number): Side => ({ ...s(day), creation: 1_790_000_000 + day * 86_400 });

test('the base destroyed on the source by hand, its bookmark kept: incremental from the bookmark, everything newer', (t) => {
  const bookmarks = [mark(22)];
  t.deepEqual(planReplication([c(20), c(23), c(24)], days(20, 21, 22), o({ bookmarks })), {
    mode: 'incremental', base: night(22), send: [night(23), night(24)], forceDestroys: [], bookmark: mark(22).name,
  });
  // Without the bookmark the target's 21 and 22 are snapshots the source no longer has: refused.
  t.is(planReplication([c(20), c(23), c(24)], days(20, 21, 22), o()).mode, 'refused');
});

test('a bookmark newer than every common snapshot is the base; the snapshot, where the source has it, wins over its bookmark', (t) => {
  t.like(planReplication([c(18), c(25)], days(18, 22), o({ bookmarks: [mark(22), mark(18)] })), { mode: 'incremental', base: night(22), send: [night(25)], bookmark: mark(22).name });
  t.deepEqual(planReplication([c(18), c(22), c(25)], days(18, 22), o({ bookmarks: [mark(22)] })), { mode: 'incremental', base: night(22), send: [night(25)], forceDestroys: [] });
});

test('from a bookmark: nothing newer is up to date; a snapshot of the same second is not sent; the target diverged after it is refused', (t) => {
  t.deepEqual(planReplication([c(20)], days(20, 22), o({ bookmarks: [mark(22)] })), { mode: 'up-to-date', base: night(22), send: [], forceDestroys: [] });
  const sameSecond = { name: 'zbk_2026-11-22T030001Z', guid: '77', creation: mark(22).creation };
  t.like(planReplication([sameSecond, c(23)], days(22), o({ bookmarks: [mark(22)] })), { send: [night(23)], bookmark: mark(22).name });
  const diverged = planReplication([c(23)], [...days(22), { name: 'mine', guid: '5' }], o({ bookmarks: [mark(22)] }));
  t.like(diverged, { mode: 'refused', base: night(22), forceDestroys: ['mine'] });
  t.like(planReplication([c(23)], [...days(22), { name: 'mine', guid: '5' }], o({ bookmarks: [mark(22)], force: true })), { mode: 'incremental', forceDestroys: ['mine'], bookmark: mark(22).name });
});

test('a snapshot taken on the target after the base: refused, naming it and what --force would destroy', (t) => {
  const target = [...days(20, 21), { name: 'mine', guid: '5' }];
  const plan = planReplication(days(20, 21, 22), target, o());
  t.deepEqual(plan, {
    mode: 'refused',
    base: night(21),
    reason:
      `the target has 1 snapshot after the common base ${night(21)}: mine (the target's newest; the source no longer has it, or never had it); ` +
      `--force would destroy mine and roll the target back to ${night(21)}`,
    forceDestroys: ['mine'],
  });
  t.deepEqual(planReplication(days(20, 21, 22), target, o({ force: true })), { mode: 'incremental', base: night(21), send: [night(22)], forceDestroys: ['mine'] });
});

test('a same name with another guid after the base: refused, with both guids', (t) => {
  const impostor = { name: night(22), guid: '4242' };
  const plan = planReplication(days(20, 21, 22, 23), [...days(20, 21), impostor], o());
  t.is(plan.mode, 'refused');
  t.is(plan.base, night(21));
  t.deepEqual(plan.forceDestroys, [night(22)]);
  t.true(plan.mode === 'refused' && plan.reason.includes(`${night(22)} (guid 4242 on the target, 1022 on the source)`), JSON.stringify(plan));
  t.deepEqual(planReplication(days(20, 21, 22, 23), [...days(20, 21), impostor], o({ force: true })), {
    mode: 'incremental', base: night(21), send: [night(22), night(23)], forceDestroys: [night(22)],
  });
});

test('a zbk-named snapshot zbk did not send (another guid, a name the source never had) is no base', (t) => {
  const planted = { name: night(25), guid: '31337' };
  const plan = planReplication(days(20, 21), [s(20), planted], o());
  t.is(plan.mode, 'refused');
  t.is(plan.base, night(20));
  t.deepEqual(plan.forceDestroys, [night(25)]);
});

test('the source no longer has the target newest: refused, saying so', (t) => {
  const plan = planReplication(days(20, 21, 23), days(20, 21, 22), o());
  t.is(plan.mode, 'refused');
  t.is(plan.base, night(21));
  t.deepEqual(plan.forceDestroys, [night(22)]);
  t.regex(plan.mode === 'refused' ? plan.reason : '', /zbk_2026-11-22T030000Z \(the target's newest; the source no longer has it/);
});

test('target snapshots but none in common: refused; --force destroys them all and sends in full', (t) => {
  const target = [{ name: night(20), guid: '1' }, { name: 'other', guid: '2' }];
  const plan = planReplication(days(20, 21), target, o());
  t.deepEqual(plan, {
    mode: 'refused',
    base: null,
    reason:
      `the target has 2 snapshots but none in common with the source (same name and guid): ${night(20)} (guid 1 on the target, 1020 on the source), ` +
      `other (the target's newest; the source no longer has it, or never had it); --force would destroy ${night(20)}, other and send everything again`,
    forceDestroys: [night(20), 'other'],
  });
  t.deepEqual(planReplication(days(20, 21), target, o({ force: true })), { mode: 'full', base: null, send: [night(20), night(21)], forceDestroys: [night(20), 'other'] });
});

test('no common base and nothing on the source to send instead: refused even with --force', (t) => {
  const plan = planReplication([{ name: 'manual', guid: '3' }], days(20), o({ force: true }));
  t.is(plan.mode, 'refused');
  t.deepEqual(plan.forceDestroys, [night(20)]);
});

test('a target dataset without snapshots: a full send would overwrite it, so only with --force', (t) => {
  const plan = planReplication(days(20), [], o());
  t.is(plan.mode, 'refused');
  t.deepEqual(plan.forceDestroys, []);
  t.regex(plan.mode === 'refused' ? plan.reason : '', /exists but holds no snapshot.*--force would overwrite it/);
  t.deepEqual(planReplication(days(20), [], o({ force: true })), { mode: 'full', base: null, send: [night(20)], forceDestroys: [] });
  t.deepEqual(planReplication([], [], o()), { mode: 'up-to-date', base: null, send: [], forceDestroys: [] });
});

test('a resume token: the interrupted receive continues, then the rest', (t) => {
  t.deepEqual(planReplication(days(20, 21, 22), days(20), o({ resumeToken: TOKEN })), { mode: 'resume', base: night(20), send: [night(21), night(22)], token: TOKEN, forceDestroys: [] });
  // An interrupted full receive: the dataset exists, with no snapshot yet, and the token.
  t.deepEqual(planReplication(days(20, 21), [], o({ resumeToken: TOKEN })), { mode: 'resume', base: null, send: [night(20), night(21)], token: TOKEN, forceDestroys: [] });
});

test('a diverged target with a token: refused all the same', (t) => {
  t.is(planReplication(days(20, 21), [...days(20), { name: 'x', guid: '1' }], o({ resumeToken: TOKEN })).mode, 'refused');
});

test('a long list of diverged snapshots: the reason names the newest ten and counts the rest', (t) => {
  const extra = Array.from({ length: 14 }, (_, i) => ({ name: `t${i}`, guid: String(i) }));
  const plan = planReplication(days(20, 21), [s(20), ...extra], o());
  const reason = plan.mode === 'refused' ? plan.reason : '';
  t.regex(reason, /: 4 older ones, t4 \(not on the source\)/);
  t.regex(reason, /--force would destroy t0, t1, .*, t9 and 4 more/);
  t.is(plan.forceDestroys.length, 14);
});

// --- invariants -------------------------------------------------------------------------------

interface Scenario {
  readonly source: Side[];
  readonly target: Side[] | null;
  readonly force: boolean;
  readonly token: string | null;
  /** The target is an untouched replica (a subsequence of the history, nothing of its own). */
  readonly clean: boolean;
}

const historyArbitrary = fc
  .array(fc.boolean(), { minLength: 0, maxLength: 25 })
  .map((zbk) => zbk.map((isZbk, i): Side => ({ name: isZbk ? `zbk_2026-${String(1 + Math.floor(i / 28)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}T030000Z` : `manual-${i}`, guid: String(1000 + i) })));

const scenarioArbitrary: fc.Arbitrary<Scenario> = historyArbitrary.chain((history) =>
  fc
    .record({
      inSource: fc.array(fc.boolean(), { minLength: history.length, maxLength: history.length }),
      inTarget: fc.array(fc.boolean(), { minLength: history.length, maxLength: history.length }),
      noTarget: fc.boolean(),
      // Snapshots of the target's own, appended: a fresh name, or a history name with another guid.
      extras: fc.array(fc.oneof(fc.constant(-1), fc.nat({ max: Math.max(0, history.length - 1) })), { maxLength: 3 }),
      force: fc.boolean(),
      token: fc.option(fc.constant(TOKEN), { nil: null }),
    })
    .map(({ inSource, inTarget, noTarget, extras, force, token }) => {
      const source = history.filter((_, i) => inSource[i]);
      const kept = history.filter((_, i) => inTarget[i]);
      const own = extras
        .map((e, j): Side => (e < 0 || history.length === 0 ? { name: `own-${j}`, guid: String(9000 + j) } : { name: history[e]!.name, guid: String(8000 + j) }))
        .filter((x, j, all) => !kept.some((k) => k.name === x.name) && all.findIndex((y) => y.name === x.name) === j);
      return { source, target: noTarget ? null : [...kept, ...own], force, token, clean: own.length === 0 };
    }),
);

const zbkNames = (sides: readonly Side[]) => sides.filter((x) => x.name.startsWith('zbk_')).map((x) => x.name);
const planOf = (sc: Scenario): ReplicationPlan => planReplication(sc.source, sc.target, { prefix: P, force: sc.force, resumeToken: sc.token });

test('property: the base is always a snapshot with the same name and guid on both sides', (t) => {
  assertProperty(t, fc.property(scenarioArbitrary, (sc) => {
    const { base } = planOf(sc);
    if (base === null) return true;
    const here = sc.source.find((x) => x.name === base);
    const there = sc.target?.find((x) => x.name === base);
    return here !== undefined && there !== undefined && here.guid === there.guid;
  }));
});

test('property: the base is the newest common snapshot: nothing the target has after it is the source\'s', (t) => {
  assertProperty(t, fc.property(scenarioArbitrary, (sc) => {
    const plan = planOf(sc);
    if (sc.target === null || plan.base === null) return true;
    const at = sc.target.findIndex((x) => x.name === plan.base);
    return sc.target.slice(at + 1).every((x) => !sc.source.some((y) => y.name === x.name && y.guid === x.guid));
  }));
});

test('property: send is exactly the zbk source snapshots after the base, oldest first', (t) => {
  assertProperty(t, fc.property(scenarioArbitrary, (sc) => {
    const plan = planOf(sc);
    if (plan.mode === 'refused') return true;
    const from = plan.base === null ? 0 : sc.source.findIndex((x) => x.name === plan.base) + 1;
    return JSON.stringify(plan.send) === JSON.stringify(zbkNames(sc.source.slice(from)));
  }));
});

test('property: nothing on the target is planned for destruction without force', (t) => {
  assertProperty(t, fc.property(scenarioArbitrary, (sc) => {
    const plan = planOf({ ...sc, force: false });
    return plan.mode === 'refused' || plan.forceDestroys.length === 0;
  }));
});

test('property: force destroys only target snapshots after the base, never the base; refused says what force would destroy', (t) => {
  assertProperty(t, fc.property(scenarioArbitrary, (sc) => {
    const plan = planOf(sc);
    const target = sc.target ?? [];
    const at = plan.base === null ? -1 : target.findIndex((x) => x.name === plan.base);
    const after = target.slice(at + 1).map((x) => x.name);
    const destroysAfter = JSON.stringify(plan.forceDestroys) === JSON.stringify(plan.mode === 'refused' || sc.force ? after : []);
    const named = plan.mode !== 'refused' || plan.forceDestroys.length > 10 || plan.forceDestroys.every((n) => plan.reason.includes(n));
    return destroysAfter && !plan.forceDestroys.includes(plan.base ?? '\0') && named;
  }));
});

test('property: a clean replica whose newest the source still holds is never refused; a full send only when there is no copy', (t) => {
  assertProperty(t, fc.property(scenarioArbitrary, (sc) => {
    const plan = planOf(sc);
    if (plan.mode === 'full' && sc.target !== null && sc.target.length > 0 && !sc.force) return false;
    if (sc.target === null || !sc.clean || sc.target.length === 0) return true;
    const newest = sc.target[sc.target.length - 1]!;
    const stillThere = sc.source.some((x) => x.name === newest.name && x.guid === newest.guid);
    return !stillThere || plan.mode !== 'refused';
  }));
});

test('property: with a token, a plan that runs resumes', (t) => {
  assertProperty(t, fc.property(scenarioArbitrary, (sc) => {
    const plan = planOf({ ...sc, token: TOKEN });
    return plan.mode === 'refused' || plan.mode === 'resume';
  }));
});

test('property: with a bookmark of every snapshot the source lost, a clean replica is never refused; the base is its newest copy, and what is sent is every zbk snapshot newer', (t) => {
  const at = (x: Side) => 1_790_000_000 + Number(x.guid) * 60; // the history's order: guid 1000 + i
  assertProperty(t, fc.property(scenarioArbitrary, (sc) => {
    if (sc.target === null || sc.target.length === 0 || !sc.clean || sc.token !== null) return true;
    const source = sc.source.map((x) => ({ ...x, creation: at(x) }));
    const bookmarks = sc.target.filter((x) => !sc.source.some((y) => y.guid === x.guid)).map((x) => ({ name: `mark-${x.guid}`, guid: x.guid, creation: at(x) }));
    const plan = planReplication(source, sc.target, { prefix: P, force: sc.force, resumeToken: null, bookmarks });
    const newest = sc.target[sc.target.length - 1]!;
    const viaBookmark = !sc.source.some((y) => y.guid === newest.guid);
    const expected = zbkNames(source.filter((x) => x.creation > at(newest)));
    return plan.mode !== 'refused' && plan.base === newest.name && JSON.stringify(plan.send) === JSON.stringify(expected) &&
      (plan.mode !== 'incremental' || (plan.bookmark !== undefined) === viaBookmark);
  }));
});
