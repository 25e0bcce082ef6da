/**
 * A killed zbk leaves no writer behind: its rsync and hooks run in their own process groups,
 * so a `kill -9` of zbk does not reach them, and the next run must stop them before it pulls
 * and snapshots. And hooks end: at hook_timeout, when zbk is told to stop, and when their sh
 * exits with a background child still holding their output. And a lock never blocks for
 * good because the box was renamed, nor is made through a planted link. Real pool, real
 * rsync, the CLI.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import test from '../helpers/zfs-test.js';
import { execa } from 'execa';
import { unwrap, zbk } from '../helpers/cli.js';
import { makePool, sh } from '../helpers/pool.js';
import { pidsOf, until, zbkInBackground } from '../helpers/processes.js';

const NIGHT1 = '2026-03-01T03:00:00Z';
const NIGHT2 = '2026-03-02T03:00:00Z';
const SNAP2 = 'zbk_2026-03-02T030000Z';

/** A pool, a source dir and a config with one job h1 of these extra keys. */
async function bed(t: ExecutionContext, job: Record<string, string | readonly string[]>) {
  const pool = await makePool(t);
  const src = join(pool.dir, 'src');
  await mkdir(src);
  const state = join(pool.dir, 'state');
  const config = join(pool.dir, 'zbk.toml');
  const dataset = `${pool.name}/h1`;
  const keys = Object.entries({ name: 'h1', dataset, source: `${src}/`, ...job }).map(([k, v]) => `${k} = ${JSON.stringify(v)}`);
  await writeFile(config, `[zbk]\ntimezone = "UTC"\nstate_dir = ${JSON.stringify(state)}\n\n[[job]]\n${keys.join('\n')}\n`);
  const init = await zbk(['init', '--config', config]);
  t.is(init.exitCode, 0, init.stderr);
  const mnt = (await sh('zfs', ['get', '-H', '-o', 'value', 'mountpoint', dataset])).stdout.trim();
  return { pool, src, state, config, dataset, mnt };
}

/** `zbk run` in the background. */
const runInBackground = (t: ExecutionContext, config: string, now: string) => zbkInBackground(t, ['run', '--config', config, '--now', now]);

const size = async (file: string) => (await stat(file).catch(() => null))?.size ?? 0;
const sha = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

/** zfs-fuse has no .zfs/snapshot: a snapshot's file is read through a clone. */
async function snapshotFile(dataset: string, snapshot: string, file: string): Promise<string> {
  const clone = `${dataset}-view`;
  await sh('zfs', ['clone', `${dataset}@${snapshot}`, clone]);
  return join((await sh('zfs', ['get', '-H', '-o', 'value', 'mountpoint', clone])).stdout.trim(), file);
}

test.serial('kill -9 of zbk mid-pull: its rsync keeps writing; the next run stops it before it pulls, then snapshots a whole tree', async (t) => {
  // Every pre hook writes what rsync processes of this source run as it starts.
  const b = await bed(t, { rsync_args: ['--bwlimit=1000'], pre_hook: '' });
  const seen = join(b.pool.dir, 'seen');
  await mkdir(seen);
  const { config } = b;
  await writeFile(config, (await readFile(config, 'utf8')).replace('pre_hook = ""', () => `pre_hook = ${JSON.stringify(`ps -eo pid=,args= | grep -F -e ${b.src} | grep -v -e grep -e 'ps -eo' > ${seen}/$$ || true`)}`));
  await writeFile(join(b.src, 'vm.img'), randomBytes(8 << 20));
  const dest = join(b.mnt, 'vm.img');

  const first = runInBackground(t, config, NIGHT1);
  await until('1 MiB of vm.img at the destination', async () => (await size(dest)) >= 1 << 20);
  first.kill('SIGKILL');
  await first;
  const orphans = await pidsOf('rsync', b.src);
  t.true(orphans.length > 0, 'the killed zbk\'s rsync outlives it');
  const before = await size(dest);
  await until('the orphaned rsync to write on', async () => (await size(dest)) > before, 10_000);

  const again = await zbk(['run', '--config', config, '--now', NIGHT2]);
  t.is(again.exitCode, 1, again.stdout + again.stderr);
  t.regex(unwrap(again.stdout), /WARNING: stopped what the dead run \(pid \d+, zbk run --job h1\) left running: rsync \(pid \d+, group \d+\)/);
  const hooks = await readdir(seen);
  t.is(hooks.length, 2);
  const atSecondStart = await Promise.all(hooks.map(async (f) => (await readFile(join(seen, f), 'utf8')).trim()));
  t.deepEqual(atSecondStart, ['', ''], 'no rsync of this source ran when either run started its pull');
  t.deepEqual(await pidsOf('rsync', b.src), []);
  t.deepEqual((await sh('zfs', ['list', '-H', '-o', 'name', '-t', 'snapshot', '-r', b.dataset])).stdout.trim(), `${b.dataset}@${SNAP2}`);
  t.is(await sha(await snapshotFile(b.dataset, SNAP2, 'vm.img')), await sha(join(b.src, 'vm.img')), 'the snapshot holds the whole file');
  t.deepEqual(await readdir(join(b.state, 'locks')), []);
});

test.serial('kill -9 of zbk during a hung pre hook: the next run stops the hook\'s processes first', async (t) => {
  const b = await bed(t, { pre_hook: 'sleep 1000 & echo $! > PIDFILE; wait' });
  const pidfile = join(b.pool.dir, 'hook.pid');
  await writeFile(b.config, (await readFile(b.config, 'utf8')).replaceAll('PIDFILE', pidfile));
  await writeFile(join(b.src, 'f'), 'x');

  const first = runInBackground(t, b.config, NIGHT1);
  const hung = await until('the pre hook to start', async () => Number(await readFile(pidfile, 'utf8').catch(() => '')));
  first.kill('SIGKILL');
  await first;
  t.deepEqual(await pidsOf('sleep 1000').then((p) => p.includes(hung)), true, 'the hook outlives zbk');
  await writeFile(b.config, (await readFile(b.config, 'utf8')).replace(/^pre_hook = .*$/m, 'pre_hook = "true"'));

  const again = await zbk(['run', '--config', b.config, '--now', NIGHT2]);
  t.is(again.exitCode, 1, again.stdout + again.stderr);
  t.regex(unwrap(again.stdout), /WARNING: stopped what the dead run \(pid \d+, zbk run --job h1\) left running: .*sleep \(pid \d+, group \d+\)/);
  t.false((await pidsOf('sleep 1000')).includes(hung));
});

test.serial('a post hook whose background child holds its output open: the job ends when sh does, and the child is stopped', async (t) => {
  const b = await bed(t, { post_hook: 'sleep 1000 >&2 & echo $! > PIDFILE; echo posted', hook_timeout: '1h' });
  const pidfile = join(b.pool.dir, 'child.pid');
  await writeFile(b.config, (await readFile(b.config, 'utf8')).replaceAll('PIDFILE', pidfile));
  await writeFile(join(b.src, 'f'), 'x');
  const started = Date.now();
  const r = await zbk(['run', '--config', b.config, '--now', NIGHT1]);
  t.is(r.exitCode, 0, r.stdout + r.stderr);
  t.true(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
  const child = Number(await readFile(pidfile, 'utf8'));
  t.false((await pidsOf('sleep 1000')).includes(child));
});

test.serial('hook_timeout bounds a post hook that never ends, background child and all: a warning, exit 1', async (t) => {
  const b = await bed(t, { post_hook: '(sleep 1000 &); echo stuck; sleep 1000', hook_timeout: '2s' });
  await writeFile(join(b.src, 'f'), 'x');
  const started = Date.now();
  const r = await zbk(['run', '--config', b.config, '--now', NIGHT1]);
  t.is(r.exitCode, 1, r.stdout + r.stderr);
  t.regex(unwrap(r.stdout), /WARNING: post_hook failed \(timed out after 2 s: stuck\)/);
  t.true(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
});

test.serial('SIGTERM to zbk run during the post hook stops the hook\'s whole process group', async (t) => {
  const b = await bed(t, { post_hook: 'echo $$ > PIDFILE; sleep 1000 & echo $! >> PIDFILE; wait' });
  const pidfile = join(b.pool.dir, 'hook.pids');
  await writeFile(b.config, (await readFile(b.config, 'utf8')).replaceAll('PIDFILE', pidfile));
  await writeFile(join(b.src, 'f'), 'x');
  const run = runInBackground(t, b.config, NIGHT1);
  const pids = await until('the post hook to start its child', async () => {
    const p = (await readFile(pidfile, 'utf8').catch(() => '')).trim().split('\n').map(Number).filter(Boolean);
    return p.length === 2 && p;
  });
  const stopped = Date.now();
  run.kill('SIGTERM');
  const r = await run;
  t.true(Date.now() - stopped < 10_000);
  t.is(r.exitCode, 1, r.stdout + r.stderr);
  t.regex(unwrap(r.stdout), /WARNING: post_hook failed \(stopped: zbk was interrupted\)/);
  const left = await until('the hook to be gone', async () => {
    const running = await pidsOf('sleep 1000');
    return pids.every((p) => !running.includes(p)) && 'gone';
  }, 5000);
  t.is(left, 'gone');
  t.deepEqual(await readdir(join(b.state, 'locks')), []);
});

test.serial('a lock left under the box\'s old host name, its pid gone: taken over with a warning, the job runs', async (t) => {
  const b = await bed(t, {});
  await writeFile(join(b.src, 'f'), 'x');
  await mkdir(join(b.state, 'locks'), { recursive: true, mode: 0o700 });
  const gone = execa('true');
  await gone;
  const since = '2026-02-28T03:00:00.000Z';
  await writeFile(join(b.state, 'locks', 'h1.lock'), JSON.stringify({ pid: gone.pid, host: 'old-name.example.com', command: 'zbk run --job h1', since }));
  const r = await zbk(['run', '--config', b.config, '--now', NIGHT1]);
  t.is(r.exitCode, 1, r.stdout + r.stderr);
  t.regex(unwrap(r.stdout), new RegExp(`WARNING: took over the lock of pid ${gone.pid} on old-name\\.example\\.com \\(this host is ${hostname().replaceAll('.', '\\.')}; zbk run --job h1, since ${since}\\)`));
  t.deepEqual((await sh('zfs', ['list', '-H', '-o', 'name', '-t', 'snapshot', '-r', b.dataset])).stdout.trim(), `${b.dataset}@zbk_2026-03-01T030000Z`);
  t.deepEqual(await readdir(join(b.state, 'locks')), []);
});

test.serial('a locks directory that is a planted symbolic link: refused as a state_dir zbk must not trust (78), no snapshot, nothing made through the link', async (t) => {
  const b = await bed(t, {});
  await writeFile(join(b.src, 'f'), 'x');
  const elsewhere = join(b.pool.dir, 'elsewhere');
  await mkdir(elsewhere);
  await mkdir(b.state, { mode: 0o700 });
  await symlink(elsewhere, join(b.state, 'locks'));
  const r = await zbk(['run', '--config', b.config, '--now', NIGHT1]);
  // The state_dir check (src/state/dir.ts) stops the run before any job; the lock's own check
  // (src/jobs/lock.ts) is the second guard, tested in test/jobs/lock.test.ts.
  t.is(r.exitCode, 78, r.stdout + r.stderr);
  t.true(r.stderr.includes(`${join(b.state, 'locks')}: state_dir: is a symbolic link`), r.stderr);
  t.deepEqual(await readdir(elsewhere), []);
  t.is((await sh('zfs', ['list', '-H', '-o', 'name', '-t', 'snapshot', '-r', b.dataset])).stdout.trim(), '');
});
