/**
 * `zbk history` of one file, on both of its paths, each against a baseline in the same run:
 *
 * - `.zfs` path: 400 snapshots laid out as `<mountpoint>/.zfs/snapshot/<name>/…` (plain
 *   directories; the walk is plain file system reads). zbk's history service (what the command
 *   runs: src/views/history.ts) with a Zfs whose commands are answered in process — the dialect
 *   probe, the listing of the 400, the mountpoint (the tmp tree), the leftover sweep, one hold
 *   and one release — so that what is timed is zbk's own work and the reads; against a bare
 *   `lstat` of the same 400 paths. Alternating rounds, ratio of medians.
 * - clone path: a real zfs-fuse pool (`zbkt_bench_history_<pid>`, made and destroyed here, in a
 *   child that holds `flock /tmp/zbk-zfs.lock` throughout), 30 snapshots; `zbk history` (the whole CLI, the installed bundle build/zbk.cjs) against
 *   a shell loop of the bare `zfs clone` + `stat` + `zfs destroy` per snapshot.
 *
 *   node --import=tsx bench/history.ts [--snapdir-only] [--clone-only] [--cli dist/cli.js]
 *   (the clone path: root, zfs-fuse running; `make bundle` is run when the bundle is stale)
 */
import { lstat, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { Job } from '../src/config/types.js';
import { history } from '../src/views/history.js';
import { createRunner, type Spawn } from '../src/zfs/exec.js';
import { Zfs } from '../src/zfs/zfs.js';
import { destroyPool } from '../test/helpers/pool.js';
import { benchCli, median, sh, timed } from './lib.js';

/** The installed form (build/zbk.cjs, made if stale), or `--cli PATH` / ZBK_BENCH_CLI; only the clone path runs it. */
const CLI = process.argv.includes('--snapdir-only') ? '' : await benchCli();
const LOCK = '/tmp/zbk-zfs.lock';
const FILE = 'etc/rc.conf';
const name = (i: number) => `zbk_${new Date(Date.UTC(2025, 0, 1, 3) + i * 86400_000).toISOString().slice(0, 10)}T030000Z`;
/** The file changes on every 7th night (another size and mtime), and is missing on nights 100..109. */
const contentOn = (i: number): string | null => (i >= 100 && i < 110 ? null : `hostname="${'a'.repeat(1 + Math.floor(i / 7))}"\n`);
const mtimeOn = (i: number) => new Date(Date.UTC(2025, 0, 1, 2) + Math.floor(i / 7) * 7 * 86400_000);
/** The versions history must find in n nights: runs of the same content, a missing night ending a run (the live copy is night n-1's). */
const expectedVersions = (n: number) =>
  Array.from({ length: n }, (_, i) => contentOn(i)).filter((c, i, all) => c !== null && (i === 0 || all[i - 1] !== c)).length;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

async function writeNight(root: string, i: number): Promise<void> {
  const data = contentOn(i);
  if (data === null) return;
  await mkdir(join(root, 'etc'), { recursive: true });
  await writeFile(join(root, FILE), data);
  await utimes(join(root, FILE), mtimeOn(i), mtimeOn(i));
}

/**
 * A Zfs answering, in process and in order, exactly the commands history runs on modern OpenZFS
 * with `.zfs/snapshot` (a command out of order fails the bench: the path measured is that one).
 */
function answeringZfs(dataset: string, mountpoint: string, snapshots: readonly string[]): { zfs: Zfs; calls: () => number } {
  const held = snapshots.map((s) => `${dataset}@${s}`);
  const listing = snapshots.map((s, i) => {
    const at = `${dataset}@${s}`;
    const created = Date.UTC(2025, 0, 1, 3) / 1000 + i * 86400;
    return `${at}\tcreation\t${created}\n${at}\tused\t1048576\n${at}\treferenced\t3222274048\n${at}\tuserrefs\t0\n`;
  }).join('');
  const pid = process.pid;
  const script: Array<[string, string]> = [
    ['zfs list -H -p -o name -d 0', 'tank\n'],
    [`zfs get -H -p -d 1 -t snapshot -o name,property,value creation,used,referenced,userrefs ${dataset}`, listing],
    [`zfs get -H -p -o name,property,value mountpoint,mounted ${dataset}`, `${dataset}\tmountpoint\t${mountpoint}\n${dataset}\tmounted\tyes\n`],
    [`zfs get -H -p -r -o name,property,value zbk:view,origin ${dataset}`, `${dataset}\tzbk:view\t-\n`],
    [`zfs hold zbk-view:${pid} ${held.join(' ')}`, ''],
    [`zfs release zbk-view:${pid} ${held.join(' ')}`, ''],
  ];
  let next = 0;
  let calls = 0;
  const spawn: Spawn = async (file, args) => {
    calls++;
    const command = [file, ...args].join(' ');
    const [want, stdout] = script[next % script.length]!;
    if (command !== want) throw new Error(`bench: zbk ran \`${command.slice(0, 200)}\`, expected \`${want.slice(0, 200)}\``);
    next++;
    return { exitCode: 0, stdout, stderr: '' };
  };
  // A new Zfs per run (the dialect is probed once per Zfs, as once per zbk process).
  return { zfs: new Zfs(createRunner({ zfs: 'zfs', zpool: 'zpool' }, spawn)), calls: () => calls };
}

async function snapdirPath(): Promise<void> {
  const N = 400;
  const ROUNDS = 9;
  const base = await mkdtemp(join(tmpdir(), 'zbk-bench-history-'));
  try {
    const live = join(base, 'mnt');
    const snapshots = Array.from({ length: N }, (_, i) => name(i));
    for (let i = 0; i < N; i++) await writeNight(join(live, '.zfs', 'snapshot', snapshots[i]!), i);
    await writeNight(live, N - 1);
    const dataset = 'tank/backup/h';
    const job = { name: 'h', dataset, source: { kind: 'ssh', user: 'root', host: 'h', path: '/' } } as Job;
    const paths = snapshots.map((s) => join(live, '.zfs', 'snapshot', s, FILE));
    const runHistory = async () => {
      const { zfs } = answeringZfs(dataset, live, snapshots);
      return history(zfs, { job, stateDir: join(base, 'state'), prefix: 'zbk', path: `/${FILE}`, checksum: false, deleted: false });
    };
    const bare = async () => {
      for (const p of paths) await lstat(p).catch(() => null);
      await lstat(join(live, FILE));
    };
    let result!: Awaited<ReturnType<typeof runHistory>>;
    const cold = await timed(async () => (result = await runHistory()));
    const versions = result.versions.length;
    if (versions !== expectedVersions(N)) throw new Error(`bench: history found ${versions} versions, the tree has ${expectedVersions(N)}`);
    const h: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      b.push(await timed(bare));
      h.push(await timed(runHistory));
    }
    const [mh, mb] = [median(h), median(b)];
    console.log(`history, .zfs path: ${N} snapshots as ${live}/.zfs/snapshot/<name>/, ${FILE} in ${versions} versions, node ${process.version}, load ${load()}`);
    console.log(`  zfs answered in process: probe, listing, mountpoint, sweep, 1 hold + 1 release of all ${N}`);
    console.log(`  first history (cold)     ${cold.toFixed(1)} ms`);
    console.log(`  baseline lstat x ${N + 1}     ${mb.toFixed(1)} ms  (median of ${ROUNDS})`);
    console.log(`  history                  ${mh.toFixed(1)} ms  (median of ${ROUNDS})  = ${(mh / mb).toFixed(2)} x baseline, ${(mh * 1000 / N).toFixed(0)} µs a snapshot`);
    console.log(`history, .zfs path: goal < 1000 ms for ${N} snapshots (cold ${cold.toFixed(0)} ms): ${cold < 1000 && mh < 1000 ? 'met' : 'NOT met'}`);
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

async function clonePath(): Promise<void> {
  const N = 30;
  const ROUNDS = 5;
  const pool = `zbkt_bench_history_${process.pid}`;
  const base = await mkdtemp(join(tmpdir(), `${pool}-`));
  const created = { pool: false };
  try {
    const src = join(base, 'src');
    const state = join(base, 'state');
    const config = join(base, 'zbk.toml');
    await mkdir(src);
    await sh('truncate', ['-s', '256M', join(base, 'disk')]);
    await sh('zpool', ['create', '-f', '-m', join(base, 'mnt'), pool, join(base, 'disk')]);
    created.pool = true;
    const ds = `${pool}/h`;
    await writeFile(config, [
      '[zbk]', 'timezone = "UTC"', `state_dir = ${JSON.stringify(state)}`, '',
      '[retention.all]', 'keep_last = 1000', '',
      '[[job]]', 'name = "h"', `dataset = "${ds}"`, `source = ${JSON.stringify(`${src}/`)}`, 'retention = "all"', '',
      // No snapshots: what a history costs whatever their number (node, config, zfs get, listing, sweep).
      '[[job]]', 'name = "e"', `dataset = "${pool}/e"`, `source = ${JSON.stringify(`${src}/`)}`, 'retention = "all"', '',
    ].join('\n'));
    const zbk = (args: string[]) => sh(process.execPath, [CLI, ...args, '--config', config]);
    await zbk(['init']);
    const mnt = (await sh('zfs', ['get', '-H', '-o', 'value', 'mountpoint', ds])).stdout.trim();
    // Set-up, not measured: each night's file written into the dataset, then its snapshot.
    const snapshots = Array.from({ length: N }, (_, i) => name(i));
    for (let i = 0; i < N; i++) {
      await rm(join(mnt, FILE), { force: true });
      await writeNight(mnt, i);
      await sh('zfs', ['snapshot', `${ds}@${snapshots[i]}`]);
    }
    const clone = `${ds}/bench-clone`;
    const cloneMnt = join(base, 'clone');
    // zfs-fuse now and then says a clone just unmounted is busy: retried, as zbk's runner retries it.
    const destroy = `n=0; until zfs destroy -f ${clone} 2>/dev/null; do n=$((n+1)); [ $n -lt 80 ] || exit 1; sleep 0.1; done`;
    const loop = snapshots.map((s) =>
      `zfs clone -o readonly=on -o mountpoint=${cloneMnt} ${ds}@${s} ${clone}\nstat ${cloneMnt}/${FILE} >/dev/null 2>&1 || :\n${destroy}`).join('\n');
    const z: number[] = [];
    const l: number[] = [];
    const e: number[] = [];
    let out = '';
    for (let r = 0; r < ROUNDS; r++) {
      l.push(await timed(() => sh('sh', ['-c', `set -e\n${loop}`])));
      z.push(await timed(async () => (out = (await zbk(['history', '--job', 'h', FILE, '--format', 'json'])).stdout)));
      e.push(await timed(() => zbk(['history', '--job', 'e', FILE, '--format', 'json'])));
    }
    const versions = (JSON.parse(out) as { versions: unknown[] }).versions.length;
    if (versions !== expectedVersions(N)) throw new Error(`bench: history found ${versions} versions, the snapshots hold ${expectedVersions(N)}`);
    const [mz, ml, me] = [median(z), median(l), median(e)];
    console.log(`history, clone path: ${N} snapshots of ${ds} on zfs-fuse, ${FILE} in ${versions} versions, node ${process.version}, load ${load()}`);
    console.log(`  zbk:      node ${CLI.replace(/.*\/((dist|build)\/)/, '$1')} history --job h ${FILE} --format json  (whole process)`);
    console.log(`  baseline: sh loop of zfs clone -o readonly=on -o mountpoint=… ; stat ; zfs destroy -f, per snapshot`);
    console.log(`  baseline  median ${ml.toFixed(0)} ms = ${(ml / N).toFixed(0)} ms a snapshot  (${l.map((x) => x.toFixed(0)).join(' ')})`);
    console.log(`  zbk       median ${mz.toFixed(0)} ms = ${(mz / N).toFixed(0)} ms a snapshot  (${z.map((x) => x.toFixed(0)).join(' ')})`);
    console.log(`  zbk history of a job with no snapshots  median ${me.toFixed(0)} ms  (${e.map((x) => x.toFixed(0)).join(' ')})`);
    console.log(`  a snapshot: baseline ${(ml / N).toFixed(1)} ms, zbk ${((mz - me) / N).toFixed(1)} ms (zbk's time less that of no snapshots, / ${N})`);
    console.log(`history, clone path: zbk / baseline = ${(mz / ml).toFixed(3)}x whole; ${((mz - me) / ml).toFixed(3)}x a snapshot`);
  } finally {
    // zfs-fuse now and then calls a pool just used busy: retried; its files go once it is gone.
    if (created.pool) await destroyPool(pool, base);
    else await rm(base, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
try {
  if (!args.includes('--clone-only')) await snapdirPath();
  if (args.includes('--snapdir-only')) {
    // done
  } else if (process.env.ZBK_BENCH_ZFS_LOCKED === '1') {
    await clonePath();
  } else {
    // The clone path runs in a child holding the shared zfs lock throughout (zfs-fuse deadlocks
    // when several processes create datasets at once), so that no wait for it is timed.
    await execa('flock', [LOCK, process.execPath, '--import=tsx', fileURLToPath(import.meta.url), '--clone-only', '--cli', CLI], {
      stdio: 'inherit', env: { ZBK_BENCH_ZFS_LOCKED: '1' },
    });
  }
} catch (e) {
  // execa's message holds the whole shell loop: its first line and stderr are enough.
  const x = e as { shortMessage?: string; stderr?: string; message: string };
  console.error(`bench/history.ts: ${(x.shortMessage ?? x.message).slice(0, 300)}${x.stderr ? `\n${x.stderr}` : ''}`);
  process.exitCode = 1;
}
