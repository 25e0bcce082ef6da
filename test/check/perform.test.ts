/**
 * performChecks: the planned checks performed on the world, in order, each only after what it
 * needs has passed. zfs and zpool are recorded answers (test/helpers/replay.ts), files are real
 * files, and rsync:// is the real rsync against a port where nothing listens.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { performChecks } from '../../src/check/perform.js';
import type { Result } from '../../src/check/plan.js';
import { parseConfig } from '../../src/config/load.js';
import { exchange, replay, type Replay } from '../helpers/replay.js';

async function checks(t: ExecutionContext, r: Replay, jobs: string) {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-perform-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const config = await parseConfig(jobs.replaceAll('DIR', dir), join(dir, 'zbk.toml'));
  const seen: Result[] = [];
  const results = await performChecks({ config, jobs: config.jobs, zfs: r.zfs, home: dir, uid: process.getuid?.() ?? 0, onResult: (x) => seen.push(x) });
  t.deepEqual(seen, results, 'each result is told as it is known, in order');
  return { dir, results: results.map((x) => `${x.job ?? 'config'} ${x.check} ${x.status}: ${x.message}`) };
}

const pool = (name: string, health: string) => exchange(`zpool list -H -o name,capacity,health -- ${name}`, { stdout: `${name}\t12%\t${health}\n` });
const props = (dataset: string, owner: string, mounted = 'yes') =>
  exchange(`zfs get -H -p -o name,property,value zbk:job,mountpoint,mounted ${dataset}`, { stdout: `${dataset}\tzbk:job\t${owner}\n${dataset}\tmountpoint\t/${dataset}\n${dataset}\tmounted\t${mounted}\n` });

test('a snapshot-only job: its pool, then its dataset (which need not be mounted)', async (t) => {
  const r = replay(t, [pool('tank', 'ONLINE'), props('tank/db', 'db', 'no')]);
  const { results } = await checks(t, r, '[[job]]\nname = "db"\ndataset = "tank/db"\n');
  t.deepEqual(results, ['db pool ok: pool tank is ONLINE', "db dataset ok: dataset tank/db is job db's"]);
});

test('a pool that does not exist fails, and its dataset is not looked at; a DEGRADED pool warns', async (t) => {
  const r = replay(t, [
    exchange('zpool list -H -o name,capacity,health -- tank', { exitCode: 1, stderr: "cannot open 'tank': no such pool\n" }),
    pool('backup', 'DEGRADED'), props('backup/web', 'mail'),
  ]);
  const { results } = await checks(t, r, '[[job]]\nname = "db"\ndataset = "tank/db"\n[[job]]\nname = "web"\ndataset = "backup/web"\n');
  t.deepEqual(results, [
    "db pool fail: pool tank does not exist (or is not imported): `zpool import tank`, or fix the job's dataset",
    'web pool warn: pool backup is DEGRADED: see `zbk scrub-report backup`',
    "web dataset fail: dataset backup/web belongs to job mail (zbk:job), not web: fix the job's dataset",
  ]);
});

test('a local source: the directory must exist; the dataset must be mounted and the job\'s', async (t) => {
  const r = replay(t, [pool('tank', 'ONLINE'), props('tank/loc', 'loc', 'no')]);
  const { results } = await checks(t, r, '[[job]]\nname = "loc"\ndataset = "tank/loc"\nsource = "DIR/"\n');
  t.is(results.length, 3);
  t.regex(results[0]!, /^loc local-source ok: /);
  t.is(results[2], 'loc dataset fail: dataset tank/loc is not mounted (mountpoint /tank/loc): mount it with `zfs mount tank/loc`');
});

test('ssh: a missing key file fails, and ssh is not tried with it; a dataset zfs cannot open fails', async (t) => {
  const r = replay(t, [pool('tank', 'ONLINE'), exchange('zfs get -H -p -o name,property,value zbk:job,mountpoint,mounted tank/web', { exitCode: 1, stderr: "cannot open 'tank/web': dataset does not exist\n" })]);
  const { results } = await checks(t, r, '[[job]]\nname = "web"\ndataset = "tank/web"\nsource = "root@web.invalid:/srv/"\nssh_key = "DIR/no-key"\nknown_hosts = "DIR/known_hosts"\n');
  t.true(results.some((x) => x.startsWith('web ssh-key fail: ')), results.join('\n'));
  t.false(results.some((x) => x.startsWith('web ssh ')), 'ssh not run');
  t.is(results.at(-1), 'web dataset fail: dataset tank/web does not exist: create it with `zbk init --job web`');
});

test('rsync://: a password file others may read fails; a daemon nobody answers for fails in rsync\'s words', async (t) => {
  const r = replay(t, [pool('tank', 'ONLINE'), props('tank/fs', 'fs')]);
  const dir = await mkdtemp(join(tmpdir(), 'zbk-perform-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'p'));
  await writeFile(join(dir, 'p', 'secret'), 'x\n');
  await chmod(join(dir, 'p', 'secret'), 0o600);
  const { results } = await checks(t, r, `[[job]]\nname = "fs"\ndataset = "tank/fs"\nsource = "rsync://zbk@127.0.0.1:1/share/"\npassword_file = "${dir}/p/secret"\n`);
  t.regex(results[0]!, /^fs password-file ok: /);
  t.regex(results[1]!, /^fs daemon fail: .*(refused|127\.0\.0\.1)/);
  t.deepEqual(results.slice(2), ['fs pool ok: pool tank is ONLINE', "fs dataset ok: dataset tank/fs is job fs's, mounted on /tank/fs"]);
});
