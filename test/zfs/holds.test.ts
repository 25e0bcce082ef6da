/** User holds (src/zfs/holds.ts): hold and release on both dialects; the tags only where `zfs holds -H` exists. */
import test from 'ava';
import { ZfsError } from '../../src/zfs/errors.js';
import { parseHolds } from '../../src/zfs/holds.js';
import { fixture } from '../helpers/fixtures.js';
import { pick, replay } from '../helpers/replay.js';

const R = 'zfs/replay/';
const SNAP = 'tank/backup/web@zbk_2026-11-25T030000Z';

test('OpenZFS: hold (twice is fine), the tags, release (a tag not there is fine)', async (t) => {
  const r = replay(t, `${R}openzfs-capabilities.txt`, `${R}openzfs-holds.txt`);
  await r.zfs.capabilities();
  await r.zfs.hold('zbk-replica:offsite', [SNAP]);
  await r.zfs.hold('zbk-replica:offsite', [SNAP]);
  t.deepEqual((await r.zfs.listHolds([SNAP]))?.map((h) => h.tag), ['zbk-replica:offsite', 'keep me']);
  await r.zfs.release('zbk-replica:offsite', [SNAP]);
  await r.zfs.release('zbk-replica:gone', [SNAP]);
});

test('zfs-fuse: hold and release the same way; the tags cannot be listed (null: the state remembers them)', async (t) => {
  const r = replay(t, pick(`${R}legacy-capabilities.txt`, 'holds -H'), `${R}legacy-holds.txt`);
  const snap = 'zbkt_cap/a@zbk_2026-11-25T030000Z';
  t.is(await r.zfs.listHolds([snap]), null);
  await r.zfs.hold('zbk-replica:offsite', [snap]);
  await r.zfs.hold('zbk-replica:offsite', [snap]);
  await r.zfs.release('zbk-replica:offsite', [snap]);
  await r.zfs.release('zbk-replica:offsite', [snap]);
});

test('a tag that could be read as an option or holds odd characters is refused before zfs runs', async (t) => {
  const r = replay(t, []);
  for (const tag of ['-r', '', 'a b', 'zbk\nx', 'x'.repeat(256)]) {
    await t.throwsAsync(r.zfs.hold(tag, [SNAP]), { instanceOf: ZfsError, message: /is not a hold tag zbk places/ });
    await t.throwsAsync(r.zfs.release(tag, [SNAP]), { instanceOf: ZfsError });
  }
  t.deepEqual(r.calls, []);
});

test('holds -H rows: the tag between the first and the last tab; rows of other snapshots left out', (t) => {
  const tagsOf = (text: string) => parseHolds(text).filter((h) => h.snapshot === SNAP).map((h) => h.tag);
  t.deepEqual(tagsOf(fixture('zfs/openzfs-holds.stdout')), ['zbk-replica:offsite', 'keep me']);
  t.deepEqual(tagsOf(`${SNAP}x\tother\tWed Nov 25 03:12 2026\n\ngarbage\n`), []);
  t.deepEqual(tagsOf(`${SNAP}\t__proto__\tWed Nov 25 03:12 2026\n`), ['__proto__']);
});
