/**
 * destroySet: the last check between a retention plan and `zfs destroy`. Whatever a planner
 * bug puts in a plan, the newest snapshot, a held one and a name zbk did not make survive.
 * pruneRefusal: when a prune must destroy nothing at all, with one reason.
 * pruneDataset: the whole prune against zfs's recorded answers (test/helpers/replay.ts) in both
 * dialects; a command the script does not expect (a destroy after a refusal) fails the test.
 */
import test from 'ava';
import { destroySet, pruneDataset, pruneRefusal, type PruneOptions } from '../../src/jobs/prune.js';
import { ZfsError } from '../../src/zfs/errors.js';
import { exchange, replay } from '../helpers/replay.js';
import { parseSnapshotName } from '../../src/retention/naming.js';
import { plan, type Plan, type PlannedSnapshot } from '../../src/retention/plan.js';

const snap = (name: string, action: 'keep' | 'destroy', reasons: string[] = []): PlannedSnapshot => ({
  name, time: parseSnapshotName('zbk', name) ?? new Date(0), action, reasons: action === 'keep' ? reasons : [],
});

const N1 = 'zbk_2026-11-26T030000Z';
const N2 = 'zbk_2026-11-25T030000Z';
const N3 = 'zbk_2026-11-24T030000Z';

test('a sound plan: the snapshots marked destroy, newest first as planned', (t) => {
  const p: Plan = { snapshots: [snap(N1, 'keep', ['newest']), snap(N2, 'destroy'), snap(N3, 'destroy')], foreign: ['manual'] };
  t.deepEqual(destroySet(p, new Set()), [N2, N3]);
  t.deepEqual(destroySet({ snapshots: [snap(N1, 'keep', ['newest'])], foreign: [] }, new Set()), []);
  t.deepEqual(destroySet({ snapshots: [], foreign: ['manual'] }, new Set()), []);
});

test('a plan that would destroy the newest snapshot is refused whole', (t) => {
  const p: Plan = { snapshots: [snap(N1, 'destroy'), snap(N2, 'destroy')], foreign: [] };
  const e = t.throws(() => destroySet(p, new Set()));
  t.is(e.message, `internal error: the retention plan would destroy ${N1}, which zbk must keep; nothing destroyed`);
});

test('a plan that would destroy a held snapshot is refused', (t) => {
  const p: Plan = { snapshots: [snap(N1, 'keep', ['newest']), snap(N2, 'destroy'), snap(N3, 'destroy')], foreign: [] };
  t.throws(() => destroySet(p, new Set([N3])), { message: new RegExp(`would destroy ${N3}, which zbk must keep`) });
  t.deepEqual(destroySet(p, new Set(['some-other'])), [N2, N3], 'a hold elsewhere does not matter');
});

test('a plan that would destroy a foreign name is refused', (t) => {
  const p: Plan = { snapshots: [snap(N1, 'keep', ['newest']), snap('manual-before-upgrade', 'destroy')], foreign: ['manual-before-upgrade'] };
  t.throws(() => destroySet(p, new Set()), { message: /would destroy manual-before-upgrade, which zbk must keep; nothing destroyed/ });
});

test('a plan that would destroy a pinned snapshot (a target\'s replication base) is refused', (t) => {
  const p: Plan = { snapshots: [snap(N1, 'keep', ['newest']), snap(N2, 'destroy'), snap(N3, 'destroy')], foreign: [] };
  t.throws(() => destroySet(p, new Set(), new Set([N2])), { message: `internal error: the retention plan would destroy ${N2}, which zbk must keep; nothing destroyed` });
  t.deepEqual(destroySet(p, new Set(), new Set(['zbk_2001-01-01T000000Z'])), [N2, N3], 'a pin on a name not there does not matter');
});

test('with the real planner: a held snapshot is kept by the plan and destroySet agrees', (t) => {
  const names = Array.from({ length: 10 }, (_, i) => `zbk_2026-11-${String(10 + i).padStart(2, '0')}T030000Z`);
  const p = plan([...names.map((name) => ({ name, held: name === names[2] })), { name: 'manual' }], { keep_last: 3 }, {
    now: new Date('2026-11-20T00:00:00Z'), timeZone: 'UTC', prefix: 'zbk',
  });
  const doomed = destroySet(p, new Set([names[2]!]));
  t.deepEqual(doomed, [names[6], names[5], names[4], names[3], names[1], names[0]]);
  t.false(doomed.includes(names[9]!));
  t.false(doomed.includes('manual'));
});

const created = (iso: string) => new Date(iso).getTime() / 1000;
const planOf = (listed: readonly { name: string }[], now: string) =>
  plan(listed, { daily: 7 }, { now: new Date(now), timeZone: 'UTC', prefix: 'zbk' });

test('a name from the future stops the prune, named with its creation; whatever --now says', (t) => {
  const listed = [
    { name: N3, creation: created('2026-11-24T03:00:05Z') },
    { name: N2, creation: created('2026-11-25T03:00:05Z') },
    { name: 'zbk_2036-01-01T030000Z', creation: created('2026-11-25T09:00:00Z') },
    { name: N1, creation: created('2026-11-26T03:00:05Z') },
  ];
  const expected = 'tank/a@zbk_2036-01-01T030000Z is named 2036-01-01T03:00:00Z, more than a day after its creation (2026-11-25T09:00:00Z): ' +
    'a clock or --now from the future named it, and it would anchor retention; nothing destroyed ' +
    '(if it is a mistake: zfs destroy tank/a@zbk_2036-01-01T030000Z; --force prunes anyway)';
  for (const now of ['2026-11-26T03:00:05Z', '2037-01-01T00:00:00Z']) {
    t.is(pruneRefusal('tank/a', listed, planOf(listed, now), new Date(now), 'zbk'), expected, `now ${now}`);
  }
});

test('several names from the future: the newest is named, the others counted', (t) => {
  const listed = [
    { name: N1, creation: created('2026-11-26T03:00:05Z') },
    { name: 'zbk_2027-06-01T030000Z', creation: created('2026-11-26T04:00:00Z') },
    { name: 'zbk_2036-01-01T030000Z', creation: created('2026-11-26T05:00:00Z') },
  ];
  const now = new Date('2026-11-26T06:00:00Z');
  t.regex(pruneRefusal('tank/a', listed, planOf(listed, now.toISOString()), now, 'zbk')!,
    /^tank\/a@zbk_2036-01-01T030000Z is named 2036-01-01T03:00:00Z, more than a day after its creation \(2026-11-26T05:00:00Z\) \(and 1 more named after their creation\): /);
});

test('a clock behind the newest snapshot, whose name agrees with its creation: the clock went backwards', (t) => {
  const listed = [{ name: N2, creation: created('2026-11-25T03:00:05Z') }, { name: N1, creation: created('2026-11-26T03:00:05Z') }];
  const now = new Date('2026-11-25T12:00:00Z');
  t.is(pruneRefusal('tank/a', listed, planOf(listed, now.toISOString()), now, 'zbk'),
    'the newest snapshot tank/a@zbk_2026-11-26T030000Z is after now (2026-11-25T12:00:00Z): the clock may have gone backwards; nothing destroyed (--force prunes anyway)');
});

test('names in the past of their creation (a simulated history, an import), or up to a day ahead, prune normally', (t) => {
  const listed = [
    { name: N3, creation: created('2026-12-01T03:28:00Z') },
    { name: N2, creation: created('2026-12-01T03:28:00Z') },
    { name: 'zbk_2026-12-02T030000Z', creation: created('2026-12-01T03:28:00Z') }, // tonight, named this morning
    { name: 'manual-2036', creation: created('2026-12-01T03:28:00Z') },
  ];
  const now = new Date('2026-12-02T03:00:00Z');
  t.is(pruneRefusal('tank/a', listed, planOf(listed, now.toISOString()), now, 'zbk'), null);
  t.is(pruneRefusal('tank/a', [], planOf([], now.toISOString()), now, 'zbk'), null);
});

const R = 'zfs/replay/';
const pruneOf = (dataset: string, now: string, more: Partial<PruneOptions> = {}): PruneOptions => ({
  dataset, policy: { keep_last: 2 }, prefix: 'zbk', timeZone: 'UTC', now: new Date(now), batchSize: 100, dryRun: false, force: false, ...more,
});

test('zfs-fuse: one destroy a snapshot, two in flight; a snapshot with a clone is reported and the rest go', async (t) => {
  const r = replay(t, `${R}legacy-probe.txt`, `${R}legacy-list-nightly.txt`, `${R}legacy-prune-nightly.txt`);
  const o = await pruneDataset(r.zfs, pruneOf('zbkt_cap/a', '2026-11-25T04:00:00Z'));
  t.is(o.refused, null);
  t.deepEqual(o.destroyed, ['zbk_2026-11-23T030000Z', 'zbk_2026-11-22T030000Z', 'zbk_2026-11-20T030000Z']);
  t.deepEqual(o.failed, [{
    name: 'zbk_2026-11-21T030000Z',
    reason: "zfs destroy zbkt_cap/a@zbk_2026-11-21T030000Z: cannot destroy 'zbkt_cap/a@zbk_2026-11-21T030000Z': snapshot has dependent clones",
  }]);
  t.deepEqual(o.plan.foreign, ['manual-before-upgrade']);
  t.is(r.maxInFlight(), 2);
});

test('OpenZFS: one atomic batch; the culprits zfs names are stripped, reported, and the rest destroyed in one more', async (t) => {
  const r = replay(t, `${R}openzfs-probe.txt`, `${R}openzfs-list-october.txt`, `${R}openzfs-destroy-busy.txt`);
  const o = await pruneDataset(r.zfs, pruneOf('tank/backup/usa-vds', '2026-10-08T04:00:00Z'));
  t.deepEqual(o.destroyed, ['zbk_2026-10-06T030000Z', 'zbk_2026-10-04T030000Z', 'zbk_2026-10-03T030000Z', 'zbk_2026-10-01T030000Z']);
  t.deepEqual(o.failed, [
    { name: 'zbk_2026-10-05T030000Z', reason: 'snapshot has dependent clones' },
    { name: 'zbk_2026-10-02T030000Z', reason: 'dataset is busy' },
  ]);
  t.is(r.calls.filter((c) => c.startsWith('zfs destroy')).length, 2, 'no retries of a busy batch, no destroys one by one');
});

test('OpenZFS: a batch too long for execve (E2BIG) is halved, and the halves go', async (t) => {
  const r = replay(t, `${R}openzfs-probe.txt`, `${R}openzfs-list-october.txt`, `${R}openzfs-destroy-e2big.txt`);
  const o = await pruneDataset(r.zfs, pruneOf('tank/backup/usa-vds', '2026-10-08T04:00:00Z'));
  t.is(o.destroyed.length, 6);
  t.deepEqual(o.failed, []);
});

test('refused in both dialects: a name from the future, whatever --now says; nothing destroyed, a dry run says the same', async (t) => {
  const cases = [
    { scripts: [`${R}legacy-probe.txt`, `${R}legacy-list-future-name.txt`], dataset: 'zbkt_pf/a', name: 'zbk_2036-01-01T030000Z' },
    { scripts: [`${R}openzfs-probe.txt`, `${R}openzfs-list-future-name.txt`], dataset: 'tank/backup/web', name: 'zbk_2036-11-30T030000Z' },
  ];
  for (const c of cases) {
    for (const dryRun of [false, true]) {
      for (const now of ['2026-12-02T03:00:00Z', '2037-01-01T00:00:00Z']) {
        const r = replay(t, ...c.scripts);
        const o = await pruneDataset(r.zfs, pruneOf(c.dataset, now, { dryRun, policy: { keep_last: 1 } }));
        t.regex(o.refused ?? '', new RegExp(`^${c.dataset}@${c.name} is named .* more than a day after its creation .*nothing destroyed`), `${c.dataset} ${now}`);
        t.deepEqual([o.destroyed, o.failed], [[], []]);
        t.true(o.plan.snapshots.some((s) => s.action === 'destroy'), 'there was something the plan would have destroyed');
      }
    }
  }
});

test('refused: a clock behind the newest snapshot destroys nothing; --force prunes', async (t) => {
  const behind = replay(t, `${R}openzfs-probe.txt`, `${R}openzfs-list-october.txt`);
  const o = await pruneDataset(behind.zfs, pruneOf('tank/backup/usa-vds', '2026-10-05T12:00:00Z'));
  t.is(o.refused, 'the newest snapshot tank/backup/usa-vds@zbk_2026-10-08T030000Z is after now (2026-10-05T12:00:00Z): ' +
    'the clock may have gone backwards; nothing destroyed (--force prunes anyway)');
  t.deepEqual(o.destroyed, []);
  // Forced, the plan still keeps what is after now: the two newest before it, and the three after.
  const forced = replay(t, `${R}openzfs-probe.txt`, `${R}openzfs-list-october.txt`,
    [exchange('zfs destroy tank/backup/usa-vds@zbk_2026-10-03T030000Z,zbk_2026-10-02T030000Z,zbk_2026-10-01T030000Z')]);
  const f = await pruneDataset(forced.zfs, pruneOf('tank/backup/usa-vds', '2026-10-05T12:00:00Z', { force: true }));
  t.is(f.refused, null);
  t.deepEqual(f.destroyed, ['zbk_2026-10-03T030000Z', 'zbk_2026-10-02T030000Z', 'zbk_2026-10-01T030000Z']);
});

test('a listing that fails: the ZfsError reaches the caller and nothing is destroyed', async (t) => {
  const r = replay(t, `${R}legacy-probe.txt`, `${R}legacy-list-missing.txt`);
  const e = await t.throwsAsync(pruneDataset(r.zfs, pruneOf('zbkt_cap/b', '2026-11-25T04:00:00Z')), { instanceOf: ZfsError });
  t.is(e?.kind, 'no-such-dataset');
  t.is(e?.message, "zfs get -H -p -d 1 -o name,property,value creation,used,referenced,userrefs zbkt_cap/b: cannot open 'zbkt_cap/b': dataset does not exist");
  t.false(r.calls.some((c) => c.startsWith('zfs destroy')));
});

test('a dry run lists and plans, and runs nothing else', async (t) => {
  const r = replay(t, `${R}legacy-probe.txt`, `${R}legacy-list-nightly.txt`);
  const o = await pruneDataset(r.zfs, pruneOf('zbkt_cap/a', '2026-11-25T04:00:00Z', { dryRun: true }));
  t.deepEqual(o.plan.snapshots.filter((s) => s.action === 'destroy').map((s) => s.name),
    ['zbk_2026-11-23T030000Z', 'zbk_2026-11-22T030000Z', 'zbk_2026-11-21T030000Z', 'zbk_2026-11-20T030000Z']);
  t.deepEqual(o.destroyed, []);
});

test('a pinned snapshot is kept with its reasons and left out of the destroy batch', async (t) => {
  const r = replay(t, `${R}openzfs-probe.txt`, `${R}openzfs-list-october.txt`, [exchange(
    'zfs destroy tank/backup/usa-vds@zbk_2026-10-06T030000Z,zbk_2026-10-05T030000Z,zbk_2026-10-03T030000Z,zbk_2026-10-02T030000Z,zbk_2026-10-01T030000Z',
  )]);
  const pinned = new Map([['zbk_2026-10-04T030000Z', ['replica base: offsite']]]);
  const o = await pruneDataset(r.zfs, pruneOf('tank/backup/usa-vds', '2026-10-08T04:00:00Z', { pinned }));
  t.deepEqual(o.plan.snapshots.find((s) => s.name === 'zbk_2026-10-04T030000Z')?.reasons, ['replica base: offsite']);
  t.is(o.destroyed.length, 5);
  t.false(o.destroyed.includes('zbk_2026-10-04T030000Z'));
});
