/** Snapshots with their guids (src/zfs/guids.ts), on both dialects' answers. */
import test from 'ava';
import { ZfsError } from '../../src/zfs/errors.js';
import { parseSnapshotGuids } from '../../src/zfs/guids.js';
import { exchange, replay } from '../helpers/replay.js';

const R = 'zfs/replay/';

test('OpenZFS: every snapshot with its guid (as digits: 64 bits do not fit a number), oldest first; the file system\'s and a bookmark\'s rows left out by name; no dialect probe', async (t) => {
  const r = replay(t, `${R}openzfs-guids.txt`);
  t.deepEqual(await r.zfs.snapshotGuids('tank/backup/web'), [
    { name: 'zbk_2026-11-24T030000Z', guid: '8271533420195378811', creation: 1795489200, userrefs: 0 },
    { name: 'manual-before-upgrade', guid: '4433221100998877665', creation: 1795518000, userrefs: 0 },
    { name: 'zbk_2026-11-25T030000Z', guid: '17946216394880012345', creation: 1795575600, userrefs: 1 },
    { name: 'zbk_2026-11-26T030000Z', guid: '205511087333215597', creation: 1795662000, userrefs: 0 },
  ]);
});

test('zfs-fuse: the dataset\'s own rows and a child\'s are left out by name; one second\'s snapshots keep their order', async (t) => {
  const r = replay(t, `${R}legacy-guids.txt`);
  const snaps = (await r.zfs.snapshotGuids('zbkt_cap/a'))!;
  t.deepEqual(snaps.map((s) => s.name), [21, 22, 23, 24, 25].map((d) => `zbk_2026-11-${d}T030000Z`).concat('manual-before-upgrade'));
  t.deepEqual(snaps[4], { name: 'zbk_2026-11-25T030000Z', guid: '2026394307185615605', creation: 1796107480, userrefs: 1 });
  t.is(new Set(snaps.map((s) => s.guid)).size, 6);
});

test('a dataset that does not exist: null (the target has no copy yet)', async (t) => {
  const r = replay(t, [
    exchange('zfs get -H -p -d 1 -o name,property,value guid,creation,userrefs zbkt_cap/b', { exitCode: 1, stderr: "cannot open 'zbkt_cap/b': dataset does not exist\n" }),
  ]);
  t.is(await r.zfs.snapshotGuids('zbkt_cap/b'), null);
});

test('hostile rows: a guid that is not a number, a missing creation, a name zbk cannot read are errors, never guesses', (t) => {
  const row = (name: string, guid: string) => `tank/a@${name}\tguid\t${guid}\ntank/a@${name}\tcreation\t1\n`;
  for (const [text, message] of [
    [row('x', '12ab'), /tank\/a@x with the guid "12ab", not a number/],
    [row('x', '-1'), /not a number/],
    [row('x', '123456789012345678901'), /not a number/],
    ['tank/a@x\tguid\t5\n', /tank\/a@x without a creation time/],
    [row('x@y', '5'), /a snapshot zbk cannot read: "tank\/a@x@y"/],
    [row('x#b', '5'), /cannot read/],
    [row('', '5'), /cannot read/],
    [row('a\rb', '5'), /cannot read/],
  ] as const) {
    const e = t.throws(() => parseSnapshotGuids(text, 'tank/a'), { instanceOf: ZfsError });
    t.regex(e?.message ?? '', message);
  }
});

test('names that are object keys elsewhere are plain names here', (t) => {
  const text = ['__proto__', 'constructor', 'toString'].map((n, i) => `tank/a@${n}\tguid\t${i + 1}\ntank/a@${n}\tcreation\t${i}\n`).join('');
  t.deepEqual(parseSnapshotGuids(text, 'tank/a').map((s) => [s.name, s.guid]), [['__proto__', '1'], ['constructor', '2'], ['toString', '3']]);
});
