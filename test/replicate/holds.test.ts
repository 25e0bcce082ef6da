/**
 * Moving the source's holds, on modern ZFS (replayed: this machine's pool v23 cannot list the
 * tags on a snapshot). The state's holds are released, and so is this target's tag found on a
 * snapshot no state names; the new base keeps its hold, and other tags are left alone.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { releaseHolds } from '../../src/replicate/holds.js';
import { readReplicaState, type ReplicaState } from '../../src/state/replicas.js';
import { exchange, replay } from '../helpers/replay.js';

const day = (d: number) => `zbk_2026-11-0${d}T030000Z`;
const missing = { exitCode: 1, stderr: "cannot open 'zbk-probe-no-such-pool': dataset does not exist\n" };

test('modern ZFS: the state\'s stale holds and this target\'s tag that no state names are released; the base and other tags stay', async (t) => {
  const stateDir = await mkdtemp(join(tmpdir(), 'zbk-holds-'));
  const r = replay(t, [
    // Only the probe whose answer is used: can the tags be listed?
    exchange('zfs holds -H zbk-probe-no-such-pool@zbk-probe-no-such-pool', missing),
    exchange(`zfs holds -H tank/web@${day(2)} tank/web@${day(4)}`, {
      stdout: `tank/web@${day(2)}\tzbk-replica:vault\tWed Nov 25 03:00 2026\ntank/web@${day(2)}\tkeep-me\tWed Nov 25 03:01 2026\ntank/web@${day(4)}\tzbk-replica:usb\tWed Nov 25 03:00 2026\n`,
    }),
    exchange(`zfs release zbk-replica:vault tank/web@${day(1)}`),
    exchange(`zfs release zbk-replica:vault tank/web@${day(2)}`),
  ]);
  const state: ReplicaState = {
    job: 'web', target: 'vault', source: 'tank/web', destination: 'vault/zbk/web', base: null, delivered: [],
    holds: [{ snapshot: day(1), tag: 'zbk-replica:vault' }, { snapshot: day(3), tag: 'zbk-replica:vault' }],
    lastAttempt: null, lastSuccess: null,
  };
  const listed = [day(1), day(2), day(3), day(4), day(5)].map((name, i) => ({ name, userrefs: i === 4 ? 0 : 1 }));
  const after = await releaseHolds({ zfs: r.zfs, stateDir, dataset: 'tank/web' }, state, day(3), listed);
  t.deepEqual(after.holds, [{ snapshot: day(3), tag: 'zbk-replica:vault' }]);
  t.deepEqual((await readReplicaState(stateDir, 'web', 'vault'))?.holds, after.holds, 'written');
});
