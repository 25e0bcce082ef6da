/**
 * `zbk diff` on a real zfs-fuse pool with 30 nights (test/helpers/nights.ts): between every
 * pair of consecutive nights, exactly what the test changed (zfs-fuse has no `zfs diff`: an
 * itemized rsync dry run between two clone views, real rsync). No clone is left behind, nor,
 * after SIGTERM, the rsync reading them.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from '../helpers/zfs-test.js';
import { execa } from 'execa';
import { CLI, zbk } from '../helpers/cli.js';
import { sh } from '../helpers/pool.js';
import { NIGHTS, snapOf, thirtyNightsForFile, type Nights } from '../helpers/nights.js';

const nights = thirtyNightsForFile();

interface Json { job: string; from: string; to: string | null; changes: { path: string; change: string; size: number | null }[] }

async function diff(b: Nights, ...args: string[]): Promise<Json> {
  const r = await zbk(['diff', '--config', b.config, '--job', 'h', '--format', 'json', ...args]);
  if (r.exitCode !== 0) throw new Error(`zbk diff ${args.join(' ')}: exit ${r.exitCode}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Json;
}

test.serial('every pair of consecutive nights: exactly what the test changed that night', async (t) => {
  const b = await nights();
  for (let n = 2; n <= NIGHTS; n++) {
    const d = await diff(b, snapOf(n - 1), snapOf(n));
    t.is(d.from, snapOf(n - 1));
    t.is(d.to, snapOf(n));
    const want = (b.changes.get(n) ?? []).map((c) => [join(b.src, c.path), c.change]);
    t.deepEqual(d.changes.map((c) => [c.path, c.change]), want, `night ${n}`);
  }
  const views = (await sh('zfs', ['list', '-H', '-o', 'name', '-r', b.dataset])).stdout.split('\n').filter((n) => n.includes('/zbk-view-'));
  t.deepEqual(views, []);
});

test.serial('sizes: of TO for added and modified, of FROM for removed; a directory has none', async (t) => {
  const b = await nights();
  const d = await diff(b, snapOf(11), snapOf(12));
  t.deepEqual(d.changes, [{ path: join(b.src, 'etc/rc.conf'), change: 'modified', size: 33 }]);
  const removed = await diff(b, snapOf(9), snapOf(10));
  t.deepEqual(removed.changes, [{ path: join(b.src, 'www/old.txt'), change: 'removed', size: 4 }]);
  const added = await diff(b, snapOf(24), snapOf(25));
  t.deepEqual(added.changes.map((c) => c.size), [null, 4]);
});

test.serial('TO defaults to the live dataset; an instant chooses the newest snapshot at or before it, named in the text', async (t) => {
  const b = await nights();
  const live = await diff(b, snapOf(NIGHTS));
  t.is(live.to, null);
  t.deepEqual(live.changes, []);
  const span = await diff(b, '2026-03-04T12:00:00Z', snapOf(5));
  t.is(span.from, snapOf(4));
  t.deepEqual(span.changes.map((c) => c.change), ['modified']);
  const text = await zbk(['diff', '--config', b.config, '--job', 'h', '2026-03-07T12:00:00Z', '2026-03-08T03:00:00Z']);
  t.is(text.exitCode, 0, text.stderr);
  t.regex(text.stdout, new RegExp(`^job h: from ${snapOf(7)} \\(the newest at or before 2026-03-07T12:00:00Z\\) to ${snapOf(8)} \\(the newest at or before 2026-03-08T03:00:00Z\\) \\(rsync\\): 0 added, 1 removed, 0 modified$`, 'm'));
  t.regex(text.stdout, /^removed +15 +\S+www\/index\.html$/m);
});

test.serial('refused (64): a FROM that is neither a snapshot nor an instant, one before every snapshot, a third positional, anything after --', async (t) => {
  const b = await nights();
  const cases: Array<[string[], RegExp]> = [
    [['yesterday'], /FROM: "yesterday" is neither a snapshot of the job's dataset nor an ISO 8601 instant/],
    [['2020-01-01T00:00:00Z'], /FROM: no zbk_ snapshot at or before 2020-01-01T00:00:00Z/],
    [[snapOf(1), 'nope'], /TO: "nope" is neither/],
    [[snapOf(1), snapOf(2), snapOf(3)], /Unknown argument|too many/i],
    [[snapOf(1), '--', snapOf(2)], /after --/],
  ];
  for (const [args, re] of cases) {
    const r = await zbk(['diff', '--config', b.config, '--job', 'h', ...args]);
    t.is(r.exitCode, 64, args.join(' '));
    t.regex(r.stderr, re);
    t.is(r.stdout, '');
  }
});

const viewClones = async (b: Nights): Promise<string[]> =>
  (await sh('zfs', ['list', '-H', '-o', 'name', '-r', b.dataset])).stdout.split('\n').filter((n) => n.includes('/zbk-view-'));

test.serial('SIGTERM mid-diff: the rsync dry run\'s group is stopped before the views close; no rsync and no clone remain, exit 143', async (t) => {
  const b = await nights();
  // rsync as found on PATH, slow to start (the real one runs after the sleep), so that the
  // signal comes while it reads the views; the sleep is in its group, as rsync's forks are.
  const bin = join(b.pool.dir, 'slow-bin');
  await mkdir(bin, { recursive: true });
  const real = (await execa('sh', ['-c', 'command -v rsync'])).stdout.trim();
  await writeFile(join(bin, 'rsync'), `#!/bin/sh\nsleep 60\nexec ${real} "$@"\n`);
  await chmod(join(bin, 'rsync'), 0o755);
  const child = execa(process.execPath, [CLI, 'diff', '--config', b.config, '--job', 'h', snapOf(1), snapOf(2)], {
    reject: false, stdin: 'ignore', env: { ZBK_CONFIG: '', LC_ALL: 'C', PATH: `${bin}:${process.env.PATH ?? ''}` },
  });
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const running = async () => (await execa('ps', ['-eo', 'args'])).stdout.split('\n').filter((l) => l.includes(`${bin}/rsync`));
  const deadline = Date.now() + 60_000;
  while ((await running()).length === 0) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`zbk diff never started its rsync: ${(await child).stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  t.is((await viewClones(b)).length, 2, 'both views are clones while rsync reads them');
  child.kill('SIGTERM');
  const r = await child;
  t.is(r.exitCode, 143, r.stderr);
  t.deepEqual(await running(), [], 'no rsync of the diff runs on');
  t.deepEqual(await viewClones(b), []);
});
