/**
 * `zbk history` on a real zfs-fuse pool with 30 nights (test/helpers/nights.ts): exactly the
 * versions the test wrote, through clones (zfs-fuse has no .zfs/snapshot); no clone left after
 * SIGTERM; after kill -9, `zbk list` reports the leftover and the next command removes it;
 * prune keeps a snapshot a clone depends on instead of failing.
 */
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import test from '../helpers/zfs-test.js';
import { execa } from 'execa';
import { CLI, zbk } from '../helpers/cli.js';
import { until } from '../helpers/processes.js';
import { makePool, sh } from '../helpers/pool.js';
import { NIGHTS, nightIso, range, snapOf, thirtyNightsForFile, type Nights } from '../helpers/nights.js';
import { mkdir, writeFile } from 'node:fs/promises';

const nights = thirtyNightsForFile();

interface Json { job: string; path: string; versions: { type: string; size: number; mtime: string; sha256: string | null; snapshots: string[]; live: boolean }[]; entries?: { path: string; versions: unknown[] }[] }

async function history(b: Nights, ...args: string[]): Promise<Json> {
  const r = await zbk(['history', '--config', b.config, '--job', 'h', '--format', 'json', ...args]);
  if (r.exitCode !== 0) throw new Error(`zbk history ${args.join(' ')}: exit ${r.exitCode}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Json;
}

const views = async (b: Nights): Promise<string[]> =>
  (await sh('zfs', ['list', '-H', '-o', 'name', '-r', b.dataset])).stdout.split('\n').filter((n) => n.includes('/zbk-view-'));

const span = (j: Json) => j.versions.map((v) => [v.snapshots[0], v.snapshots.length, v.live]);

test.serial('the versions written, oldest first: changed twice, deleted then recreated, a same-size same-mtime rewrite told apart only by --checksum', async (t) => {
  const b = await nights();
  t.is(NIGHTS, 30);
  const rc = await history(b, join(b.src, 'etc/rc.conf'));
  t.is(rc.path, join(b.src, 'etc/rc.conf'));
  t.deepEqual(span(rc), [[snapOf(1), 4, false], [snapOf(5), 7, false], [snapOf(12), 19, true]]);
  t.deepEqual(rc.versions.map((v) => [v.type, v.size, v.sha256]), [['file', 13, null], ['file', 14, null], ['file', 33, null]]);
  t.is(rc.versions[0]!.mtime, '2026-03-01T02:00:00Z');

  const index = await history(b, 'www/index.html');
  t.deepEqual(index.versions.map((v) => [v.snapshots, v.live]), [[range(1, 7), false], [range(15, 30), true]], 'a night without the file splits the runs');

  const same = await history(b, 'data/same.bin');
  t.deepEqual(span(same), [[snapOf(1), 30, true]], 'same size, same mtime: one version without --checksum');
  const summed = await history(b, 'data/same.bin', '--checksum');
  t.deepEqual(span(summed), [[snapOf(1), 19, false], [snapOf(20), 11, true]]);
  t.not(summed.versions[0]!.sha256, summed.versions[1]!.sha256);
  t.regex(summed.versions[0]!.sha256!, /^[0-9a-f]{64}$/);
  t.deepEqual(await views(b), [], 'every clone destroyed');
});

test.serial('a directory lists its entries\' versions; --deleted what no longer exists live; text output names the versions', async (t) => {
  const b = await nights();
  const www = await history(b, 'www');
  t.deepEqual(www.entries!.map((e) => e.path), [join(b.src, 'www/index.html'), join(b.src, 'www/old.txt')]);
  const gone = await history(b, '.', '--deleted');
  t.deepEqual(gone.entries!.map((e) => e.path), [join(b.src, 'www/old.txt')]);
  const text = await zbk(['history', '--config', b.config, '--job', 'h', 'www/old.txt']);
  t.is(text.exitCode, 0, text.stderr);
  t.regex(text.stdout, /www\/old\.txt \(job h, 30 snapshots and the live dataset\): 1 version/);
  t.regex(text.stdout, new RegExp(`file +4 +2026-03-01T02:00:00Z +${snapOf(1)} \\.\\. ${snapOf(9)} \\(9 snapshots\\)`));
});

test.serial('refused: a path outside the source directory or with a control character (64), no --job or two (64), an unknown job (64)', async (t) => {
  const b = await nights();
  const cases: Array<[string[], RegExp]> = [
    [['--job', 'h', '/etc/passwd'], /not under the job's source directory/],
    [['--job', 'h', '../x'], /not under/],
    [['--job', 'h', 'a\nb'], /control character/],
    [['www'], /name the job with --job/],
    [['--job', 'h', '--job', 'h', 'www'], /--job given 2 times/],
    [['--job', 'nope', 'www'], /no job "nope"/],
    [['--job', 'h', 'www', 'extra'], /Unknown argument|extra/],
  ];
  for (const [args, re] of cases) {
    const r = await zbk(['history', '--config', b.config, ...args]);
    t.is(r.exitCode, 64, args.join(' '));
    t.regex(r.stderr, re);
    t.is(r.stdout, '');
  }
  t.deepEqual(await views(b), []);
});

/** zbk history in the background, once one of its clones exists (in a wrapper: the subprocess is a thenable). */
async function historyUnderWay(t: ExecutionContext, b: Nights) {
  const child = execa(process.execPath, [CLI, 'history', '--config', b.config, '--job', 'h', '--checksum', '.'], { reject: false, stdin: 'ignore', env: { ZBK_CONFIG: '', LC_ALL: 'C' } });
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await child.catch(() => undefined);
  });
  const deadline = Date.now() + 60_000;
  while ((await views(b)).length === 0) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('no clone appeared while zbk history ran');
    await new Promise((r) => setTimeout(r, 20));
  }
  return { child };
}

/**
 * Eight times, as the race it guards against is rare: a SIGTERM that closed the views while a
 * file of the clone was still being read left the clone busy for good about once in 20.
 */
test.serial('SIGTERM mid-history: the clone it was reading is destroyed, exit 143 (eight times)', async (t) => {
  const b = await nights();
  for (let round = 1; round <= 8; round++) {
    const { child } = await historyUnderWay(t, b);
    child.kill('SIGTERM');
    const r = await child;
    t.is(r.exitCode, 143, `round ${round}: ${r.stderr}`);
    t.deepEqual(await views(b), [], `round ${round}`);
  }
});

/** Whether a child of `pid` still runs (a zfs it started ends on its own while node is stopped, and stays a zombie until node reaps it). */
const childRunning = async (pid: number): Promise<boolean> =>
  (await execa('ps', ['-o', 'stat=', '--ppid', String(pid)], { reject: false })).stdout.split('\n').some((s) => s.trim() !== '' && !s.startsWith('Z'));

/**
 * Stops zbk history (SIGSTOP) while one of its clones exists, lets the zfs command it may have
 * running end, and kills it (SIGKILL) once a clone is there to leave behind. Killed with its
 * `zfs clone` still mounting, it would leave that zfs to race the next command's destroy of the
 * same clone: zfs-fuse deadlocks on two processes mounting and unmounting at once.
 */
async function killWithClone(t: ExecutionContext, b: Nights) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const { child } = await historyUnderWay(t, b);
    child.kill('SIGSTOP');
    await until(`the children of ${child.pid} to end`, async () => !(await childRunning(child.pid!)), 60_000);
    if ((await views(b)).length === 1) {
      child.kill('SIGKILL');
      await child;
      return child.pid!;
    }
    child.kill('SIGCONT');
    await child;
  }
  throw new Error('never caught zbk history with a clone');
}

test.serial('kill -9 mid-history: zbk list reports the leftover clone; the next command that makes views removes it', async (t) => {
  const b = await nights();
  const pid = await killWithClone(t, b);
  const child = { pid };
  const left = await views(b);
  t.is(left.length, 1);
  t.regex(left[0]!, new RegExp(`^${b.dataset}/zbk-view-${child.pid}-zbk_`));
  const list = await zbk(['list', '--config', b.config]);
  t.is(list.exitCode, 0, list.stderr);
  t.regex(list.stdout, new RegExp(`view clone ${left[0]}: left by a zbk that was killed \\(pid ${child.pid}\\); the next zbk history, diff or restore of this dataset removes it`));
  const json = JSON.parse((await zbk(['list', '--config', b.config, '--format', 'json'])).stdout) as { datasets: { views: unknown[] }[] };
  t.deepEqual(json.datasets[0]!.views, [{ kind: 'clone', name: left[0], tag: null, pid: child.pid, in_use: false }]);
  const next = await zbk(['history', '--config', b.config, '--job', 'h', 'etc/rc.conf']);
  t.is(next.exitCode, 0, next.stderr);
  t.regex(next.stderr, new RegExp(`removed the view clone ${left[0]} left by a zbk that was killed \\(pid ${child.pid}\\)`));
  t.deepEqual(await views(b), []);
});

test.serial('prune keeps a snapshot a clone depends on, says so, and destroys the rest (exit 0)', async (t) => {
  const pool = await makePool(t);
  const src = join(pool.dir, 'src');
  await mkdir(src);
  await writeFile(join(src, 'f'), 'x\n');
  const config = join(pool.dir, 'zbk.toml');
  await writeFile(config, `[zbk]\nstate_dir = ${JSON.stringify(join(pool.dir, 'state'))}\n\n[retention.one]\nkeep_last = 1\n\n[[job]]\nname = "p"\ndataset = "${pool.name}/p"\nsource = ${JSON.stringify(`${src}/`)}\nretention = "one"\n`);
  t.is((await zbk(['init', '--config', config])).exitCode, 0);
  await sh('zfs', ['snapshot', `${pool.name}/p@${snapOf(1)}`]);
  await sh('zfs', ['snapshot', `${pool.name}/p@${snapOf(2)}`]);
  await sh('zfs', ['snapshot', `${pool.name}/p@${snapOf(3)}`]);
  await sh('zfs', ['clone', `${pool.name}/p@${snapOf(1)}`, `${pool.name}/p/reading`]);
  const r = await zbk(['prune', '--config', config, '--job', 'p', '--now', nightIso(3)]);
  t.is(r.exitCode, 0, r.stdout + r.stderr);
  t.regex(r.stdout, new RegExp(`destroyed ${pool.name}/p@${snapOf(2)}`));
  t.regex(r.stdout, new RegExp(`kept ${pool.name}/p@${snapOf(1)}: a clone depends on it`));
  t.is(r.stderr, '');
  const left = (await sh('zfs', ['list', '-H', '-o', 'name', '-t', 'snapshot', '-r', `${pool.name}/p`])).stdout.split('\n').map((n) => n.split('@')[1]);
  t.deepEqual(left, [snapOf(1), snapOf(3)]);
});
