/** takeSnapshots against zfs's recorded answers (test/helpers/replay.ts): atomic per pool on OpenZFS, one by one on zfs-fuse. */
import test from 'ava';
import { takeSnapshots } from '../../src/jobs/snapshot.js';
import { replay } from '../helpers/replay.js';

const R = 'zfs/replay/';
const NIGHT = new Date('2026-11-25T03:00:00Z');

test('OpenZFS: one atomic zfs snapshot a pool; a pool whose snapshot fails does not stop the other', async (t) => {
  const r = replay(t, `${R}openzfs-probe.txt`, `${R}openzfs-snapshot.txt`);
  const o = await takeSnapshots(r.zfs, ['tank/a', 'tank/b', 'backup/c'], 'zbk', NIGHT);
  t.is(o.name, 'zbk_2026-11-25T030000Z');
  t.deepEqual(o.taken, ['tank/a', 'tank/b']);
  t.deepEqual(o.failed, [{
    dataset: 'backup/c',
    reason: 'backup/c@zbk_2026-11-25T030000Z already exists (zbk takes at most one snapshot a second; nothing was overwritten)',
  }]);
});

test('zfs-fuse: one zfs snapshot a dataset; the one that exists already is reported, the next one is taken', async (t) => {
  const r = replay(t, `${R}legacy-probe.txt`, `${R}legacy-snapshot.txt`);
  const o = await takeSnapshots(r.zfs, ['zbkt_cap/a', 'zbkt_cap/b'], 'zbk', NIGHT);
  t.deepEqual(o.taken, ['zbkt_cap/b']);
  t.deepEqual(o.failed, [{
    dataset: 'zbkt_cap/a',
    reason: 'zbkt_cap/a@zbk_2026-11-25T030000Z already exists (zbk takes at most one snapshot a second; nothing was overwritten)',
  }]);
  t.is(r.maxInFlight(), 1);
});
