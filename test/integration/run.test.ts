/**
 * `zbk run`, `zbk init` and `zbk status` end to end on a real pool (zfs-fuse), with real
 * rsync from local sources: the CLI as a user runs it, config and state in the pool's temp
 * dir, nights named with `--now`. The ssh and rsync-daemon sources have their own files.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import type { ExecutionContext } from 'ava';
import test from '../helpers/zfs-test.js';
import { execa } from 'execa';
import { CLI, unwrap, zbk } from '../helpers/cli.js';
import { rewrite } from '../helpers/files.js';
import { makePool, sh, type TestPool } from '../helpers/pool.js';

const NIGHT1 = '2026-03-01T03:00:00Z';
const NIGHT2 = '2026-03-02T03:00:00Z';
const SNAP1 = 'zbk_2026-03-01T030000Z';
const SNAP2 = 'zbk_2026-03-02T030000Z';

type Value = string | number | readonly string[];
type JobSpec = Record<string, Value>;

interface Bed {
  readonly pool: TestPool;
  readonly src: string;
  readonly state: string;
  readonly config: string;
  /** Rewrites the config with these jobs (dataset defaults to POOL/NAME, source to src). */
  configure(jobs: readonly JobSpec[], extra?: string): Promise<void>;
}

const tomlValue = (v: Value): string => (typeof v === 'number' ? String(v) : JSON.stringify(v));

async function bed(t: ExecutionContext, jobs: readonly JobSpec[] = [{ name: 'h1' }], extra = ''): Promise<Bed> {
  const pool = await makePool(t);
  const src = join(pool.dir, 'src');
  await mkdir(src);
  const state = join(pool.dir, 'state');
  const config = join(pool.dir, 'zbk.toml');
  const configure = async (js: readonly JobSpec[], more = '') => {
    const blocks = js.map((j) => {
      const job: JobSpec = { dataset: `${pool.name}/${String(j.name)}`, source: `${src}/`, ...j };
      return `[[job]]\n${Object.entries(job).map(([k, v]) => `${k} = ${tomlValue(v)}`).join('\n')}\n`;
    });
    await writeFile(config, `[zbk]\ntimezone = "UTC"\nstate_dir = ${JSON.stringify(state)}\n\n${more}\n${blocks.join('\n')}`);
  };
  await configure(jobs, extra);
  return { pool, src, state, config, configure };
}

const snapshots = async (dataset: string): Promise<string[]> =>
  (await sh('zfs', ['list', '-H', '-o', 'name', '-t', 'snapshot', '-r', dataset])).stdout.split('\n').filter(Boolean).map((n) => n.split('@')[1]!);

const prop = async (dataset: string, property: string): Promise<string> =>
  (await sh('zfs', ['get', '-H', '-o', 'value', property, dataset])).stdout.trim();

interface Attempt {
  start: string;
  end: string;
  /** Absent in the state files of zbk before it recorded simulated runs. */
  simulated?: string | null;
  outcome: string;
  message: string | null;
  snapshot: string | null;
  stats: { literalData: number; matchedData: number; totalFileSize: number; transferred: number } | null;
}
interface State { job: string; dataset: string; lastAttempt: Attempt | null; lastSuccess: Attempt | null }

const jobState = async (b: Bed, job: string): Promise<State | null> => {
  const file = join(b.state, 'jobs', `${job}.json`);
  return existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as State) : null;
};

/** Every file under dir: relative path → sha256 of its content, or a symlink's target. */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out[relative(dir, p)] = createHash('sha256').update(await readFile(p)).digest('hex');
      else out[relative(dir, p)] = e.isSymbolicLink() ? `-> ${await readlink(p)}` : '(special)';
    }
  };
  await walk(dir);
  return out;
}

let clones = 0;
/** zfs-fuse has no .zfs/snapshot: a snapshot's content is read through a clone of it. */
async function restore(pool: TestPool, snapshot: string): Promise<string> {
  const clone = `${pool.name}/restore${++clones}`;
  await sh('zfs', ['clone', snapshot, clone]);
  const mountpoint = await prop(clone, 'mountpoint');
  if ((await prop(clone, 'mounted')) !== 'yes') throw new Error(`${clone} is not mounted`);
  return mountpoint;
}

/** Starts the CLI in the background; killed in teardown should the test end before it. */
function zbkBackground(t: ExecutionContext, args: readonly string[]) {
  const child = execa(process.execPath, [CLI, ...args], { reject: false, stdin: 'ignore', env: { ZBK_CONFIG: '', LC_ALL: 'C' } });
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await child.catch(() => undefined);
  });
  return child;
}

async function initAndRun(t: ExecutionContext, b: Bed, now: string, job = 'h1') {
  const init = await zbk(['init', '--config', b.config, '--job', job]);
  t.is(init.exitCode, 0, init.stderr);
  return zbk(['run', '--config', b.config, '--job', job, '--now', now]);
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test.serial('first pull of a local source: files in the dataset, a dated snapshot, state ok, status OK; the post hook sees the job', async (t) => {
  const b = await bed(t);
  const env = join(b.pool.dir, 'post.env');
  await b.configure([{ name: 'h1', post_hook: `env | grep -E '^ZBK_(JOB|DATASET|SNAPSHOT|STATUS)=' | sort > ${env}` }]);
  await mkdir(join(b.src, 'etc/ssh'), { recursive: true });
  await writeFile(join(b.src, 'etc/hostname'), 'usa-vds\n');
  await writeFile(join(b.src, 'etc/ssh/sshd_config'), 'PermitRootLogin no\n');
  await writeFile(join(b.src, 'data.bin'), randomBytes(300_000));
  await sh('ln', ['-s', 'etc/hostname', join(b.src, 'link')]);

  const r = await initAndRun(t, b, NIGHT1);
  t.is(r.exitCode, 0, r.stdout + r.stderr);
  const ds = `${b.pool.name}/h1`;
  t.regex(r.stdout, new RegExp(`^h1: 7 files, 3 changed, .*\\n  snapshot ${ds}@${SNAP1}$`, 'm'));
  t.deepEqual(await snapshots(ds), [SNAP1]);
  const mnt = await prop(ds, 'mountpoint');
  t.deepEqual(await tree(mnt), await tree(b.src));
  t.deepEqual(await tree(await restore(b.pool, `${ds}@${SNAP1}`)), await tree(b.src));

  const s = (await jobState(b, 'h1'))!;
  t.is(s.dataset, ds);
  t.is(s.lastAttempt!.outcome, 'ok');
  t.is(s.lastAttempt!.message, null);
  t.is(s.lastAttempt!.snapshot, `${ds}@${SNAP1}`);
  t.deepEqual(s.lastSuccess, s.lastAttempt);
  t.is(s.lastAttempt!.stats!.literalData, 300_000 + 8 + 19);
  t.deepEqual((await readFile(env, 'utf8')).trim().split('\n'), [
    `ZBK_DATASET=${ds}`, `ZBK_JOB=h1`, `ZBK_SNAPSHOT=${ds}@${SNAP1}`, 'ZBK_STATUS=ok',
  ]);
  t.deepEqual(await readdir(join(b.state, 'locks')), [], 'the lock is released');

  const status = await zbk(['status', '--config', b.config, '--now', NIGHT1]);
  t.is(status.exitCode, 0, status.stdout + status.stderr);
  t.regex(status.stdout, new RegExp(`^h1\\s+OK\\s+${NIGHT1} \\(0m ago, simulated\\)\\s+${SNAP1}\\s+ok \\(simulated\\)\\s+`, 'm'));
});

test.serial('the next night pulls only the changes; a file deleted at the source lives on in the older snapshot', async (t) => {
  const b = await bed(t);
  const big = randomBytes(4 << 20);
  await writeFile(join(b.src, 'disk.img'), big);
  await writeFile(join(b.src, 'deleted.txt'), 'only in the first night\n');
  await writeFile(join(b.src, 'changed.txt'), 'before\n');
  const first = await tree(b.src);
  const r1 = await initAndRun(t, b, NIGHT1);
  t.is(r1.exitCode, 0, r1.stdout + r1.stderr);

  big.write('a few changed bytes', 3_000_000);
  await rewrite(join(b.src, 'disk.img'), big);
  await rm(join(b.src, 'deleted.txt'));
  await writeFile(join(b.src, 'changed.txt'), 'after\n');
  await writeFile(join(b.src, 'new.txt'), 'new on the second night\n');
  const r2 = await zbk(['run', '--config', b.config, '--now', NIGHT2]);
  t.is(r2.exitCode, 0, r2.stdout + r2.stderr);

  const ds = `${b.pool.name}/h1`;
  t.deepEqual(await snapshots(ds), [SNAP1, SNAP2]);
  const live = await tree(await prop(ds, 'mountpoint'));
  t.deepEqual(live, await tree(b.src));
  t.false('deleted.txt' in live);
  const old = await tree(await restore(b.pool, `${ds}@${SNAP1}`));
  t.deepEqual(old, first, 'the first night, as it was');
  t.is(await readFile(join(await restore(b.pool, `${ds}@${SNAP1}`), 'deleted.txt'), 'utf8'), 'only in the first night\n');
  t.deepEqual(await tree(await restore(b.pool, `${ds}@${SNAP2}`)), await tree(b.src));

  const stats = (await jobState(b, 'h1'))!.lastAttempt!.stats!;
  // One 128K block of disk.img (the dataset's recordsize is rsync's block size) and the small files.
  t.true(stats.literalData <= 2 * 131072 + 100, `literal data ${stats.literalData}`);
  t.true(stats.matchedData >= (4 << 20) - 2 * 131072, `matched data ${stats.matchedData}`);
});

test.serial('a missing source path fails its job, in rsync\'s words, and the next job still runs', async (t) => {
  const b = await bed(t);
  const missing = join(b.pool.dir, 'no-such-dir');
  await b.configure([{ name: 'gone', source: `${missing}/` }, { name: 'fine' }]);
  await writeFile(join(b.src, 'f'), 'x');
  t.is((await zbk(['init', '--config', b.config])).exitCode, 0);

  const r = await zbk(['run', '--config', b.config, '--now', NIGHT1]);
  t.is(r.exitCode, 2, r.stdout + r.stderr);
  t.deepEqual(await snapshots(`${b.pool.name}/gone`), []);
  t.deepEqual(await snapshots(`${b.pool.name}/fine`), [SNAP1]);
  t.regex(unwrap(r.stdout), /^gone: 0 files, 0 changed, .*\n  FAILED: the source directory \/.*\/no-such-dir does not exist: fix source, or create it rsync failed with code 23 \(partial transfer due to error\): rsync: \[sender\] change_dir "\/.*\/no-such-dir" failed: No such file or directory \(2\); no snapshot taken$/m);

  const gone = (await jobState(b, 'gone'))!;
  t.is(gone.lastAttempt!.outcome, 'failed');
  t.is(gone.lastAttempt!.snapshot, null);
  t.regex(gone.lastAttempt!.message!, /change_dir ".*no-such-dir" failed: No such file or directory/);
  t.is(gone.lastSuccess, null);
  t.is((await jobState(b, 'fine'))!.lastAttempt!.outcome, 'ok');

  const status = await zbk(['status', '--config', b.config, '--now', NIGHT1]);
  t.is(status.exitCode, 2, 'CRITICAL: a job never succeeded');
  t.regex(status.stdout, /^gone\s+CRITICAL\s+never\s/m);
  t.regex(status.stdout, /^fine\s+OK\s/m);
  t.regex(status.stdout, /^gone: never succeeded; last attempt failed: the source directory \/.*\/no-such-dir does not exist: fix source, or create it\n  rsync failed with code 23 .*No such file or directory/m);
});

test.serial('rsync killed with SIGKILL mid-transfer: no snapshot, exit 2; the next run resumes and snapshots', async (t) => {
  const b = await bed(t);
  await b.configure([{ name: 'h1', rsync_args: ['--bwlimit=2M'] }]);
  const size = 8 << 20;
  await writeFile(join(b.src, 'vm.img'), randomBytes(size));
  t.is((await zbk(['init', '--config', b.config])).exitCode, 0);
  const ds = `${b.pool.name}/h1`;
  const dest = join(await prop(ds, 'mountpoint'), 'vm.img');

  const run = zbkBackground(t, ['run', '--config', b.config, '--now', NIGHT1]);
  await until('1 MiB of vm.img at the destination', async () => (await stat(dest).catch(() => null))?.size! >= 1 << 20);
  // The rsync zbk started (its other processes are that one's children): the source path is unique to this test.
  const pids = (await execa('pgrep', ['-P', String(run.pid), '-f', b.src], { reject: false })).stdout.split('\n').filter(Boolean);
  t.is(pids.length, 1, `rsync children of zbk: ${pids.join(' ')}`);
  await execa('kill', ['-9', pids[0]!]);
  const r = await run;
  t.is(r.exitCode, 2, r.stdout + r.stderr);
  t.regex(unwrap(r.stdout), /FAILED: rsync was interrupted: killed by SIGKILL; no snapshot taken/);
  t.deepEqual(await snapshots(ds), []);
  const s = (await jobState(b, 'h1'))!;
  t.is(s.lastAttempt!.outcome, 'failed');
  t.is(s.lastAttempt!.message, 'rsync was interrupted: killed by SIGKILL; no snapshot taken');
  t.is(s.lastSuccess, null);
  await until('the rest of the killed rsync to exit', async () => (await execa('pgrep', ['-f', b.src], { reject: false })).exitCode === 1, 10_000);
  const partial = (await stat(dest)).size;
  t.true(partial < size, `the killed pull left ${partial} of ${size} bytes`);

  const again = await zbk(['run', '--config', b.config, '--now', NIGHT2]);
  t.is(again.exitCode, 0, again.stdout + again.stderr);
  t.deepEqual(await snapshots(ds), [SNAP2]);
  t.deepEqual(await tree(await restore(b.pool, `${ds}@${SNAP2}`)), await tree(b.src));
  const stats = (await jobState(b, 'h1'))!.lastSuccess!.stats!;
  t.true(stats.matchedData >= (1 << 20) - 131072, `--inplace resumed from the partial file (matched ${stats.matchedData} bytes)`);
  t.true(stats.literalData <= size - (1 << 20) + 131072);
});

test.serial('SIGTERM to zbk mid-pull: rsync is stopped, no snapshot, the post hook still runs, exit 2', async (t) => {
  const b = await bed(t);
  const env = join(b.pool.dir, 'post.env');
  await b.configure([{ name: 'h1', rsync_args: ['--bwlimit=2M'], post_hook: `env | grep -E '^ZBK_(STATUS|SNAPSHOT)=' | sort > ${env}` }]);
  await writeFile(join(b.src, 'vm.img'), randomBytes(8 << 20));
  t.is((await zbk(['init', '--config', b.config])).exitCode, 0);
  const ds = `${b.pool.name}/h1`;
  const dest = join(await prop(ds, 'mountpoint'), 'vm.img');

  const run = zbkBackground(t, ['run', '--config', b.config, '--now', NIGHT1]);
  await until('the pull to be under way', async () => (await stat(dest).catch(() => null))?.size! >= 512 << 10);
  run.kill('SIGTERM');
  const r = await run;
  t.is(r.exitCode, 2, r.stdout + r.stderr);
  t.regex(r.stderr, /^zbk: SIGTERM: stopping the running pull; no snapshot of it will be taken$/m);
  t.regex(unwrap(r.stdout), /FAILED: rsync was interrupted: aborted; no snapshot taken$/m);
  t.deepEqual(await snapshots(ds), []);
  t.deepEqual((await readFile(env, 'utf8')).trim().split('\n'), ['ZBK_SNAPSHOT=', 'ZBK_STATUS=failed']);
  t.is((await jobState(b, 'h1'))!.lastAttempt!.outcome, 'failed');
  t.deepEqual(await readdir(join(b.state, 'locks')), []);
  t.is((await execa('pgrep', ['-f', b.src], { reject: false })).stdout, '', 'no rsync left running');
});

test.serial('a --now behind the newest snapshot: the night\'s snapshot is taken, pruning refused, exit 1 with the warning', async (t) => {
  const b = await bed(t);
  await writeFile(join(b.src, 'f'), 'x');
  t.is((await zbk(['init', '--config', b.config])).exitCode, 0);
  const ds = `${b.pool.name}/h1`;
  await sh('zfs', ['snapshot', `${ds}@zbk_2026-03-05T030000Z`]);
  const r = await zbk(['run', '--config', b.config, '--now', NIGHT1]);
  t.is(r.exitCode, 1, r.stdout + r.stderr);
  t.regex(unwrap(r.stdout), new RegExp(`^  snapshot ${ds}@${SNAP1}\\n  WARNING: prune: the newest snapshot ${ds}@zbk_2026-03-05T030000Z is after now \\(2026-03-01T03:00:00Z\\): the clock may have gone backwards; nothing destroyed`, 'm'));
  t.deepEqual(await snapshots(ds), ['zbk_2026-03-05T030000Z', SNAP1]);
  const s = (await jobState(b, 'h1'))!;
  t.is(s.lastAttempt!.outcome, 'warning');
  t.deepEqual(s.lastSuccess, s.lastAttempt, 'a warning is a success');
  t.is((await zbk(['status', '--config', b.config, '--now', NIGHT1])).exitCode, 0);
});

test.serial('two runs of one job at once: exactly one exits 75 naming the holder, the other completes', async (t) => {
  const b = await bed(t);
  const go = join(b.pool.dir, 'go');
  // Holds the job (and its lock) until the test says go: no race on who is slower.
  await b.configure([{ name: 'h1', pre_hook: `i=0; while [ ! -e ${go} ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done` }]);
  await writeFile(join(b.src, 'f'), 'x');
  t.is((await zbk(['init', '--config', b.config])).exitCode, 0);

  const runs = [0, 1].map(() => zbkBackground(t, ['run', '--config', b.config, '--job', 'h1', '--now', NIGHT1]));
  const first = await Promise.race(runs.map((p, i) => p.then(() => i)));
  const loser = await runs[first]!;
  const winner = runs[1 - first]!;
  t.is(loser.exitCode, 75, loser.stdout + loser.stderr);
  t.regex(loser.stderr, new RegExp(`^zbk: job h1 is locked by pid ${winner.pid} on ${hostname()} \\(zbk run --job h1, since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\)$`, 'm'));
  await writeFile(go, '');
  const done = await winner;
  t.is(done.exitCode, 0, done.stdout + done.stderr);
  t.deepEqual(await snapshots(`${b.pool.name}/h1`), [SNAP1]);
  t.deepEqual(await readdir(join(b.state, 'locks')), []);
});

test.serial('a lock held by a live process stops the run (75); once its pid is dead the lock is taken over', async (t) => {
  const b = await bed(t);
  await writeFile(join(b.src, 'f'), 'x');
  t.is((await zbk(['init', '--config', b.config])).exitCode, 0);
  const lock = join(b.state, 'locks', 'h1.lock');
  await mkdir(join(b.state, 'locks'), { recursive: true });
  const holder = execa('sleep', ['60']);
  t.teardown(() => {
    holder.kill('SIGKILL');
  });
  const since = '2026-03-01T02:59:00.000Z';
  await writeFile(lock, JSON.stringify({ pid: holder.pid, host: hostname(), command: 'zbk run --all', since }));

  const held = await zbk(['run', '--config', b.config, '--now', NIGHT1]);
  t.is(held.exitCode, 75, held.stdout + held.stderr);
  t.is(held.stderr.trim(), `zbk: job h1 is locked by pid ${holder.pid} on ${hostname()} (zbk run --all, since ${since})`);
  t.deepEqual(await snapshots(`${b.pool.name}/h1`), []);
  t.is(await jobState(b, 'h1'), null, 'a locked-out run records nothing');

  holder.kill('SIGKILL');
  await holder.catch(() => undefined);
  const r = await zbk(['run', '--config', b.config, '--now', NIGHT1]);
  t.is(r.exitCode, 0, r.stdout + r.stderr);
  t.deepEqual(await snapshots(`${b.pool.name}/h1`), [SNAP1]);
  t.false(existsSync(lock));
  t.deepEqual(await readdir(join(b.state, 'locks')), [], 'nothing of the stale lock is left');
});

test.serial('a failing pre_hook skips the pull with the hook\'s output in the error; the post hook still runs and sees why', async (t) => {
  const b = await bed(t);
  const env = join(b.pool.dir, 'post.env');
  await b.configure([{
    name: 'h1',
    pre_hook: 'echo "pg_dump: connection to server failed" >&2; exit 3',
    post_hook: `env | grep -E '^ZBK_(JOB|DATASET|SNAPSHOT|STATUS)=' | sort > ${env}`,
  }]);
  await writeFile(join(b.src, 'f'), 'x');
  const r = await initAndRun(t, b, NIGHT1);
  t.is(r.exitCode, 2, r.stdout + r.stderr);
  const why = 'pre_hook failed (exit 3: pg_dump: connection to server failed); the pull was skipped';
  t.is(unwrap(r.stdout).trim(), `h1: FAILED: ${why}`);
  const ds = `${b.pool.name}/h1`;
  t.deepEqual(await snapshots(ds), []);
  t.deepEqual(await readdir(await prop(ds, 'mountpoint')), [], 'nothing was pulled');
  t.is((await jobState(b, 'h1'))!.lastAttempt!.message, why);
  t.deepEqual((await readFile(env, 'utf8')).trim().split('\n'), [`ZBK_DATASET=${ds}`, 'ZBK_JOB=h1', 'ZBK_SNAPSHOT=', 'ZBK_STATUS=failed']);
});

test.serial('run on a missing dataset says to run zbk init; init creates it with backup-friendly properties, leaves existing ones alone, and --adopt marks them', async (t) => {
  const b = await bed(t);
  const nested = `${b.pool.name}/backup/usa-vds`;
  const existing = `${b.pool.name}/old`;
  await b.configure([{ name: 'usa-vds', dataset: nested, recordsize: '16K' }, { name: 'old', dataset: existing, recordsize: '16K' }]);
  await writeFile(join(b.src, 'f'), 'x');
  await sh('zfs', ['create', '-o', 'recordsize=64K', existing]);

  const before = await zbk(['run', '--config', b.config, '--job', 'usa-vds', '--now', NIGHT1]);
  t.is(before.exitCode, 2);
  t.is(unwrap(before.stdout).trim(), `usa-vds: FAILED: dataset ${nested} does not exist; create it with \`zbk init --job usa-vds\``);
  t.regex((await jobState(b, 'usa-vds'))!.lastAttempt!.message!, /does not exist; create it with `zbk init --job usa-vds`/);

  const init = await zbk(['init', '--config', b.config]);
  t.is(init.exitCode, 1, 'an existing dataset not marked as the job\'s needs the admin');
  t.regex(init.stdout, new RegExp(`^${nested}: created \\(atime=off setuid=off exec=off devices=off compression=\\w+ recordsize=16K zbk:job=usa-vds\\)$`, 'm'));
  t.regex(init.stdout, new RegExp(`^${existing}: exists, not marked as job old's \\(zbk:job unset; \`zbk run\` will not pull into it\\), left as it is; if it is this job's, run \`zbk init --adopt --job old\`$`, 'm'));
  const props = (await sh('zfs', ['get', '-H', '-o', 'property,value', 'atime,setuid,exec,devices,compression,recordsize,mounted', nested])).stdout;
  t.deepEqual(Object.fromEntries(props.split('\n').map((l) => l.split('\t'))), {
    atime: 'off', setuid: 'off', exec: 'off', devices: 'off', compression: (await prop(nested, 'compression')), recordsize: '16K', mounted: 'yes',
  });
  t.not(await prop(nested, 'compression'), 'off');
  t.is(await prop(existing, 'recordsize'), '64K', 'the existing dataset keeps its own recordsize');
  t.is(await prop(existing, 'exec'), 'on');
  t.is(await prop(existing, 'zbk:job'), '-');

  const adopt = await zbk(['init', '--config', b.config, '--adopt']);
  t.is(adopt.exitCode, 0, adopt.stderr);
  t.is(adopt.stdout.trim(), `${nested}: exists, job usa-vds's (zbk:job=usa-vds), left as it is\n${existing}: adopted by job old (zbk:job=old; nothing else changed)`);
  t.is(await prop(existing, 'zbk:job'), 'old');
  t.is(await prop(existing, 'recordsize'), '64K', 'adopting changes nothing else');
  t.is(await prop(existing, 'exec'), 'on');

  const again = await zbk(['init', '--config', b.config]);
  t.is(again.exitCode, 0);
  t.is(again.stdout.trim(), `${nested}: exists, job usa-vds's (zbk:job=usa-vds), left as it is\n${existing}: exists, job old's (zbk:job=old), left as it is`);

  const r = await zbk(['run', '--config', b.config, '--job', 'usa-vds', '--now', NIGHT1]);
  t.is(r.exitCode, 0, r.stdout + r.stderr);
  t.deepEqual(await snapshots(nested), [SNAP1]);
});

test.serial('--dry-run prints the rsync command line, the snapshot name and the prune plan, and changes nothing', async (t) => {
  const b = await bed(t);
  await b.configure([{ name: 'h1', pre_hook: 'true', exclude: ['/proc/', '/tmp/'] }], '');
  await writeFile(b.config, `${await readFile(b.config, 'utf8')}\n[job.retention]\nkeep_last = 2\n`);
  await writeFile(join(b.src, 'f'), 'x');
  t.is((await zbk(['init', '--config', b.config])).exitCode, 0);
  const ds = `${b.pool.name}/h1`;
  const mnt = await prop(ds, 'mountpoint');
  const old = ['zbk_2026-02-26T030000Z', 'zbk_2026-02-27T030000Z', 'zbk_2026-02-28T030000Z'];
  for (const s of old) await sh('zfs', ['snapshot', `${ds}@${s}`]);

  const r = await zbk(['run', '--config', b.config, '--now', NIGHT1, '--dry-run']);
  t.is(r.exitCode, 0, r.stderr);
  t.is(r.stdout, [
    `job h1 (${ds}):`,
    `  pre hook:  sh -c "true"`,
    `  rsync:     rsync -aH --numeric-ids --delete --inplace --no-whole-file --stats --timeout=600 --block-size=131072 --exclude=/proc/ --exclude=/tmp/ ${b.src}/ ${mnt}/`,
    `  snapshot:  ${ds}@${SNAP1}`,
    `  prune:     policy (inline); would destroy 2 of 4 zbk snapshots counting the new one (${old[1]}, ${old[0]}) (see zbk prune --dry-run)`,
  ].join('\n'));
  t.deepEqual(await snapshots(ds), old, 'no snapshot taken, none destroyed');
  t.deepEqual(await readdir(mnt), [], 'nothing pulled');
  t.false(existsSync(b.state), 'no state, no lock');

  // What the dry run announced is what the run does.
  const real = await zbk(['run', '--config', b.config, '--now', NIGHT1]);
  t.is(real.exitCode, 0, real.stdout + real.stderr);
  t.deepEqual(await snapshots(ds), [old[2]!, SNAP1]);
  t.regex(unwrap(real.stdout), new RegExp(`^  snapshot ${ds}@${SNAP1}\\n  pruned 2: ${old[0]}, ${old[1]}$`, 'm'));
});

test.serial('status: OK, then WARNING past stale_after and CRITICAL past twice that, by --now', async (t) => {
  const b = await bed(t);
  await b.configure([{ name: 'h1', stale_after: '1d' }]);
  await writeFile(join(b.src, 'f'), 'x');
  const r = await initAndRun(t, b, NIGHT1);
  t.is(r.exitCode, 0, r.stdout + r.stderr);
  // A run under --now counts at its --now: ages are measured from the simulated night.
  const at = (hours: number) => new Date(Date.parse(NIGHT1) + hours * 3600_000).toISOString();

  const ok = await zbk(['status', '--config', b.config, '--now', at(23)]);
  t.is(ok.exitCode, 0, ok.stdout);
  t.regex(ok.stdout, /^h1\s+OK\s+2026-03-01T03:00:00Z \(23h ago, simulated\)\s+zbk_2026-03-01T030000Z\s+ok \(simulated\)\s/m);
  const warning = await zbk(['status', '--config', b.config, '--now', at(25)]);
  t.is(warning.exitCode, 1, warning.stdout);
  t.regex(warning.stdout, /^h1\s+WARNING\s/m);
  t.regex(warning.stdout, /^h1: last simulated success 25h ago \(over stale_after 1d\)$/m);
  const critical = await zbk(['status', '--config', b.config, '--now', at(49), '--format', 'json']);
  t.is(critical.exitCode, 2, critical.stdout);
  const json = JSON.parse(critical.stdout) as { alert: string; jobs: { job: string; alert: string; reason: string; age_seconds: number; last_success: Attempt }[] };
  t.is(json.alert, 'critical');
  t.like(json.jobs[0], { job: 'h1', alert: 'critical', reason: 'last simulated success 2d ago (over twice stale_after 1d)', age_seconds: 49 * 3600 });
  t.is(json.jobs[0]!.last_success.snapshot, `${b.pool.name}/h1@${SNAP1}`);
});

test.serial('status --now after nights run with --now: the simulated instants are recorded and compared, and said', async (t) => {
  const b = await bed(t);
  await b.configure([{ name: 'h1', stale_after: '2d' }]);
  await writeFile(join(b.src, 'f'), 'x');
  const before = Date.now();
  t.is((await initAndRun(t, b, NIGHT1)).exitCode, 0);
  const last = await zbk(['run', '--config', b.config, '--now', NIGHT2]);
  t.is(last.exitCode, 0, last.stdout + last.stderr);
  const state = (await jobState(b, 'h1'))!;
  t.is(state.lastSuccess!.simulated, NIGHT2, 'the --now instant is recorded');
  t.true(Date.parse(state.lastSuccess!.end) >= before - 1000, 'beside the real time it ran');
  t.deepEqual(state.lastAttempt, state.lastSuccess);

  const after = (hours: number) => new Date(Date.parse(NIGHT2) + hours * 3600_000).toISOString().replace(/\.000Z$/, 'Z');
  const fresh = await zbk(['status', '--config', b.config, '--now', after(1)]);
  t.is(fresh.exitCode, 0, fresh.stdout);
  t.regex(fresh.stdout, /^h1\s+OK\s+2026-03-02T03:00:00Z \(1h ago, simulated\)\s+zbk_2026-03-02T030000Z\s+ok \(simulated\)\s/m);
  t.regex(fresh.stdout, new RegExp(`^ages as of --now ${after(1)}$`, 'm'));
  t.regex(fresh.stdout, /^simulated: a run under --now, at the instant it was given$/m);

  const stale = await zbk(['status', '--config', b.config, '--now', after(72), '--format', 'json']);
  t.is(stale.exitCode, 1, stale.stdout);
  const json = JSON.parse(stale.stdout) as { alert: string; now: string; now_simulated: boolean; jobs: { alert: string; reason: string; age_seconds: number; last_success_at: string; last_success: Attempt }[] };
  t.like(json, { alert: 'warning', now: after(72), now_simulated: true });
  t.like(json.jobs[0], { alert: 'warning', reason: 'last simulated success 3d ago (over stale_after 2d)', age_seconds: 72 * 3600, last_success_at: NIGHT2 });
  t.is(json.jobs[0]!.last_success.simulated, NIGHT2);

  // A run on the clock records no simulated instant.
  const real = await zbk(['run', '--config', b.config]);
  t.is(real.exitCode, 0, real.stdout + real.stderr);
  t.is((await jobState(b, 'h1'))!.lastSuccess!.simulated, null);
  const now = await zbk(['status', '--config', b.config]);
  t.regex(now.stdout, /^h1\s+OK\s+\S+Z \(0m ago\)\s/m);
  t.notRegex(now.stdout, /simulated|--now/);
});

test.serial('status from a state file written by hand: a failed last attempt after an old success, a job that never ran, a broken file (UNKNOWN for its job only)', async (t) => {
  const b = await bed(t);
  await b.configure([{ name: 'h1', stale_after: '36h' }, { name: 'h2' }]);
  const success: Attempt = { start: '2026-03-01T03:00:00Z', end: '2026-03-01T03:10:00Z', outcome: 'ok', message: null, snapshot: `${b.pool.name}/h1@${SNAP1}`, stats: null };
  const failed: Attempt = { start: '2026-03-02T03:00:00Z', end: '2026-03-02T03:00:05Z', outcome: 'failed', message: 'rsync failed with code 12 (error in rsync protocol data stream): connection unexpectedly closed; no snapshot taken', snapshot: null, stats: null };
  await mkdir(join(b.state, 'jobs'), { recursive: true });
  await writeFile(join(b.state, 'jobs', 'h1.json'), JSON.stringify({ job: 'h1', dataset: `${b.pool.name}/h1`, lastAttempt: failed, lastSuccess: success }));

  const warn = await zbk(['status', '--config', b.config, '--now', '2026-03-02T17:10:00Z']);
  t.is(warn.exitCode, 2, 'h2 never ran: CRITICAL outweighs h1');
  t.regex(warn.stdout, /^h1\s+WARNING\s+2026-03-01T03:10:00Z \(38h ago\)\s+zbk_2026-03-01T030000Z\s+failed\s+-$/m);
  t.regex(warn.stdout, /^h1: last success 38h ago \(over stale_after 36h\); last attempt failed: rsync failed with code 12 .*connection unexpectedly closed; no snapshot taken$/m);
  t.regex(warn.stdout, /^h2\s+CRITICAL\s+never\s/m);
  t.regex(warn.stdout, /^h2: never ran$/m);

  await b.configure([{ name: 'h1', stale_after: '36h' }]);
  t.is((await zbk(['status', '--config', b.config, '--now', '2026-03-02T17:10:00Z'])).exitCode, 1, 'WARNING');
  t.is((await zbk(['status', '--config', b.config, '--now', '2026-03-01T20:00:00Z'])).exitCode, 0, 'OK');
  t.is((await zbk(['status', '--config', b.config, '--now', '2026-03-04T03:10:00Z'])).exitCode, 2, 'CRITICAL at 72h');

  await b.configure([{ name: 'h1', stale_after: '36h' }, { name: 'h2' }]);
  await writeFile(join(b.state, 'jobs', 'h2.json'), JSON.stringify({ job: 'h2', dataset: `${b.pool.name}/h2`, lastAttempt: success, lastSuccess: success }));
  await writeFile(join(b.state, 'jobs', 'h1.json'), '{"job": "h1", "lastAtt');
  const broken = await zbk(['status', '--config', b.config, '--now', '2026-03-01T20:00:00Z']);
  t.is(broken.exitCode, 3, 'UNKNOWN');
  t.is(broken.stderr, '');
  t.regex(broken.stdout, /^h1\s+UNKNOWN\s+\?\s+-\s+\?\s+-$/m);
  t.regex(broken.stdout, /^h2\s+OK\s/m, 'the other job is still reported');
  t.regex(broken.stdout, new RegExp(`^h1: ${join(b.state, 'jobs', 'h1.json')}: not valid JSON \\(.*\\); move it aside to start afresh$`, 'm'));
  const json = JSON.parse((await zbk(['status', '--config', b.config, '--now', '2026-03-01T20:00:00Z', '--format', 'json'])).stdout) as { alert: string; jobs: { job: string; alert: string; reason: string }[] };
  t.is(json.alert, 'unknown');
  t.like(json.jobs, [{ job: 'h1', alert: 'unknown' }, { job: 'h2', alert: 'ok' }]);
  t.regex(json.jobs[0]!.reason, /h1\.json: not valid JSON/);
});
