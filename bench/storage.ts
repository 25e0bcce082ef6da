/**
 * What a week of nightly backups of a disk image costs in pool space, with zbk's own `run`
 * (node dist/cli.js) against what most backup scripts do, on the same changes, in one run.
 *
 *   node --import=tsx bench/storage.ts [--recordsize 16K] [--pieces 4-16]   (root, zfs-fuse running, `make build` done)
 *
 * A 256 MiB disk image of random data (incompressible: what is measured is blocks, not
 * compression). Night 0 pulls it whole. Then 7 nights: each overwrites 1% of the image in
 * scattered pieces of 4 KiB .. 16 KiB (sector-aligned, as a guest OS writes; --pieces sets other sizes), and backs up:
 *
 *   zbk       `zbk init` with an image job's settings (recordsize "16K", block_size "auto",
 *             which makes rsync's block the record), then `zbk run --now <night>`: rsync
 *             -aH --inplace --no-whole-file --block-size=16384 ..., zfs snapshot, prune.
 *   baseline  plain `rsync -a --inplace --delete` (no --no-whole-file: a local copy is then
 *             whole-file, so every changed file is rewritten end to end) into a dataset
 *             with the default recordsize 128K, then `zfs snapshot`.
 *
 * The measure: how much the pool holds for the 7 nights of history, divided by the bytes
 * that changed at the source. "How much the pool holds" is the growth of the dataset's
 * `used` (its live data and all its snapshots; no children) from after night 0 to after
 * night 7, which is `usedbysnapshots` + the growth of `usedbydataset`: exactly what keeping
 * the week costs, each block counted once however many snapshots share it. The sum of the
 * snapshots' own `used` is printed too, and is NOT the measure: a snapshot's `used` is only
 * what no other snapshot shares, and the night-0 version of a block overwritten on night k
 * is shared by snapshots 0 .. k-1, so it is in none of their `used` (it undercounts by far).
 * The growth is split into the data the backup rewrote (whole records: each piece dirties
 * every record it touches; for zbk that is also what rsync sent, whole blocks of the
 * record's size) and the rest: ZFS's metadata, the indirect blocks rewritten with them.
 * Space is read after the pool has synced (`zpool export` + `zpool import`), so that the
 * last transaction group is counted.
 *
 * --recordsize runs zbk's side at another record size (block_size "auto" follows it), to
 * see where 16K stands; the goal (<= 1.6x) is for the default image settings.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { scratchPool, sh, timed } from './lib.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const MiB = 1 << 20;
const IMAGE = 256 * MiB;
const NIGHTS = 7;
const CHANGE = Math.round(IMAGE / 100); // 1% a night
const SECTOR = 512;
const GOAL = 1.6;

const { values: opts } = parseArgs({
  options: { recordsize: { type: 'string', default: '16K' }, pieces: { type: 'string', default: '4-16' } },
});
/** --pieces MIN-MAX: the sizes of the overwritten pieces, in KiB (default 4-16, a guest OS's writes). */
const [MIN_PIECE, MAX_PIECE] = (/^(\d+)-(\d+)$/.exec(opts.pieces!) ?? []).slice(1).map((k) => Number(k) * 1024) as [number, number];
if (!(MIN_PIECE >= 512 && MAX_PIECE >= MIN_PIECE)) throw new Error(`--pieces ${opts.pieces}: MIN-MAX in KiB, e.g. 4-16`);
const RECORDSIZE = opts.recordsize!.toUpperCase();
const ZBK_RECORD = Number.parseInt(RECORDSIZE, 10) * (RECORDSIZE.endsWith('K') ? 1024 : 1);
if (!(ZBK_RECORD >= 512 && ZBK_RECORD <= 131072 && (ZBK_RECORD & (ZBK_RECORD - 1)) === 0)) {
  throw new Error(`--recordsize ${opts.recordsize}: a power of two from 512 to 128K`);
}

const night = (i: number) => new Date(Date.UTC(2026, 10, 1 + i, 3)).toISOString().replace('.000Z', 'Z');
const mib = (n: number) => `${(n / MiB).toFixed(2).padStart(8)} MiB`;

async function requirements(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench/storage.ts needs root (zfs, zpool)');
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`make build\``);
  await sh('zpool', ['list']).catch((e: Error) => {
    throw new Error(`bench/storage.ts needs ZFS (zfs-fuse running): ${e.message.split('\n')[0]}`);
  });
}

async function writeRandomFile(file: string, size: number): Promise<void> {
  const fh = await open(file, 'w');
  try {
    for (let at = 0; at < size; at += 4 * MiB) await fh.write(randomBytes(Math.min(4 * MiB, size - at)), 0, undefined, at);
  } finally {
    await fh.close();
  }
}

interface Night {
  /** Distinct bytes overwritten (sectors, overlaps counted once). */
  readonly changed: number;
  readonly pieces: number;
  /** The records the pieces touched, whole, at zbk's record size: what any record-granular copy-on-write must rewrite. */
  readonly records: number;
}

/** Overwrites 1% of the image in place: scattered sector-aligned pieces of MIN_PIECE .. MAX_PIECE bytes. */
async function changeImage(file: string): Promise<Night> {
  const sectors = new Set<number>();
  const records = new Set<number>();
  let pieces = 0;
  const fh = await open(file, 'r+');
  try {
    while (sectors.size * SECTOR < CHANGE) {
      const length = randomInt(MIN_PIECE / SECTOR, MAX_PIECE / SECTOR + 1) * SECTOR;
      const offset = randomInt(0, (IMAGE - length) / SECTOR + 1) * SECTOR;
      await fh.write(randomBytes(length), 0, length, offset);
      pieces++;
      for (let s = offset / SECTOR; s < (offset + length) / SECTOR; s++) sectors.add(s);
      for (let r = Math.floor(offset / ZBK_RECORD); r <= Math.floor((offset + length - 1) / ZBK_RECORD); r++) records.add(r);
    }
  } finally {
    await fh.close();
  }
  return { changed: sectors.size * SECTOR, pieces, records: records.size * ZBK_RECORD };
}

const numbers = async (args: readonly string[]): Promise<number[]> =>
  (await sh('zfs', ['get', '-Hp', '-o', 'value', ...args])).stdout.split('\n').filter(Boolean).map(Number);

interface Space {
  readonly used: number;
  readonly usedbydataset: number;
  readonly usedbysnapshots: number;
  /** The sum of each snapshot's own `used`. */
  readonly snapshotsOwn: number;
  readonly snapshots: number;
}

async function space(dataset: string): Promise<Space> {
  const [used, usedbydataset, usedbysnapshots] = await numbers(['used,usedbydataset,usedbysnapshots', dataset]);
  const snaps = (await sh('zfs', ['list', '-H', '-o', 'name', '-t', 'snapshot', '-r', dataset])).stdout.split('\n').filter(Boolean);
  const snapshotsOwn = snaps.length ? (await numbers(['used', ...snaps])).reduce((a, b) => a + b, 0) : 0;
  return { used: used!, usedbydataset: usedbydataset!, usedbysnapshots: usedbysnapshots!, snapshotsOwn, snapshots: snaps.length };
}

/** Writes out every pending transaction group, so that `used` counts everything written. */
async function syncPool(pool: string, dir: string): Promise<void> {
  await sh('sync', []);
  await sh('zpool', ['export', pool]);
  await sh('zpool', ['import', '-d', dir, pool]);
}

/** zfs-fuse now and then answers "pool is busy" with nothing using the pool: try again. */
async function destroyPool(pool: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    const r = await execa('zpool', ['destroy', '-f', pool], { reject: false, env: { LC_ALL: 'C' } });
    if (r.exitCode === 0 || /no such pool/.test(r.stderr)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  console.error(`bench/storage.ts: could not destroy ${pool}; destroy it by hand`);
}

function report(label: string, s0: Space, s7: Space, changed: number, rewritten: number, rewrittenWhy: string): { ratio: number; lines: string[] } {
  const grown = s7.used - s0.used;
  const x = (n: number) => `${(n / changed).toFixed(2)} x`;
  return {
    ratio: grown / changed,
    lines: [
      `  ${label}`,
      `    history costs (used grew)  ${mib(grown)} = ${x(grown)} the changed bytes   (usedbysnapshots ${mib(s7.usedbysnapshots).trim()}, usedbydataset grew ${mib(s7.usedbydataset - s0.usedbydataset).trim()})`,
      `      data rewritten           ${mib(rewritten)} = ${x(rewritten)}   (${rewrittenWhy})`,
      `      the rest: ZFS metadata   ${mib(grown - rewritten)} = ${x(grown - rewritten)}   (indirect blocks rewritten with the data)`,
      `    not the measure: sum of the ${s7.snapshots} snapshots' own used ${mib(s7.snapshotsOwn).trim()} (blocks shared by 2+ snapshots are in none)`,
    ],
  };
}

async function main(): Promise<void> {
  await requirements();
  const { pool, dir, cleanup } = await scratchPool(`storage_${process.pid}`, 4096);
  const stop = () => void destroyPool(pool).then(cleanup).finally(() => process.exit(130));
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    const src = join(dir, 'src');
    await mkdir(src);
    const image = join(src, 'vm.img');
    await writeRandomFile(image, IMAGE);

    const zbkDs = `${pool}/image`;
    const config = join(dir, 'zbk.toml');
    await writeFile(config, `[zbk]
timezone = "UTC"
state_dir = "${join(dir, 'state')}"

[[job]]
name = "image"
dataset = "${zbkDs}"
source = "${src}/"
recordsize = "${RECORDSIZE}"
`);
    const zbk = async (args: string[]) => {
      const r = await execa(process.execPath, [CLI, ...args, '--config', config], { reject: false, env: { LC_ALL: 'C' } });
      if (r.exitCode !== 0) throw new Error(`zbk ${args.join(' ')}: exit ${r.exitCode}\n${r.stdout}\n${r.stderr}`);
      return r.stdout;
    };
    const init = (await zbk(['init'])).trim();
    const plainDs = `${pool}/plain`;
    // zbk's dataset settings where they bear on space, but the default recordsize.
    await sh('zfs', ['create', '-o', 'atime=off', '-o', 'compression=on', plainDs]);
    const plainMnt = (await sh('zfs', ['get', '-H', '-o', 'value', 'mountpoint', plainDs])).stdout.trim();
    const plainArgs = ['-a', '--inplace', '--delete', `${src}/`, `${plainMnt}/`];
    const plain = async (i: number) => {
      await sh('rsync', plainArgs);
      await sh('zfs', ['snapshot', `${plainDs}@night${i}`]);
    };

    const zbkRsync = (await zbk(['run', '--now', night(0), '--dry-run'])).split('\n').find((l) => l.includes('rsync:'))!.replace(/^\s*rsync:\s+/, '');
    let zbkMs = await timed(() => zbk(['run', '--now', night(0)]));
    let plainMs = await timed(() => plain(0));
    console.log(`storage: a ${IMAGE / MiB} MiB disk image of random data; night 0 pulls it whole, then ${NIGHTS} nights each overwrite 1% in scattered ${MIN_PIECE / 1024}..${MAX_PIECE / 1024} KiB pieces`);
    const tmp = (text: string) => text.replaceAll(dir, 'TMP');
    console.log(`  zbk:      ${tmp(init)}`);
    console.log(`            zbk run --now <night>: ${tmp(zbkRsync)}; zfs snapshot; prune`);
    console.log(`  baseline: rsync ${tmp(plainArgs.join(' '))}; zfs snapshot  (recordsize 128K, compression=on, atime=off)`);
    console.log(`  night 0: zbk ${(zbkMs / 1000).toFixed(1)} s, baseline ${(plainMs / 1000).toFixed(1)} s`);
    await syncPool(pool, dir);
    const zbk0 = await space(zbkDs);
    const plain0 = await space(plainDs);

    const nights: Night[] = [];
    let literal = 0;
    zbkMs = 0;
    plainMs = 0;
    for (let i = 1; i <= NIGHTS; i++) {
      nights.push(await changeImage(image));
      zbkMs += await timed(() => zbk(['run', '--now', night(i)]));
      plainMs += await timed(() => plain(i));
      const state = JSON.parse(await readFile(join(dir, 'state', 'jobs', 'image.json'), 'utf8')) as { lastAttempt: { outcome: string; stats: { literalData: number } } };
      if (state.lastAttempt.outcome !== 'ok') throw new Error(`zbk run, night ${i}: ${state.lastAttempt.outcome}`);
      literal += state.lastAttempt.stats.literalData;
    }
    await syncPool(pool, dir);
    const zbk7 = await space(zbkDs);
    const plain7 = await space(plainDs);
    const changed = nights.reduce((a, n) => a + n.changed, 0);
    const records = nights.reduce((a, n) => a + n.records, 0);
    const pieces = nights.reduce((a, n) => a + n.pieces, 0);

    console.log(`  nights 1..${NIGHTS}: ${pieces} pieces, ${mib(changed).trim()} changed in all (${mib(changed / NIGHTS).trim()} a night); zbk ${(zbkMs / NIGHTS / 1000).toFixed(1)} s a night, baseline ${(plainMs / NIGHTS / 1000).toFixed(1)} s`);
    const z = report(`zbk run (recordsize ${RECORDSIZE}, block_size auto = ${ZBK_RECORD})`, zbk0, zbk7, changed, records,
      `every ${RECORDSIZE} record a piece touched, whole; rsync sent ${mib(literal).trim()} of literal data`);
    const b = report('baseline (recordsize 128K, whole-file)', plain0, plain7, changed, NIGHTS * IMAGE, 'the whole image, every night');
    console.log([...z.lines, ...b.lines].join('\n'));
    console.log(`storage: zbk ${z.ratio.toFixed(2)}x, baseline ${b.ratio.toFixed(2)}x the changed bytes (the baseline keeps ${(b.ratio / z.ratio).toFixed(1)} times as much); goal for zbk <= ${GOAL}x: ${z.ratio <= GOAL ? 'met' : 'NOT met'}`);
  } finally {
    await destroyPool(pool);
    await cleanup();
  }
}

await main();
