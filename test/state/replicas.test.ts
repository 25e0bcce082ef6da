/**
 * What zbk remembers of each job's replication to each target (issue #13). The source's prune
 * trusts the base in it, so a file that is not what zbk wrote is an error naming the file,
 * never a state without a base.
 */
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { StateUnreadable } from '../../src/state/jobs.js';
import {
  holdTag, listReplicaStates, readReplicaState, replicaStateFile, replicaStateProblem, writeReplicaState, type ReplicaState,
} from '../../src/state/replicas.js';

async function stateDir(t: ExecutionContext): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'zbk-replicas-'));
  t.teardown(() => rm(d, { recursive: true, force: true }));
  return d;
}

const copy = (day: number, guid = `1${day}0000000000000001`) => ({ name: `zbk_2026-11-${day}T030000Z`, guid, time: `2026-11-${day}T03:00:00Z` });

const state = (job = 'web', target = 'offsite'): ReplicaState => ({
  job, target, source: `tank/backup/${job}`, destination: `vault/zbk/${job}`,
  base: copy(25),
  delivered: [copy(24), copy(25)],
  holds: [{ snapshot: `tank/backup/${job}@zbk_2026-11-25T030000Z`, tag: holdTag(target) }],
  lastAttempt: { start: '2026-11-25T05:30:00Z', end: '2026-11-25T05:31:00Z', outcome: 'ok', message: null, mode: 'incremental', sent: ['zbk_2026-11-25T030000Z'], bytes: 123456 },
  lastSuccess: { start: '2026-11-25T05:30:00Z', end: '2026-11-25T05:31:00Z', outcome: 'ok', message: null, mode: 'incremental', sent: ['zbk_2026-11-25T030000Z'], bytes: 123456 },
});

test('the file is <state_dir>/replicas/<job>@<target>.json; the hold tag names zbk and the target', (t) => {
  t.is(replicaStateFile('/var/db/zbk', 'web', 'offsite'), '/var/db/zbk/replicas/web@offsite.json');
  t.is(holdTag('offsite'), 'zbk-replica:offsite');
});

test('a job that never replicated has no state; a state_dir that does not exist lists none', async (t) => {
  const d = await stateDir(t);
  t.is(await readReplicaState(d, 'web', 'offsite'), null);
  t.deepEqual(await listReplicaStates(d), []);
  t.deepEqual(await listReplicaStates(join(d, 'missing')), []);
});

test('written, then read back as it was, in a private directory', async (t) => {
  const d = await stateDir(t);
  const s = state();
  await writeReplicaState(d, s);
  t.deepEqual(await readReplicaState(d, 'web', 'offsite'), s);
  t.is((await stat(join(d, 'replicas'))).mode & 0o777, 0o700);
  t.is((await stat(replicaStateFile(d, 'web', 'offsite'))).mode & 0o777, 0o600);
  const nulls: ReplicaState = { ...s, base: null, delivered: [], holds: [], lastAttempt: null, lastSuccess: null };
  await writeReplicaState(d, nulls);
  t.deepEqual(await readReplicaState(d, 'web', 'offsite'), nulls);
  t.deepEqual(await readdir(join(d, 'replicas')), ['web@offsite.json'], 'no temporary file left behind');
});

test('listReplicaStates reads every state, also of targets no longer configured, in file order', async (t) => {
  const d = await stateDir(t);
  await writeReplicaState(d, state('web', 'usb'));
  await writeReplicaState(d, state('db', 'offsite'));
  await writeReplicaState(d, state('web', 'offsite'));
  t.deepEqual((await listReplicaStates(d)).map((s) => `${s.job}@${s.target}`), ['db@offsite', 'web@offsite', 'web@usb']);
});

test('listReplicaStates skips nothing silently: a stray or corrupt file is an error naming it', async (t) => {
  const d = await stateDir(t);
  await writeReplicaState(d, state());
  const dir = join(d, 'replicas');
  await writeFile(join(dir, 'notes.txt'), 'x');
  await t.throwsAsync(listReplicaStates(d), { instanceOf: StateUnreadable, message: `${join(dir, 'notes.txt')}: not a replica state file (<job>@<target>.json); move it out of ${dir}` });
  await rm(join(dir, 'notes.txt'));
  await writeFile(join(dir, 'db@usb.json'), '{"job": "db"');
  await t.throwsAsync(listReplicaStates(d), { instanceOf: StateUnreadable, message: new RegExp(`^${join(dir, 'db@usb.json')}: not valid JSON`) });
  await writeFile(join(dir, 'db@usb.json'), JSON.stringify(state('web', 'offsite')));
  await t.throwsAsync(listReplicaStates(d), { instanceOf: StateUnreadable, message: /db@usb\.json: holds the state of web@offsite, not what its name says/ });
  await rm(join(dir, 'db@usb.json'));
  await writeFile(join(dir, '.web@offsite.json.0123456789abcdef.tmp'), '{');
  t.is((await listReplicaStates(d)).length, 1, 'a temporary file of a write (store.ts) is not a state');
});

test('a state of another job or target in the file is refused, naming the file', async (t) => {
  const d = await stateDir(t);
  await mkdir(join(d, 'replicas'), { mode: 0o700 });
  await writeFile(replicaStateFile(d, 'web', 'offsite'), JSON.stringify(state('web', 'usb')));
  await t.throwsAsync(readReplicaState(d, 'web', 'offsite'), { instanceOf: StateUnreadable, message: /web@offsite\.json: holds the state of web@usb, not of web@offsite/ });
});

test('corrupt or hostile content is an error naming the file and what is wrong', async (t) => {
  const d = await stateDir(t);
  await mkdir(join(d, 'replicas'), { mode: 0o700 });
  const file = replicaStateFile(d, 'web', 'offsite');
  const s = state() as unknown as Record<string, unknown>;
  const cases: [unknown, string][] = [
    ['[]', 'not an object'],
    [{ ...s, job: undefined }, 'job missing or not a name'],
    [{ ...s, source: '-oProxyCommand=x' }, 'source missing or not a name'],
    [{ ...s, destination: 'vault/zbk/web\n' }, 'destination missing or not a name'],
    [{ ...s, base: undefined }, 'base: not an object'],
    [{ ...s, base: { ...copy(25), name: '-R' } }, 'base: no snapshot name'],
    [{ ...s, base: { ...copy(25), guid: 'x' } }, 'base: no guid for zbk_2026-11-25T030000Z'],
    [{ ...s, base: { ...copy(25), guid: 12345 } }, 'base: no guid for zbk_2026-11-25T030000Z'],
    [{ ...s, base: { ...copy(25), time: 'yesterday' } }, 'base: no time for zbk_2026-11-25T030000Z'],
    [{ ...s, delivered: {} }, 'delivered is not a list'],
    [{ ...s, delivered: [null] }, 'delivered: not an object'],
    [{ ...s, holds: [{ snapshot: 'tank/web@x' }] }, 'holds is not a list of snapshot and tag'],
    [{ ...s, lastAttempt: { ...state().lastAttempt, outcome: 'great' } }, 'lastAttempt: no outcome'],
    [{ ...s, lastSuccess: { ...state().lastAttempt, end: 'never' } }, 'lastSuccess: no start or end instant'],
    [{ ...s, lastSuccess: { ...state().lastAttempt, mode: 'magic' } }, 'lastSuccess: a wrong mode'],
    [{ ...s, lastSuccess: { ...state().lastAttempt, sent: 'all' } }, 'lastSuccess: a wrong list of sent snapshots'],
    [{ ...s, lastSuccess: { ...state().lastAttempt, bytes: -1 } }, 'lastSuccess: a wrong byte count'],
    [{ ...s, lastSuccess: { ...state().lastAttempt, message: 7 } }, 'lastSuccess: a wrong message'],
  ];
  for (const [data, why] of cases) {
    await writeFile(file, typeof data === 'string' ? data : JSON.stringify(data));
    await t.throwsAsync(readReplicaState(d, 'web', 'offsite'), {
      instanceOf: StateUnreadable, message: `${file}: not a zbk replica state (${why}); move it aside to start afresh`,
    }, why);
  }
  await writeFile(file, '{"__proto__": {"base": null}}');
  await t.throwsAsync(readReplicaState(d, 'web', 'offsite'), { instanceOf: StateUnreadable, message: /job missing or not a name/ });
});

test('a link in place of the file is refused, not followed; an unreadable file names itself', async (t) => {
  const d = await stateDir(t);
  await mkdir(join(d, 'replicas'), { mode: 0o700 });
  const file = replicaStateFile(d, 'web', 'offsite');
  await writeFile(join(d, 'elsewhere.json'), JSON.stringify(state()));
  await symlink(join(d, 'elsewhere.json'), file);
  await t.throwsAsync(readReplicaState(d, 'web', 'offsite'), { message: new RegExp(`${file}.*is a symbolic link`) });
  await rm(file);
  if (process.getuid?.() !== 0) {
    await writeFile(file, JSON.stringify(state()));
    await chmod(file, 0o000);
    await t.throwsAsync(readReplicaState(d, 'web', 'offsite'), { instanceOf: StateUnreadable, message: `${file}: cannot be read (EACCES); check its permissions and its directory's` });
  }
  await writeReplicaState(d, state());
  t.regex(await readFile(file, 'utf8'), /"base"/, 'a write replaces the link or file by rename');
});

test('a replicas directory others may write is refused', async (t) => {
  const d = await stateDir(t);
  await mkdir(join(d, 'replicas'), { mode: 0o700 });
  await chmod(join(d, 'replicas'), 0o777);
  await t.throwsAsync(readReplicaState(d, 'web', 'offsite'), { message: /replicas.*is writable by others/ });
  await t.throwsAsync(listReplicaStates(d), { message: /replicas.*is writable by others/ });
});

test('zbk never writes a state it would refuse to read', async (t) => {
  const d = await stateDir(t);
  await t.throwsAsync(writeReplicaState(d, { ...state(), base: { ...copy(25), guid: 'nope' } }), { message: /internal error: .*base: no guid/ });
  t.is(replicaStateProblem(state()), null);
  t.deepEqual(await listReplicaStates(d), []);
});
