/** Bookmarks (src/zfs/bookmarks.ts): OpenZFS only; none where the dialect has none. */
import test from 'ava';
import { bookmarkArgs, parseBookmarks } from '../../src/zfs/bookmarks.js';
import { ZfsError } from '../../src/zfs/errors.js';
import { pick, replay } from '../helpers/replay.js';

const R = 'zfs/replay/';

test('OpenZFS: bookmark the base, list the bookmarks with their guids, destroy one', async (t) => {
  const r = replay(t, `${R}openzfs-capabilities.txt`, `${R}openzfs-bookmarks.txt`);
  t.true((await r.zfs.capabilities()).bookmarks);
  await r.zfs.bookmark('tank/backup/web@zbk_2026-11-25T030000Z', 'zbk-replica_offsite');
  t.deepEqual(await r.zfs.bookmarks('tank/backup/web'), [
    { name: 'zbk-replica_offsite', guid: '17946216394880012345', creation: 1795575600 },
    { name: 'manual-mark', guid: '8271533420195378811', creation: 1795489200 },
  ]);
  await r.zfs.destroyBookmark('tank/backup/web', 'manual-mark');
});

test('zfs-fuse: no bookmarks to list, and nothing run to list them', async (t) => {
  const r = replay(t, pick(`${R}legacy-capabilities.txt`, '-t bookmark'));
  t.deepEqual(await r.zfs.bookmarks('zbkt_cap/a'), []);
  t.is(r.calls.length, 1, 'its probe only');
});

test('names that are not plain, or a snapshot without @, are refused before zfs runs', (t) => {
  for (const [snap, name] of [['tank/a@x', '-r'], ['tank/a@x', 'a#b'], ['tank/a@x', 'a/b'], ['tank/a', 'ok']] as const) {
    t.throws(() => bookmarkArgs(snap, name), { instanceOf: ZfsError });
  }
  t.deepEqual(bookmarkArgs('tank/a@zbk_x', 'zbk-replica_offsite'), ['bookmark', 'tank/a@zbk_x', 'tank/a#zbk-replica_offsite']);
});

test('a bookmark row with a guid that is not a number, or without a creation time, is an error; other datasets\' rows are left out', (t) => {
  t.throws(() => parseBookmarks('tank/a#x\tguid\tabc\n', 'tank/a'), { instanceOf: ZfsError, message: /not a number/ });
  t.throws(() => parseBookmarks('tank/a#x\tguid\t12\n', 'tank/a'), { instanceOf: ZfsError, message: /tank\/a#x without a creation time/ });
  t.deepEqual(parseBookmarks('tank/ab#x\tguid\t1\ntank/a@s\tguid\t2\n', 'tank/a'), []);
});
