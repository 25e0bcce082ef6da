/**
 * replicaBases: the snapshots a job's prune keeps for its targets, read from the replica state
 * of each target the job's `replicate` names (issue #13).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { parseConfig } from '../../src/config/load.js';
import { replicaBases } from '../../src/jobs/replica-bases.js';
import { StateUnreadable } from '../../src/state/jobs.js';
import { replicaStateFile, writeReplicaState } from '../../src/state/replicas.js';
import { copyOf, replicaState, webConfig } from '../helpers/replica-state.js';

async function stateDir(t: ExecutionContext): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'zbk-bases-'));
  t.teardown(() => rm(d, { recursive: true, force: true }));
  return d;
}

/** web replicates to offsite and usb; db to none; no job to old. */
const CONFIG = webConfig({
  jobs: '\n[[job]]\nname = "db"\ndataset = "tank/backup/db"\n',
  targets: '\n[[target]]\nname = "old"\ndataset = "old/zbk"\n',
});

const state = (job: string, target: string, base: string | null) => replicaState(job, target, { base: base === null ? null : copyOf(base) });

const A = 'zbk_2026-11-20T030000Z';
const B = 'zbk_2026-11-22T030000Z';

test('each configured target\'s base, with the reason "replica base: T"; two targets on one base give two reasons', async (t) => {
  const d = await stateDir(t);
  const config = await parseConfig(CONFIG, '/etc/zbk.toml');
  t.deepEqual(await replicaBases(config, d, 'web'), new Map(), 'nothing replicated yet: nothing pinned');
  await writeReplicaState(d, state('web', 'offsite', A));
  t.deepEqual(await replicaBases(config, d, 'web'), new Map([[A, ['replica base: offsite']]]));
  await writeReplicaState(d, state('web', 'usb', A));
  t.deepEqual(await replicaBases(config, d, 'web'), new Map([[A, ['replica base: offsite', 'replica base: usb']]]));
  await writeReplicaState(d, state('web', 'usb', B));
  t.deepEqual(await replicaBases(config, d, 'web'), new Map([[A, ['replica base: offsite']], [B, ['replica base: usb']]]));
});

test('only the targets the job replicates to: not another job\'s, not a target left out of replicate', async (t) => {
  const d = await stateDir(t);
  const config = await parseConfig(CONFIG, '/etc/zbk.toml');
  await writeReplicaState(d, state('web', 'old', A));
  await writeReplicaState(d, state('db', 'offsite', B));
  await writeReplicaState(d, state('web', 'offsite', null));
  t.deepEqual(await replicaBases(config, d, 'web'), new Map(), 'a state without a base (a full send never finished) pins nothing');
  t.deepEqual(await replicaBases(config, d, 'db'), new Map(), 'db replicates to no target');
  t.deepEqual(await replicaBases(config, d, 'nosuchjob'), new Map());
});

test('a replica state that cannot be read stops the prune: an error naming the file, never "no base"', async (t) => {
  const d = await stateDir(t);
  const config = await parseConfig(CONFIG, '/etc/zbk.toml');
  await writeReplicaState(d, state('web', 'offsite', A));
  const file = replicaStateFile(d, 'web', 'usb');
  await writeFile(file, '{"job": "web", "target": "usb", "base": 7}');
  await t.throwsAsync(replicaBases(config, d, 'web'), { instanceOf: StateUnreadable, message: new RegExp(`^${file}: not a zbk replica state`) });
});
