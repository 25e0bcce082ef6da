/** The dialect probes, against the answers of zfs-fuse (captured) and of modern OpenZFS (test/helpers/replay.ts). */
import test from 'ava';
import { ZfsError } from '../../src/zfs/errors.js';
import { probeStatusJson, probeZfs, type Capabilities } from '../../src/zfs/probe.js';
import { Zfs } from '../../src/zfs/zfs.js';
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

const MODERN_CAPS: Capabilities = { modern: true, receiveUnmounted: true, resumable: true, bookmarks: true, listHolds: true, sendEstimate: true };
// zfs-fuse takes receive -u, though its usage does not list it (captured; it also leaves the copy unmounted).
const LEGACY_CAPS: Capabilities = { modern: false, receiveUnmounted: true, resumable: false, bookmarks: false, listHolds: false, sendEstimate: false };

test('replication capabilities: OpenZFS has every feature; each probe fails only after its options were read', async (t) => {
  const r = replay(t, `${R}openzfs-capabilities.txt`);
  t.deepEqual(await r.zfs.capabilities(), MODERN_CAPS);
  t.deepEqual(await r.zfs.capabilities(), MODERN_CAPS, 'asked once');
  t.is(r.calls.length, 6);
});

test('replication capabilities: zfs-fuse (pool v23) takes receive -u and refuses the rest at its option, property, type or missing helper', async (t) => {
  t.deepEqual(await replay(t, `${R}legacy-capabilities.txt`).zfs.capabilities(), LEGACY_CAPS);
});

test('the dialect alone is one command: listing and destroying never probe the replication features', async (t) => {
  const r = replay(t, `${R}openzfs-probe.txt`);
  t.deepEqual(await r.zfs.dialect(), { modern: true });
  t.deepEqual(r.calls, [PROBE]);
});

test('a target is probed under its dataset (the forced-command wrapper lets nothing else through), only for what a target does', async (t) => {
  const modern = replay(t, `${R}openzfs-capabilities-target.txt`);
  t.deepEqual(await new Zfs(modern.run, { probeUnder: 'vault/zbk' }).capabilities(), { ...MODERN_CAPS, bookmarks: false, listHolds: false, sendEstimate: false });
  const legacy = replay(t, `${R}legacy-capabilities-target.txt`);
  t.deepEqual(await new Zfs(legacy.run, { probeUnder: 'zbkt_cap/zbk' }).capabilities(), LEGACY_CAPS);
  t.true([...modern.calls, ...legacy.calls].every((c) => c === 'zfs receive -u' || / (vault|zbkt_cap)\/zbk$/.test(c)));
});

test('a feature probe refused for another reason (the wrapper, permissions) is an error, never a guess', async (t) => {
  const refused = replay(t, [
    exchange('zfs list -H -p -o name -d 0 vault/zbk', { exitCode: 1, stderr: 'cannot open \'vault/zbk\': dataset does not exist\n' }),
    exchange('zfs receive -u', { exitCode: 1, stderr: 'zbk-receive: refused: zfs receive -u is not let through\n' }),
    exchange('zfs get -H -o value receive_resume_token vault/zbk', { exitCode: 1, stderr: 'cannot open \'vault/zbk\': dataset does not exist\n' }),
  ]);
  const e = await t.throwsAsync(new Zfs(refused.run, { probeUnder: 'vault/zbk' }).capabilities(), { instanceOf: ZfsError });
  t.is(e?.kind, 'failed');
  t.regex(e?.message ?? '', /zbk-receive: refused/);
});
