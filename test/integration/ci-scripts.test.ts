/**
 * What keeps a hang from holding CI: scripts/zfs-fuse.sh replaces a zfs-fuse that does not
 * answer (stopped here with SIGSTOP, as wedged as it gets), and scripts/ci-leftovers.sh lists
 * and stops what a failed CI run left running, by the mark .ci/run puts in the environment.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import test from '../helpers/zfs-test.js';
import { execa } from 'execa';
import { ROOT } from '../helpers/cli.js';
import { makePool, sh } from '../helpers/pool.js';
import { until } from '../helpers/processes.js';
import { execaWithDeadline, wedgesSoFar, ZfsFuseWedged } from '../helpers/deadline.js';

const alive = async (pid: number): Promise<boolean> => {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return stat !== null && !/^\d+ \(.*\) Z/.test(stat);
};

test('a zfs-fuse that does not answer is restarted, and its pools are there again', async (t) => {
  const pool = await makePool(t);
  const before = Number((await sh('pgrep', ['-x', 'zfs-fuse'])).stdout.trim());
  const answering = await execa('sh', [`${ROOT}scripts/zfs-fuse.sh`], { all: true });
  t.is(answering.all, '', 'one that answers is left alone');
  t.is(Number((await sh('pgrep', ['-x', 'zfs-fuse'])).stdout.trim()), before);

  process.kill(before, 'SIGSTOP');
  // A fourth descriptor, a pipe, as a CI harness may pass one: execa settles once every pipe
  // of the script is closed, so a daemon that kept it would hold this test as it held CI.
  const restart = execa('sh', [`${ROOT}scripts/zfs-fuse.sh`], { env: { ZFS_FUSE_WAIT: '3' }, all: true, reject: false, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  let timer: NodeJS.Timeout | undefined;
  const r = await Promise.race([restart, new Promise<null>((resolve) => (timer = setTimeout(resolve, 60_000, null)))]);
  clearTimeout(timer);
  if (r === null) {
    restart.kill('SIGKILL');
    return t.fail('the restarted zfs-fuse holds the pipe it was given');
  }
  t.is(r.exitCode, 0, r.all);
  t.regex(r.all ?? '', /zfs-fuse does not answer \(zpool list took over 3 s\): restarting it/);
  t.false(await alive(before));
  const after = Number((await sh('pgrep', ['-x', 'zfs-fuse'])).stdout.trim());
  t.not(after, before);
  t.is((await sh('zpool', ['list', '-H', '-o', 'health', pool.name])).stdout, 'ONLINE');

  const bad = await execa('sh', [`${ROOT}scripts/zfs-fuse.sh`], { env: { ZFS_FUSE_WAIT: '1; reboot' }, all: true, reject: false });
  t.is(bad.exitCode, 64);
  t.regex(bad.all ?? '', /ZFS_FUSE_WAIT: a number of seconds/);
});

test('a command past its deadline: a wedged zfs-fuse is told from a hung command, restarted, and what was mounted is mounted again', async (t) => {
  const pool = await makePool(t);
  await sh('zfs', ['create', `${pool.name}/a`]);
  const wedges = wedgesSoFar();
  const daemon = Number((await sh('pgrep', ['-x', 'zfs-fuse'])).stdout.trim());

  const hung = await t.throwsAsync(execaWithDeadline('sleep', ['30'], {}, 'sleep 30', 1000));
  t.false(hung instanceof ZfsFuseWedged);
  t.regex(hung.message, /^sleep 30: still running after 1 s, killed; zfs-fuse answers\nThe processes then:/);
  t.is(wedgesSoFar(), wedges, 'a command that hangs on its own is no wedge');
  t.is(Number((await sh('pgrep', ['-x', 'zfs-fuse'])).stdout.trim()), daemon, 'and zfs-fuse is left be');

  process.kill(daemon, 'SIGSTOP');
  const wedged = await t.throwsAsync(execaWithDeadline('zpool', ['list'], {}, 'zpool list', 2000));
  t.true(wedged instanceof ZfsFuseWedged, wedged.message);
  t.regex(wedged.message, /zfs-fuse was wedged \(zpool list got no answer in 30 s\)\. zfs-fuse was restarted\./);
  t.is(wedgesSoFar(), wedges + 1);
  t.false(await alive(daemon));
  const mounted = (await sh('zfs', ['get', '-H', '-o', 'value', 'mounted', `${pool.name}/a`])).stdout;
  t.is(mounted, 'yes');
});

test('after a failed CI run: its marked processes are listed and stopped; others, and a lone zfs-fuse, stay', async (t) => {
  const mark = randomUUID();
  const spawnSleep = (env: Record<string, string>) => execa('sleep', ['300'], { env, reject: false, stdin: 'ignore', detached: true });
  const marked = spawnSleep({ ZBK_CI_RUN: mark });
  const other = spawnSleep({ ZBK_CI_RUN: `${mark}-other` });
  t.teardown(() => {
    for (const c of [marked, other]) c.kill('SIGKILL');
  });
  await until('both sleeps', async () => (await alive(marked.pid!)) && alive(other.pid!));

  const r = await execa('sh', [`${ROOT}scripts/ci-leftovers.sh`], { env: { ZBK_CI_RUN: mark }, all: true });
  t.regex(r.all ?? '', /processes of this CI run still there:/);
  t.regex(r.all ?? '', new RegExp(`^ *${marked.pid} .* sleep 300$`, 'm'));
  t.notRegex(r.all ?? '', new RegExp(`^ *${other.pid} `, 'm'));
  t.false(await alive(marked.pid!));
  t.true(await alive(other.pid!));
  t.truthy((await sh('pgrep', ['-x', 'zfs-fuse'])).stdout, 'zfs-fuse (unmarked here) still runs');

  const none = await execa('sh', [`${ROOT}scripts/ci-leftovers.sh`], { env: { ZBK_CI_RUN: randomUUID() }, all: true });
  t.is(none.all, '', 'nothing left: nothing said');
});
