/** Snapshot views in both dialects, on replayed zfs: clones where there is no .zfs/snapshot (zfs-fuse), holds where there is (OpenZFS). */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { describeView, findViews } from '../../src/views/leftovers.js';
import { cloneName, ownerPid } from '../../src/views/naming.js';
import { openViews } from '../../src/views/views.js';
import type { Snapshot } from '../../src/zfs/snapshots.js';
import { exchange, pick, replay } from '../helpers/replay.js';

const PID = 4242;
/** No process has this pid (Linux's pid_max is at most 2^22): a zbk killed long ago. */
const DEAD = 2147483646;

const mounted = (dataset: string, mountpoint: string) =>
  exchange(`zfs get -H -p -o name,property,value mountpoint,mounted ${dataset}`, { stdout: `${dataset}\tmountpoint\t${mountpoint}\n${dataset}\tmounted\tyes\n` });
const viewList = (dataset: string, rows = '') => exchange(`zfs get -H -p -r -o name,property,value zbk:view,origin ${dataset}`, {
  stdout: `${dataset}\tzbk:view\t-\n${dataset}\torigin\t-\n${dataset}@s1\tzbk:view\t-\n${rows}`,
});
const snap = (dataset: string, name: string, userrefs = 0): Snapshot => ({ dataset, name, creation: 1, used: 0, referenced: 0, userrefs });

async function dirs() {
  const root = await mkdtemp(join(tmpdir(), 'zbk-views-'));
  const live = join(root, 'mnt');
  const state = join(root, 'state');
  await mkdir(live);
  await mkdir(state, { mode: 0o700 });
  return { root, live, state };
}

test('no .zfs/snapshot (zfs-fuse): a leftover of a dead zbk is destroyed, then one readonly clone a view, under state_dir/views, destroyed by release and close', async (t) => {
  const { live, state } = await dirs();
  const ds = 'zbkt_cap/a';
  const leftover = `${ds}/zbk-view-${DEAD}-s1`;
  const mp = (s: string) => join(state, 'views', String(PID), s);
  const r = replay(t, [
    mounted(ds, live),
    viewList(ds, `${leftover}\tzbk:view\t${DEAD}\n${leftover}\torigin\t${ds}@s1\n`),
    exchange(`zfs destroy -f ${leftover}`),
    exchange(`zfs clone -o readonly=on -o mountpoint=${mp('s1')} -o zbk:view=${PID} ${ds}@s1 ${ds}/zbk-view-${PID}-s1`),
    exchange(`zfs clone -o readonly=on -o mountpoint=${mp('s2')} -o zbk:view=${PID} ${ds}@s2 ${ds}/zbk-view-${PID}-s2`),
    exchange(`zfs destroy -f ${ds}/zbk-view-${PID}-s1`),
    exchange(`zfs destroy -f ${ds}/zbk-view-${PID}-s2`),
    viewList(ds),
  ]);
  const views = await openViews(r.zfs, { dataset: ds, stateDir: state, snapshots: [], pid: PID });
  t.is(views.kind, 'clone');
  t.is(views.live, live);
  t.deepEqual(views.swept.map((v) => [v.kind, v.name, v.pid, v.alive]), [['clone', leftover, DEAD, false]]);
  t.deepEqual(await views.open(['s1', 's2']), [mp('s1'), mp('s2')]);
  t.deepEqual(await views.open(['s1']), [mp('s1')], 'an open view is not made twice');
  await views.release(['s1']);
  await views.close();
  await views.close();
  t.false(existsSync(join(state, 'views', 'create.lock')), 'the creation lock is released');
  await t.throwsAsync(views.open(['s3']), { message: /closed/ }, 'no view is made after close (a signal)');
});

test('.zfs/snapshot (OpenZFS): views are its directories, held with zbk-view:<pid> in one command, released at close; a dead zbk\'s hold is released first', async (t) => {
  const { live, state } = await dirs();
  await mkdir(join(live, '.zfs', 'snapshot', 's1'), { recursive: true });
  const ds = 'tank/a';
  // The dialect (views' own) and the one feature listing holds needs are probed only once a snapshot has holds to list (s0): after the views' own listing.
  const r = replay(t, [mounted(ds, live), viewList(ds)], 'zfs/replay/openzfs-probe.txt', pick('zfs/replay/openzfs-capabilities.txt', 'holds -H'), [
    exchange(`zfs holds -H ${ds}@s0`, { stdout: `${ds}@s0\tzbk-view:${DEAD}\tThu Nov 26 03:00 2026\n${ds}@s0\tkeep\tThu Nov 26 03:00 2026\n` }),
    exchange(`zfs release zbk-view:${DEAD} ${ds}@s0`),
    exchange(`zfs hold zbk-view:${PID} ${ds}@s1 ${ds}@s2`),
    exchange(`zfs release zbk-view:${PID} ${ds}@s1 ${ds}@s2`),
  ]);
  const views = await openViews(r.zfs, { dataset: ds, stateDir: state, snapshots: [snap(ds, 's0', 2), snap(ds, 's1')], pid: PID });
  t.is(views.kind, 'snapdir');
  t.deepEqual(views.swept.map((v) => [v.kind, v.name, v.tag]), [['hold', `${ds}@s0`, `zbk-view:${DEAD}`]], 'the admin\'s own hold is left alone');
  t.deepEqual(await views.open(['s1', 's2']), [join(live, '.zfs/snapshot/s1'), join(live, '.zfs/snapshot/s2')]);
  await views.open(['s1']);
  await views.close();
});

test('a dataset that is not mounted cannot be read: nothing is made', async (t) => {
  const r = replay(t, [exchange('zfs get -H -p -o name,property,value mountpoint,mounted tank/a', { stdout: 'tank/a\tmountpoint\t/tank/a\ntank/a\tmounted\tno\n' })]);
  await t.throwsAsync(openViews(r.zfs, { dataset: 'tank/a', stateDir: '/nonexistent', snapshots: [] }), { message: /tank\/a is not mounted .*zfs mount tank\/a/ });
});

test('zbk list\'s view of views: in use, left over; a mark that is not a pid, or a pid the name does not carry, is never taken for a view', async (t) => {
  const ds = 'zbkt_cap/a';
  const rows = [
    `${ds}/zbk-view-${process.pid}-s1\tzbk:view\t${process.pid}`,
    `${ds}/zbk-view-${DEAD}-s1\tzbk:view\t${DEAD}`,
    `${ds}/odd\tzbk:view\tyes`,
    `${ds}\tzbk:view\t${DEAD}`,
    `${ds}/zbk-view-${DEAD}-s1/child\tzbk:view\t${DEAD}`,
    `${ds}/zbk-view-1-s1\tzbk:view\t${DEAD}`,
  ];
  const r = replay(t, [exchange(`zfs get -H -p -r -o name,property,value zbk:view,origin ${ds}`, { stdout: `${rows.join('\n')}\n` })]);
  const v = await findViews(r.zfs, ds, []);
  const alone = (name: string) => `view clone ${name}: carries zbk's mark but not as zbk makes views (name and pid); zbk leaves it alone (zfs destroy it by hand if it is not needed)`;
  t.deepEqual(v.map(describeView), [
    `view clone ${ds}/zbk-view-${process.pid}-s1: in use by zbk (pid ${process.pid})`,
    `view clone ${ds}/zbk-view-${DEAD}-s1: left by a zbk that was killed (pid ${DEAD}); the next zbk history, diff or restore of this dataset removes it`,
    alone(`${ds}/odd`), alone(ds), alone(`${ds}/zbk-view-${DEAD}-s1/child`), alone(`${ds}/zbk-view-1-s1`),
  ]);
});

test('view names: valid dataset names, refused where the snapshot name is not; owners are pids', (t) => {
  t.is(cloneName('tank/a', 12, 'zbk_2026-11-21T030000Z'), 'tank/a/zbk-view-12-zbk_2026-11-21T030000Z');
  t.throws(() => cloneName('tank/a', 12, 'with space'), { message: /cannot make a view of tank\/a@with space/ });
  t.deepEqual(['12', 'zbk-view:12', '0', 'x12', '-1'].map(ownerPid), [12, 12, null, null, null]);
});

test('a clone zfs refuses fails open() with zfs\'s words; close() destroys nothing zbk did not make, and asks zfs for half-made ones', async (t) => {
  const { live, state } = await dirs();
  const ds = 'zbkt_cap/a';
  const r = replay(t, [
    mounted(ds, live),
    viewList(ds),
    exchange(`zfs clone -o readonly=on -o mountpoint=${join(state, 'views', String(PID), 'gone')} -o zbk:view=${PID} ${ds}@gone ${ds}/zbk-view-${PID}-gone`, {
      exitCode: 1, stderr: `cannot open '${ds}@gone': dataset does not exist\n`,
    }),
    viewList(ds),
  ]);
  const views = await openViews(r.zfs, { dataset: ds, stateDir: state, snapshots: [], pid: PID });
  await t.throwsAsync(views.open(['gone']), { message: /dataset does not exist/ });
  await views.close();
  t.false(existsSync(join(state, 'views', 'create.lock')));
});
