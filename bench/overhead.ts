/**
 * zbk's wall-time overhead over the two commands it wraps: `zbk run` of one job against the
 * bare `rsync` (the very argv zbk builds, from `zbk run --dry-run`, pointed at a twin
 * dataset) followed by `zfs snapshot`, in the same run, on the same changes.
 *
 *   node --import=tsx bench/overhead.ts [--rounds 9] [--big-mib 64] [--cli dist/cli.js]
 *   (root, zfs-fuse running, `make build` done; `--cli build/zbk.mjs` after `make bundle`
 *   measures the single-file bundle that `make install` installs)
 *
 * The source: 2,000 small files (1..8 KiB, in 40 directories) and a 64 MiB file (--big-mib),
 * all random.
 * Night 0 fills both datasets (not timed). Each round then changes the source a little (20
 * small files rewritten, 2 added, 2 deleted, 8 pieces of 64 KiB of the big file overwritten)
 * and times both sides over the same change: zbk's datasets and the bare one are in the same
 * state before each round, so rsync has the same work on both. The order alternates from
 * round to round, so that neither always runs with a warm cache the other warmed. zbk's
 * time is the whole process as cron or periodic(8) would see it: node's start, the config,
 * the lock, `zfs get`, rsync, `zfs snapshot`, listing and pruning, the state file. Reported:
 * the medians, their ratio (goal <= 1.05x), and the difference in milliseconds, which is the
 * fixed cost a job pays whatever its size; beside them, for scale, the medians of `node -e 0`
 * (node's own start) and `zbk --version` (node plus loading zbk's CLI).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { median, scratchPool, sh, timed } from './lib.js';

const SMALL_FILES = 2000;
const DIRS = 40;
const GOAL = 1.05;

const { values: opts } = parseArgs({
  options: { rounds: { type: 'string', default: '9' }, 'big-mib': { type: 'string', default: '64' }, cli: { type: 'string', default: 'dist/cli.js' } },
});
const CLI_NAME = opts.cli!;
const CLI = resolve(fileURLToPath(new URL('..', import.meta.url)), CLI_NAME);
const ROUNDS = Number(opts.rounds);
const BIG = Number(opts['big-mib']) << 20;

const night = (i: number) => new Date(Date.UTC(2026, 10, 1 + i, 3)).toISOString().replace('.000Z', 'Z');
const snapshotName = (i: number) => `zbk_${night(i).replace(/[-:]/g, '').replace(/^(\d{4})(\d{2})(\d{2})/, '$1-$2-$3')}`;

async function requirements(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench/overhead.ts needs root (zfs, zpool)');
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`make build\` (or \`make bundle\` for build/zbk.mjs)`);
  await sh('zpool', ['list']).catch((e: Error) => {
    throw new Error(`bench/overhead.ts needs ZFS (zfs-fuse running): ${e.message.split('\n')[0]}`);
  });
}

const smallFile = (src: string, i: number) => join(src, `d${i % DIRS}`, `f${i}.dat`);

async function makeSource(src: string): Promise<void> {
  for (let d = 0; d < DIRS; d++) await mkdir(join(src, `d${d}`), { recursive: true });
  for (let i = 0; i < SMALL_FILES; i++) await writeFile(smallFile(src, i), randomBytes(randomInt(1024, 8193)));
  const fh = await open(join(src, 'big.img'), 'w');
  try {
    for (let at = 0; at < BIG; at += 4 << 20) await fh.write(randomBytes(4 << 20), 0, undefined, at);
  } finally {
    await fh.close();
  }
}

let next = SMALL_FILES;
let oldest = 0;
/** A night's worth of change: a few small files rewritten, added, deleted; a few pieces of the big file. */
async function change(src: string): Promise<void> {
  for (let k = 0; k < 20; k++) {
    const i = randomInt(oldest, next);
    if (existsSync(smallFile(src, i))) await writeFile(smallFile(src, i), randomBytes(randomInt(1024, 8193)));
  }
  for (let k = 0; k < 2; k++) await writeFile(smallFile(src, next++), randomBytes(4096));
  for (let k = 0; k < 2; k++) await rm(smallFile(src, oldest++), { force: true });
  const fh = await open(join(src, 'big.img'), 'r+');
  try {
    for (let k = 0; k < 8; k++) await fh.write(randomBytes(65536), 0, 65536, randomInt(0, BIG - 65536));
  } finally {
    await fh.close();
  }
}

/** zfs-fuse now and then answers "pool is busy" with nothing using the pool: try again. */
async function destroyPool(pool: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    const r = await execa('zpool', ['destroy', '-f', pool], { reject: false, env: { LC_ALL: 'C' } });
    if (r.exitCode === 0 || /no such pool/.test(r.stderr)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  console.error(`bench/overhead.ts: could not destroy ${pool}; destroy it by hand`);
}

async function main(): Promise<void> {
  await requirements();
  const { pool, dir, cleanup } = await scratchPool(`overhead_${process.pid}`, 1024 + 3 * (BIG >> 20));
  const stop = () => void destroyPool(pool).then(cleanup).finally(() => process.exit(130));
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    const src = join(dir, 'src');
    await makeSource(src);
    const config = join(dir, 'zbk.toml');
    const zbkDs = `${pool}/host`;
    await writeFile(config, `[zbk]
timezone = "UTC"
state_dir = "${join(dir, 'state')}"

[[job]]
name = "host"
dataset = "${zbkDs}"
source = "${src}/"
`);
    const zbk = async (args: string[]) => {
      const r = await execa(process.execPath, [CLI, ...args, '--config', config], { reject: false, env: { LC_ALL: 'C' } });
      if (r.exitCode !== 0) throw new Error(`zbk ${args.join(' ')}: exit ${r.exitCode}\n${r.stdout}\n${r.stderr}`);
      return r.stdout;
    };
    await zbk(['init']);
    // The twin: the same properties zbk's init gave its dataset.
    const props = (await sh('zfs', ['get', '-H', '-s', 'local', '-o', 'property,value', 'all', zbkDs])).stdout.split('\n').filter(Boolean)
      .map((l) => l.split('\t')).filter(([p]) => !p!.includes(':')).flatMap(([p, v]) => ['-o', `${p}=${v}`]);
    const bareDs = `${pool}/bare`;
    await sh('zfs', ['create', ...props, bareDs]);
    const zbkMnt = (await sh('zfs', ['get', '-H', '-o', 'value', 'mountpoint', zbkDs])).stdout.trim();
    const bareMnt = (await sh('zfs', ['get', '-H', '-o', 'value', 'mountpoint', bareDs])).stdout.trim();

    // The argv zbk builds, from its own dry run, with the twin as the destination.
    const line = (await zbk(['run', '--now', night(0), '--dry-run'])).split('\n').find((l) => l.trimStart().startsWith('rsync:'))!;
    const words = line.trim().replace(/^rsync:\s+rsync\s+/, '').split(' ');
    if (words.some((w) => /['"\\]/.test(w)) || words.at(-1) !== `${zbkMnt}/`) throw new Error(`cannot reuse the dry run's command line: ${line}`);
    const bareArgv = [...words.slice(0, -1), `${bareMnt}/`];
    const bare = async (i: number) => {
      await sh('rsync', bareArgv);
      await sh('zfs', ['snapshot', `${bareDs}@${snapshotName(i)}`]);
    };

    await zbk(['run', '--now', night(0)]);
    await bare(0);
    const zbkTimes: number[] = [];
    const bareTimes: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      await change(src);
      const z = () => timed(() => zbk(['run', '--now', night(round)]));
      const b = () => timed(() => bare(round));
      if (round % 2) {
        zbkTimes.push(await z());
        bareTimes.push(await b());
      } else {
        bareTimes.push(await b());
        zbkTimes.push(await z());
      }
    }
    const same = await execa('diff', ['-r', '-q', zbkMnt, bareMnt], { reject: false });
    if (same.exitCode !== 0) throw new Error(`the two datasets differ after the rounds:\n${same.stdout}`);

    const startup = async (argv: string[]) => {
      const times: number[] = [];
      for (let i = 0; i < ROUNDS; i++) times.push(await timed(() => execa(process.execPath, argv)));
      return median(times);
    };
    const nodeStart = await startup(['-e', '0']);
    const cliStart = await startup([CLI, '--version']);

    const zm = median(zbkTimes);
    const bm = median(bareTimes);
    console.log(`overhead: one job, ${SMALL_FILES} small files + a ${BIG >> 20} MiB file, a few changes a round, ${ROUNDS} rounds alternating, node ${process.version}`);
    console.log(`  bare:  rsync ${bareArgv.join(' ').replaceAll(dir, 'TMP')}; zfs snapshot`);
    console.log(`  zbk:   node ${CLI_NAME} run --config zbk.toml --now <night>`);
    console.log(`  bare rsync + zfs snapshot  median ${bm.toFixed(0)} ms  (${bareTimes.map((x) => x.toFixed(0)).join(' ')})`);
    console.log(`  zbk run                    median ${zm.toFixed(0)} ms  (${zbkTimes.map((x) => x.toFixed(0)).join(' ')})`);
    console.log(`  for scale: node -e 0 median ${nodeStart.toFixed(0)} ms, zbk --version median ${cliStart.toFixed(0)} ms`);
    console.log(`overhead: zbk / bare = ${(zm / bm).toFixed(3)}x (+${(zm - bm).toFixed(0)} ms a job); goal <= ${GOAL}x: ${zm / bm <= GOAL ? 'met' : 'NOT met'}`);
  } finally {
    await destroyPool(pool);
    await cleanup();
  }
}

await main();
