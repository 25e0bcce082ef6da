/**
 * The Zfs face that jobs and commands use, on recorded answers (test/helpers/replay.ts): each
 * method's argv, the dialect probes asked once and only when needed, and what comes back.
 */
import test from 'ava';
import { ZfsError } from '../../src/zfs/errors.js';
import { exchange, replay, script } from '../helpers/replay.js';

const R = 'zfs/replay/';

test('exists: a dataset zfs cannot open is false (zfs-fuse\'s words, captured); one it can is true; no probe for either', async (t) => {
  const r = replay(t, [...script(`${R}legacy-init.txt`).slice(0, 1), exchange('zfs get -H -o value type zbkt_cap/a', { stdout: 'filesystem\n' })]);
  t.false(await r.zfs.exists('zbkt_cap/b'));
  t.true(await r.zfs.exists('zbkt_cap/a'));
});

test('createDataset and setProperty: one word a property, the dataset last', async (t) => {
  const r = replay(t, `${R}legacy-create.txt`, [exchange('zfs set zbk:job=web zbkt_cap/b')]);
  await r.zfs.createDataset('zbkt_cap/b', { atime: 'off', setuid: 'off', exec: 'off', devices: 'off', compression: 'on', 'zbk:job': 'web' });
  await r.zfs.setProperty('zbkt_cap/b', 'zbk:job', 'web');
  t.is(r.calls.length, 2);
});

test('getProperties and listFilesystems: exact values, by dataset', async (t) => {
  const r = replay(t, [
    exchange('zfs get -H -p -o name,property,value mountpoint,zbk:job tank/a tank/b', { stdout: 'tank/a\tmountpoint\t/backup/a b\ntank/a\tzbk:job\tweb\ntank/b\tmountpoint\tnone\ntank/b\tzbk:job\t-\n' }),
    exchange('zfs list -H -t filesystem -o name,mounted,mountpoint', { stdout: 'tank\tyes\t/tank\ntank/a\tno\t/backup/a b\n' }),
  ]);
  const props = await r.zfs.getProperties(['tank/a', 'tank/b'], ['mountpoint', 'zbk:job']);
  t.deepEqual([...props].map(([name, p]) => [name, Object.fromEntries(p)]), [
    ['tank/a', { mountpoint: '/backup/a b', 'zbk:job': 'web' }],
    ['tank/b', { mountpoint: 'none', 'zbk:job': '-' }],
  ]);
  t.deepEqual(await r.zfs.listFilesystems(), [
    { name: 'tank', mounted: true, mountpoint: '/tank' },
    { name: 'tank/a', mounted: false, mountpoint: '/backup/a b' },
  ]);
});

test('the zfs dialect is probed once, on first need, for listing and snapshots alike', async (t) => {
  const r = replay(t, `${R}openzfs-probe.txt`, `${R}openzfs-list-october.txt`, [exchange('zfs snapshot tank/backup/usa-vds@zbk_2026-10-09T030000Z')]);
  t.is((await r.zfs.listSnapshots('tank/backup/usa-vds')).length, 8);
  t.deepEqual(await r.zfs.snapshot(['tank/backup/usa-vds@zbk_2026-10-09T030000Z']), { taken: ['tank/backup/usa-vds@zbk_2026-10-09T030000Z'], failed: [] });
  t.is(r.calls.filter((c) => c === 'zfs list -H -p -o name -d 0').length, 1);
});

test('snapshot: a failed group comes back with its names and zfs\'s error; the other groups are taken', async (t) => {
  const r = replay(t, `${R}openzfs-probe.txt`, `${R}openzfs-snapshot.txt`);
  const names = ['tank/a', 'tank/b', 'backup/c'].map((ds) => `${ds}@zbk_2026-11-25T030000Z`);
  const s = await r.zfs.snapshot(names);
  t.deepEqual(s.taken, names.slice(0, 2));
  t.deepEqual(s.failed.map((f) => [f.names, f.error instanceof ZfsError && f.error.kind]), [[[names[2]], 'exists']]);
});

test('poolStatus: `-j` probed once; text on zfs-fuse, JSON where zpool has it, and says which', async (t) => {
  const legacy = replay(t, `${R}legacy-probe-status-j.txt`, [exchange('zpool status -v -- zbkh_m', { stdout: 'text' }), exchange('zpool status', { stdout: 'all' })]);
  t.deepEqual(await legacy.zfs.poolStatus(['zbkh_m']), { text: 'text', json: false });
  t.deepEqual(await legacy.zfs.poolStatus([], { verbose: false }), { text: 'all', json: false });
  const modern = replay(t, `${R}openzfs-probe-status-j.txt`, [exchange('zpool status -j --json-int -v -- tank', { stdout: '{}' })]);
  t.deepEqual(await modern.zfs.poolStatus(['tank']), { text: '{}', json: true });
});

test('poolCapacities and scrub: pool names after --', async (t) => {
  const r = replay(t, [exchange('zpool list -H -o name,capacity,health -- tank', { stdout: 'tank\t81%\tONLINE\n' }), exchange('zpool scrub -- tank')]);
  t.deepEqual(await r.zfs.poolCapacities(['tank']), [{ name: 'tank', capacity: 81, health: 'ONLINE' }]);
  await r.zfs.scrub('tank');
  t.is(r.calls.length, 2);
});
