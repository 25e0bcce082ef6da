import test from 'ava';
import { parseSnapshotList, snapshotCreateArgs, snapshotListArgs } from '../../src/zfs/snapshots.js';
import type { Capabilities } from '../../src/zfs/probe.js';
import { fixture } from '../helpers/fixtures.js';

const modern: Capabilities = { dialect: 'openzfs', modern: true };
const legacy: Capabilities = { dialect: 'legacy', modern: false };

test('listing asks zfs get for exact values, with -t snapshot where it exists', (t) => {
  t.deepEqual(snapshotListArgs('tank/a', modern, ['zbk:job']), [
    'get', '-H', '-p', '-d', '1', '-t', 'snapshot', '-o', 'name,property,value', 'creation,used,referenced,userrefs,zbk:job', 'tank/a',
  ]);
  t.deepEqual(snapshotListArgs('tank/a', legacy), [
    'get', '-H', '-p', '-d', '1', '-o', 'name,property,value', 'creation,used,referenced,userrefs', 'tank/a',
  ]);
});

test('zfs-fuse output: the dataset itself is left out, snapshots come in creation order', (t) => {
  const snaps = parseSnapshotList(fixture('zfs/legacy-get-snapshots.txt'), 'zbkt_x/a', ['zbk:job']);
  t.deepEqual(snaps.map((s) => s.name), ['s1', 's2', 's3', 'zbk_2026-11-25T030000Z', 'manual-before-upgrade']);
  t.is(snaps[0]!.creation, 1795749622);
  t.is(snaps[0]!.referenced, 114688);
  t.is(snaps[0]!.userrefs, 0);
  t.deepEqual(snaps[0]!.userProps, {});
});

test('OpenZFS output: holds and user properties are read', (t) => {
  const snaps = parseSnapshotList(fixture('zfs/openzfs-get-snapshots.txt'), 'tank/backup/usa-vds', ['zbk:job']);
  t.deepEqual(snaps.map((s) => [s.name, s.userrefs, s.userProps['zbk:job'] ?? null]), [
    ['zbk_2026-11-25T030000Z', 0, 'usa-vds'],
    ['manual-before-upgrade', 1, null],
    ['zbk_2026-11-26T030000Z', 0, 'usa-vds'],
  ]);
  t.is(snaps[0]!.used, 1572864);
});

test('a child dataset with a similar name is not taken for a snapshot', (t) => {
  const text = 'tank/a-b@s\tcreation\t1\ntank/a/child@s\tcreation\t2\ntank/a@s\tcreation\t3\n';
  t.deepEqual(parseSnapshotList(text, 'tank/a').map((s) => s.name), ['s']);
});

test('modern ZFS snapshots a pool\'s datasets in one atomic command, older ZFS one by one', (t) => {
  const names = ['tank/a@x', 'tank/b@x', 'backup/c@x'];
  t.deepEqual(snapshotCreateArgs(names, modern), [['snapshot', 'tank/a@x', 'tank/b@x'], ['snapshot', 'backup/c@x']]);
  t.deepEqual(snapshotCreateArgs(names, legacy), [['snapshot', 'tank/a@x'], ['snapshot', 'tank/b@x'], ['snapshot', 'backup/c@x']]);
  t.deepEqual(snapshotCreateArgs(['tank/a@x'], legacy, { 'zbk:job': 'a' }), [['snapshot', '-o', 'zbk:job=a', 'tank/a@x']]);
});
