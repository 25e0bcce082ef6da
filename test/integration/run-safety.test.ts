/**
 * What `zbk run` refuses, on a real pool (zfs-fuse) with real rsync: it pulls with
 * `rsync --delete`, so it writes only into a dataset marked as the job's own (`zbk:job`),
 * mounted where nothing else lives; and an error inside one job fails that job alone,
 * in its state, its post hook's ZBK_STATUS and the exit code, while the other jobs run.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import test from '../helpers/zfs-test.js';
import { parseConfig } from '../../src/config/load.js';
import { runJob } from '../../src/jobs/run-job.js';
import { createRunner, SYSTEM_TOOLS } from '../../src/zfs/exec.js';
import { Zfs } from '../../src/zfs/zfs.js';
import { unwrap, zbk } from '../helpers/cli.js';
import { makePool, sh, type TestPool } from '../helpers/pool.js';

const NIGHT1 = '2026-03-01T03:00:00Z';
const SNAP1 = 'zbk_2026-03-01T030000Z';

interface Bed {
  readonly pool: TestPool;
  readonly src: string;
  readonly state: string;
  readonly config: string;
  /** The post hook's environment of a job, as the hook wrote it. */
  readonly posted: (job: string) => Promise<string[]>;
}

/** Written as a job's extra lines: a snapshot-only job (no source). */
const SNAPSHOT_ONLY = '# snapshot-only';

/** A pool, a source with one file, and a config of `jobs` (name → extra TOML lines; dataset POOL/NAME, source the src). */
async function bed(t: ExecutionContext, jobs: Record<string, string>, options: { state?: (pool: TestPool) => string } = {}): Promise<Bed> {
  const pool = await makePool(t);
  const src = join(pool.dir, 'src');
  await mkdir(src);
  await writeFile(join(src, 'from-the-host.txt'), 'pulled\n');
  const state = options.state?.(pool) ?? join(pool.dir, 'state');
  const config = join(pool.dir, 'zbk.toml');
  const env = (job: string) => join(pool.dir, `${job}.post.env`);
  const blocks = Object.entries(jobs).map(([name, extra]) => [
    '[[job]]', `name = "${name}"`, `dataset = "${pool.name}/${name}"`,
    ...(extra === SNAPSHOT_ONLY ? [] : [`source = "${src}/"`]),
    `post_hook = "env | grep -E '^ZBK_(JOB|SNAPSHOT|STATUS)=' | sort > ${env(name)}"`,
    extra,
  ].join('\n'));
  await writeFile(config, `[zbk]\ntimezone = "UTC"\nstate_dir = "${state}"\n\n${blocks.join('\n\n')}\n`);
  return { pool, src, state, config, posted: async (job) => (await readFile(env(job), 'utf8')).trim().split('\n') };
}

const run = (b: Bed, ...more: string[]) => zbk(['run', '--config', b.config, '--now', NIGHT1, ...more]);

const snapshots = async (dataset: string): Promise<string[]> =>
  (await sh('zfs', ['list', '-H', '-o', 'name', '-t', 'snapshot', '-r', dataset])).stdout.split('\n').filter(Boolean).map((n) => n.split('@')[1]!);

const prop = async (dataset: string, property: string): Promise<string> =>
  (await sh('zfs', ['get', '-H', '-o', 'value', property, dataset])).stdout.trim();

interface Attempt { outcome: string; message: string | null; snapshot: string | null }
const lastAttempt = async (b: Bed, job: string): Promise<Attempt> =>
  (JSON.parse(await readFile(join(b.state, 'jobs', `${job}.json`), 'utf8')) as { lastAttempt: Attempt }).lastAttempt;

/** A dataset made by hand, as an admin who pulled with his own script has it, with a file of his in it. */
async function handMade(dataset: string, ...options: string[]): Promise<string> {
  await sh('zfs', ['create', ...options, dataset]);
  const file = join(await prop(dataset, 'mountpoint'), 'precious.txt');
  await writeFile(file, 'not from the host\n');
  return file;
}

test.serial('a dataset without zbk:job is not pulled into: its files survive, the job fails naming the adopt command; after zbk init --adopt it is', async (t) => {
  const b = await bed(t, { h1: '' });
  const ds = `${b.pool.name}/h1`;
  const precious = await handMade(ds);
  const why = `dataset ${ds} is not marked as job h1's (its zbk:job property is unset); zbk pulls with rsync --delete only into a dataset marked as the job's own: ` +
    `if ${ds} is this job's, run \`zbk init --adopt --job h1\``;

  const r = await run(b);
  t.is(r.exitCode, 2, r.stdout + r.stderr);
  t.is(unwrap(r.stdout).trim(), `h1: FAILED: ${why}`);
  t.true(existsSync(precious), 'nothing was deleted');
  t.false(existsSync(join(ds.replace(b.pool.name, b.pool.mountpoint), 'from-the-host.txt')), 'nothing was pulled');
  t.deepEqual(await snapshots(ds), []);
  t.like(await lastAttempt(b, 'h1'), { outcome: 'failed', message: why, snapshot: null });
  t.deepEqual(await b.posted('h1'), ['ZBK_JOB=h1', 'ZBK_SNAPSHOT=', 'ZBK_STATUS=failed']);
  t.is((await run(b, '--dry-run')).stdout, `job h1 (${ds}):\n  cannot run: ${why}`);

  const dry = await zbk(['init', '--config', b.config, '--adopt', '--dry-run']);
  t.is(dry.exitCode, 0, dry.stderr);
  t.is(dry.stdout, `${ds}: would run zfs set zbk:job=h1 ${ds}`);
  t.is(await prop(ds, 'zbk:job'), '-', '--dry-run changes nothing');
  const adopt = await zbk(['init', '--config', b.config, '--adopt']);
  t.is(adopt.exitCode, 0, adopt.stderr);
  t.is(adopt.stdout, `${ds}: adopted by job h1 (zbk:job=h1; nothing else changed)`);

  const after = await run(b);
  t.is(after.exitCode, 0, after.stdout + after.stderr);
  t.deepEqual(await readdir(await prop(ds, 'mountpoint')), ['from-the-host.txt'], 'an adopted dataset is the job\'s: rsync --delete makes it the source');
  t.deepEqual(await snapshots(ds), [SNAP1]);
});

test.serial('a dataset whose zbk:job names another job is refused by run and by init --adopt; a renamed job is told how to take it', async (t) => {
  const b = await bed(t, { web: '', db: '' });
  const web = `${b.pool.name}/web`;
  t.is((await zbk(['init', '--config', b.config, '--job', 'db'])).exitCode, 0);
  const precious = await handMade(web, '-o', 'zbk:job=db');

  const r = await run(b, '--job', 'web');
  t.is(r.exitCode, 2, r.stdout + r.stderr);
  t.regex(unwrap(r.stdout), new RegExp(`^web: FAILED: dataset ${web} is marked as job db's \\(zbk:job=db\\), not job web's; two jobs cannot share a dataset`));
  t.true(existsSync(precious));
  t.deepEqual(await snapshots(web), []);
  const adopt = await zbk(['init', '--config', b.config, '--adopt', '--job', 'web']);
  t.is(adopt.exitCode, 2);
  t.regex(adopt.stderr, new RegExp(`^zbk: dataset ${web} is marked as job db's \\(zbk:job=db\\)`));
  t.is(await prop(web, 'zbk:job'), 'db', 'init --adopt never takes a dataset from another job');

  await sh('zfs', ['set', 'zbk:job=old-web', web]);
  const renamed = await run(b, '--job', 'web');
  t.is(renamed.exitCode, 2);
  t.regex(unwrap(renamed.stdout), /zbk:job=old-web\), not job web's, and no job old-web is configured; if job old-web was renamed web, mark the dataset by hand \(`zfs set zbk:job=web .*\/web`\)/);
  t.true(existsSync(precious));
  // A snapshot-only job writes nothing, but its retention would prune another job's snapshots.
  const snapshotOnly = await bed(t, { keep: SNAPSHOT_ONLY });
  await sh('zfs', ['create', '-o', 'zbk:job=web', `${snapshotOnly.pool.name}/keep`]);
  const s = await run(snapshotOnly);
  t.is(s.exitCode, 2, s.stdout + s.stderr);
  t.regex(unwrap(s.stdout), /^keep: FAILED: dataset .*\/keep is marked as job web's \(zbk:job=web\), not job keep's/);
  t.deepEqual(await snapshots(`${snapshotOnly.pool.name}/keep`), []);
});

test.serial('a snapshot-only job needs no zbk:job: it writes no file', async (t) => {
  const b = await bed(t, { vm: SNAPSHOT_ONLY });
  await sh('zfs', ['create', `${b.pool.name}/vm`]);
  const r = await run(b);
  t.is(r.exitCode, 0, r.stdout + r.stderr);
  t.deepEqual(await snapshots(`${b.pool.name}/vm`), [SNAP1]);
});

test.serial('a dataset with mountpoint / is refused (never mounted here: canmount=off), by run and by init --adopt', async (t) => {
  const b = await bed(t, { root: '', bare: '' });
  const root = `${b.pool.name}/root`;
  const bare = `${b.pool.name}/bare`;
  // canmount=off: zfs never mounts these; the test must not put anything over the machine's /.
  await sh('zfs', ['create', '-o', 'canmount=off', '-o', 'mountpoint=/', '-o', 'zbk:job=root', root]);
  await sh('zfs', ['create', '-o', 'canmount=off', '-o', 'mountpoint=/', bare]);
  t.is(await prop(root, 'mounted'), 'no');
  t.is(await prop(root, 'mountpoint'), '/');

  // A config error (zbk(8)): nothing runs, not even the other job; the per-job check is the second guard.
  for (const args of [['--job', 'root'], []]) {
    const r = await run(b, ...args);
    t.is(r.exitCode, 78, r.stdout + r.stderr);
    t.is(r.stdout, '');
    t.regex(r.stderr, new RegExp(`job root: dataset ${root} has mountpoint /: a pull \\(rsync --delete\\) there would delete the system`));
  }
  t.is(await lastAttempt(b, 'root').catch(() => null), null, 'no job ran');
  const adopt = await zbk(['init', '--config', b.config, '--adopt', '--job', 'bare']);
  t.is(adopt.exitCode, 2);
  t.regex(adopt.stderr, new RegExp(`^zbk: ${bare}: not adopted: dataset ${bare} has mountpoint /, at the root file system`));
  t.is(await prop(bare, 'zbk:job'), '-');
});

test.serial('a mountpoint above zbk\'s state, above the local source or inside it is refused; the state and the source survive', async (t) => {
  const b = await bed(t, { h1: '' }, { state: (pool) => join(pool.mountpoint, 'h1', 'state') });
  t.is((await zbk(['init', '--config', b.config])).exitCode, 0);
  const mnt = join(b.pool.mountpoint, 'h1');
  const r = await run(b);
  t.is(r.exitCode, 2, r.stdout + r.stderr);
  t.regex(unwrap(r.stdout), new RegExp(`^h1: FAILED: dataset ${b.pool.name}/h1 has mountpoint ${mnt}, above zbk's state directory \\(${b.state}\\): rsync --delete into it would delete zbk's state directory`));
  t.is((await lastAttempt(b, 'h1')).outcome, 'failed', 'the state is still there to say so');
  t.deepEqual(await snapshots(`${b.pool.name}/h1`), []);

  const inside = await bed(t, { h2: '' });
  const src2 = join(inside.pool.mountpoint, 'h2', 'srv');
  await writeFile(inside.config, (await readFile(inside.config, 'utf8')).replace(`source = "${inside.src}/"`, `source = "${src2}/"`));
  t.is((await zbk(['init', '--config', inside.config])).exitCode, 0);
  await mkdir(src2);
  await writeFile(join(src2, 'data'), 'the host\'s own\n');
  const above = await run(inside);
  t.is(above.exitCode, 2);
  t.regex(unwrap(above.stdout), /, above the job's source \(.*\/h2\/srv\): rsync --delete into it would delete the job's source/);
  t.is(await readFile(join(src2, 'data'), 'utf8'), 'the host\'s own\n');

  await writeFile(inside.config, (await readFile(inside.config, 'utf8')).replace(`source = "${src2}/"`, `source = "${inside.pool.mountpoint}/"`));
  const into = await run(inside);
  t.is(into.exitCode, 2);
  t.regex(unwrap(into.stdout), new RegExp(`has mountpoint ${inside.pool.mountpoint}/h2, inside the job's source ${inside.pool.mountpoint}: rsync would copy the backup into itself`));
});

test.serial('a dataset with another file system mounted inside it is refused: the child\'s files survive', async (t) => {
  const b = await bed(t, { parent: '' });
  const parent = `${b.pool.name}/parent`;
  t.is((await zbk(['init', '--config', b.config])).exitCode, 0);
  const child = `${parent}/var`;
  const precious = await handMade(child);
  t.is(await prop(child, 'zbk:job'), 'parent', 'the child inherits the mark, and is still not the parent\'s to write into');

  const r = await run(b);
  t.is(r.exitCode, 2, r.stdout + r.stderr);
  t.is(unwrap(r.stdout).trim(), `parent: FAILED: dataset ${parent} (mounted at ${b.pool.mountpoint}/parent) has a file system mounted inside it: ${child} at ${b.pool.mountpoint}/parent/var; ` +
    `rsync --delete would reach into it and none of this job's snapshots would hold its files: make each a job of its own, or mount it elsewhere (\`zfs set mountpoint=... ${child}\`)`);
  t.true(existsSync(precious));
  t.deepEqual(await snapshots(parent), []);

  await sh('zfs', ['unmount', child]);
  const unmounted = await run(b);
  t.is(unmounted.exitCode, 0, `${unmounted.stdout + unmounted.stderr}: with the child unmounted, the parent is the job's alone`);
});

test.serial('a corrupt or unreadable state file fails its own job only, and is left as it is; the other job runs; status says UNKNOWN for it alone', async (t) => {
  const b = await bed(t, { corrupt: '', fine: '', dir: '' });
  t.is((await zbk(['init', '--config', b.config])).exitCode, 0);
  const jobs = join(b.state, 'jobs');
  await mkdir(join(jobs, 'dir.json'), { recursive: true });
  const broken = '{"job": "corrupt", "lastAtt';
  await writeFile(join(jobs, 'corrupt.json'), broken);

  const r = await run(b);
  t.is(r.exitCode, 2, r.stdout + r.stderr);
  t.regex(unwrap(r.stdout), new RegExp(`^corrupt: FAILED: ${jobs}/corrupt\\.json: not valid JSON \\(.*\\); move it aside to start afresh; the job did not run$`, 'm'));
  t.regex(unwrap(r.stdout), new RegExp(`^dir: FAILED: ${jobs}/dir\\.json: cannot be read \\(EISDIR\\); move it aside to start afresh; the job did not run$`, 'm'));
  t.regex(r.stdout, new RegExp(`^  snapshot ${b.pool.name}/fine@${SNAP1}$`, 'm'));
  t.like(await lastAttempt(b, 'fine'), { outcome: 'ok' });
  for (const job of ['corrupt', 'dir']) {
    t.deepEqual(await snapshots(`${b.pool.name}/${job}`), [], job);
    t.deepEqual(await b.posted(job), [`ZBK_JOB=${job}`, 'ZBK_SNAPSHOT=', 'ZBK_STATUS=failed']);
  }
  t.is(await readFile(join(jobs, 'corrupt.json'), 'utf8'), broken, 'never overwritten');
  t.deepEqual(await readdir(join(jobs, 'dir.json')), []);
  t.deepEqual(await readdir(join(b.state, 'locks')), [], 'every lock released');

  const status = await zbk(['status', '--config', b.config, '--now', NIGHT1]);
  t.is(status.exitCode, 3, status.stdout + status.stderr);
  t.regex(status.stdout, /^corrupt\s+UNKNOWN\s/m);
  t.regex(status.stdout, /^dir\s+UNKNOWN\s/m);
  t.regex(status.stdout, /^fine\s+OK\s/m);
  t.regex(status.stdout, new RegExp(`^dir: ${jobs}/dir\\.json: cannot be read \\(EISDIR\\)`, 'm'));
});

test.serial('an exception inside a job (its lock file is a directory) fails that job: state failed, post hook ZBK_STATUS=failed, exit 2; the next job runs', async (t) => {
  const b = await bed(t, { stuck: '', fine: '' });
  t.is((await zbk(['init', '--config', b.config])).exitCode, 0);
  await mkdir(join(b.state, 'locks', 'stuck.lock'), { recursive: true });

  const r = await run(b);
  t.is(r.exitCode, 2, r.stdout + r.stderr);
  const s = await lastAttempt(b, 'stuck');
  t.is(s.outcome, 'failed');
  t.regex(s.message!, /^could not take the job's lock: unexpected error: EISDIR/);
  t.regex(unwrap(r.stdout), /^stuck: FAILED: could not take the job's lock: unexpected error: EISDIR/m);
  t.deepEqual(await b.posted('stuck'), ['ZBK_JOB=stuck', 'ZBK_SNAPSHOT=', 'ZBK_STATUS=failed']);
  t.deepEqual(await snapshots(`${b.pool.name}/stuck`), []);
  t.like(await lastAttempt(b, 'fine'), { outcome: 'ok', snapshot: `${b.pool.name}/fine@${SNAP1}` });
  t.deepEqual(await b.posted('fine'), ['ZBK_JOB=fine', `ZBK_SNAPSHOT=${b.pool.name}/fine@${SNAP1}`, 'ZBK_STATUS=ok']);
  const status = await zbk(['status', '--config', b.config]);
  t.regex(status.stdout, /^stuck: never succeeded; last attempt failed: could not take the job's lock/m);
});

test.serial('the exception of the issue, a TypeError from execa (a NUL in an exclude that bypassed the config check), fails the job: state, post hook, report', async (t) => {
  const b = await bed(t, { nul: '' });
  t.is((await zbk(['init', '--config', b.config])).exitCode, 0);
  const config = await parseConfig(await readFile(b.config, 'utf8'), b.config);
  // The config check refuses a NUL; a job built in code is how one could still reach rsync.
  const job = { ...config.jobs[0]!, exclude: ['/tmp/\0/'] };
  const r = await runJob({ config, job, zfs: new Zfs(createRunner(SYSTEM_TOOLS)), now: new Date(NIGHT1) });
  t.is(r.outcome, 'failed');
  t.regex(r.messages[0]!, /^unexpected error: .*null bytes/);
  t.is(r.snapshot, null);
  t.like(await lastAttempt(b, 'nul'), { outcome: 'failed', snapshot: null });
  t.deepEqual(await b.posted('nul'), ['ZBK_JOB=nul', 'ZBK_SNAPSHOT=', 'ZBK_STATUS=failed']);
  t.deepEqual(await snapshots(`${b.pool.name}/nul`), []);
  t.deepEqual(await readdir(join(b.state, 'locks')), []);
});
