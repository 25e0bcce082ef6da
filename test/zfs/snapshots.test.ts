import test from 'ava';
import { ZfsError } from '../../src/zfs/errors.js';
import { parseSnapshotList, snapshotCreateArgs, snapshotListArgs } from '../../src/zfs/snapshots.js';
import type { Dialect } from '../../src/zfs/probe.js';
import { fixture } from '../helpers/fixtures.js';

const modern: Dialect = { modern: true };
const legacy: Dialect = { modern: false };

test('listing asks zfs get for exact values, with -t snapshot where it exists', (t) => {
  t.deepEqual(snapshotListArgs('tank/a', modern), [
    'get', '-H', '-p', '-d', '1', '-t', 'snapshot', '-o', 'name,property,value', 'creation,used,referenced,userrefs', 'tank/a',
  ]);
  t.deepEqual(snapshotListArgs('tank/a', legacy), [
    'get', '-H', '-p', '-d', '1', '-o', 'name,property,value', 'creation,used,referenced,userrefs', 'tank/a',
  ]);
});

test('zfs-fuse output: the dataset itself is left out, snapshots come in creation order', (t) => {
  const snaps = parseSnapshotList(fixture('zfs/legacy-get-snapshots.txt'), 'zbkt_x/a');
  t.deepEqual(snaps.map((s) => s.name), ['s1', 's2', 's3', 'zbk_2026-11-25T030000Z', 'manual-before-upgrade']);
  t.is(snaps[0]!.creation, 1795749622);
  t.is(snaps[0]!.referenced, 114688);
  t.is(snaps[0]!.userrefs, 0);
});

test('OpenZFS output: holds are read; other properties in the rows are passed over', (t) => {
  const snaps = parseSnapshotList(fixture('zfs/openzfs-get-snapshots.txt'), 'tank/backup/usa-vds');
  t.deepEqual(snaps.map((s) => [s.name, s.userrefs]), [
    ['zbk_2026-11-25T030000Z', 0],
    ['manual-before-upgrade', 1],
    ['zbk_2026-11-26T030000Z', 0],
  ]);
  t.is(snaps[0]!.used, 1572864);
  t.deepEqual(snaps.map((s) => new Date(s.creation * 1000).toISOString()), ['2026-11-25T03:00:00.000Z', '2026-11-25T09:46:40.000Z', '2026-11-26T03:00:00.000Z']);
});

test('creation is read exactly in both dialects, whatever the name says (the safety rules compare the two)', (t) => {
  const fuse = parseSnapshotList(fixture('zfs/legacy-get-snapshots-future-name.txt'), 'zbkt_pf/a');
  t.deepEqual(fuse.map((s) => [s.name, s.creation]), [
    ['zbk_2026-03-01T030000Z', 1796095688],
    ['zbk_2026-12-01T032808Z', 1796095688],
    ['manual-before-upgrade', 1796095688],
    ['zbk_2036-01-01T030000Z', 1796095689],
  ]);
  const openzfs = parseSnapshotList(fixture('zfs/openzfs-get-snapshots-future-name.txt'), 'tank/backup/web');
  t.deepEqual(openzfs.map((s) => [s.name, s.creation]), [
    ['zbk_2026-11-29T030000Z', 1795921200],
    ['zbk_2026-11-30T030000Z', 1796007600],
    ['zbk_2036-11-30T030000Z', 1796007917],
    ['zbk_2026-12-01T030000Z', 1796094000],
  ], 'in creation order, not name order');
});

test('a snapshot listed without an exact creation time fails the listing, naming it', (t) => {
  const rows = (creation: string | null) =>
    `tank/a@zbk_2026-11-26T030000Z\tcreation\t1795662000\n${creation === null ? '' : `tank/a@zbk_2036-01-01T030000Z\tcreation\t${creation}\n`}tank/a@zbk_2036-01-01T030000Z\tused\t0\n`;
  t.is(parseSnapshotList(rows('1795662001'), 'tank/a').length, 2);
  for (const creation of [null, '-', '', 'Thu Nov 26  3:00 2026', 'NaN', 'Infinity']) {
    const e = t.throws(() => parseSnapshotList(rows(creation), 'tank/a'), { instanceOf: ZfsError }, String(creation));
    t.is(e.message, 'zfs get listed tank/a@zbk_2036-01-01T030000Z without a creation time');
  }
});

test('a child dataset with a similar name is not taken for a snapshot', (t) => {
  const text = 'tank/a-b@s\tcreation\t1\ntank/a/child@s\tcreation\t2\ntank/a@s\tcreation\t3\n';
  t.deepEqual(parseSnapshotList(text, 'tank/a').map((s) => s.name), ['s']);
});

test('modern ZFS snapshots a pool\'s datasets in one atomic command, older ZFS one by one', (t) => {
  const names = ['tank/a@x', 'tank/b@x', 'backup/c@x'];
  t.deepEqual(snapshotCreateArgs(names, modern), [['snapshot', 'tank/a@x', 'tank/b@x'], ['snapshot', 'backup/c@x']]);
  t.deepEqual(snapshotCreateArgs(names, legacy), [['snapshot', 'tank/a@x'], ['snapshot', 'tank/b@x'], ['snapshot', 'backup/c@x']]);
});
