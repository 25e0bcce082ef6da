/** The dialect probes, against the answers of zfs-fuse (captured) and of modern OpenZFS (test/helpers/replay.ts). */
import test from 'ava';
import { ZfsError } from '../../src/zfs/errors.js';
import { probeStatusJson, probeZfs } from '../../src/zfs/probe.js';
import { exchange, replay } from '../helpers/replay.js';

const R = 'zfs/replay/';
const PROBE = 'zfs list -H -p -o name -d 0';

test('zfs-fuse refuses `zfs list -p`: the legacy dialect', async (t) => {
  t.deepEqual(await probeZfs(replay(t, `${R}legacy-probe.txt`).run), { modern: false });
});

test('OpenZFS takes `zfs list -p`: the modern dialect, probed once for the whole process', async (t) => {
  const r = replay(t, `${R}openzfs-probe.txt`);
  t.deepEqual(await probeZfs(r.run), { modern: true });
  const again = replay(t, `${R}openzfs-probe.txt`);
  await Promise.all([again.zfs.dialect(), again.zfs.dialect()]);
  t.deepEqual(await again.zfs.dialect(), { modern: true });
  t.is(again.calls.length, 1);
});

test('a probe that fails for another reason is no dialect: the error reaches the caller', async (t) => {
  const missing = replay(t, [exchange(PROBE, { exitCode: null, errno: 'ENOENT', stderr: 'spawn zfs ENOENT' })]);
  const e = await t.throwsAsync(missing.zfs.dialect(), { instanceOf: ZfsError });
  t.is(e?.kind, 'not-installed');
  t.is(e?.message, 'zfs not found (set [zbk] zfs in the config to its absolute path)');
});

test('`zpool status -j`: zfs-fuse refuses the option; OpenZFS 2.3 answers that the pool does not exist', async (t) => {
  t.false(await probeStatusJson(replay(t, `${R}legacy-probe-status-j.txt`).run));
  t.true(await probeStatusJson(replay(t, `${R}openzfs-probe-status-j.txt`).run));
});
