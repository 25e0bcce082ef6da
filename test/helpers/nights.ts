/**
 * A real pool with 30 nights of a small host tree (a local source), where known files change on
 * known nights, for the history and diff integration tests: `zbk init`, then `zbk run --now`
 * once a night. The job's rsync_args add `--checksum`: rsync's quick check (size and mtime)
 * would skip the file rewritten with the same size and mtime, and the test wants that rewrite
 * in the snapshots, as a job with such files gets it (writing into the dataset by hand
 * would test a history no zbk run makes).
 */
import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { bedForFile } from './bed.js';
import { zbk } from './cli.js';
import { makePool, type TestPool } from './pool.js';

export const NIGHTS = 30;
/** Night n (1-based): 2026-03-0n 03:00 UTC, as zbk names its snapshot. */
export const nightIso = (n: number): string => `2026-03-${String(n).padStart(2, '0')}T03:00:00Z`;
export const snapOf = (n: number): string => `zbk_2026-03-${String(n).padStart(2, '0')}T030000Z`;
export const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => snapOf(from + i));

export interface Change {
  readonly path: string;
  readonly change: 'added' | 'removed' | 'modified';
}

export interface Nights {
  readonly pool: TestPool;
  readonly src: string;
  readonly state: string;
  readonly config: string;
  readonly dataset: string;
  /** What the test changed on each night (index: night), paths relative to src. */
  readonly changes: ReadonlyMap<number, readonly Change[]>;
}

/** The mtime a file written on night n gets: an hour before the night's pull. */
const writtenOn = (n: number) => new Date(Date.parse(nightIso(n)) - 3600_000);

/**
 * etc/rc.conf      written n1, changed n5 and n12 (other sizes)
 * www/index.html   written n1, deleted n8, written again n15 (the same bytes and mtime)
 * www/old.txt      written n1, deleted n10
 * data/same.bin    written n1, rewritten n20 with the same size and mtime, other bytes
 * new/f            directory and file added n25
 */
async function night(src: string, n: number): Promise<Change[]> {
  const put = async (path: string, data: string, mtime = writtenOn(n)) => {
    await mkdir(join(src, path, '..'), { recursive: true });
    await writeFile(join(src, path), data);
    await utimes(join(src, path), mtime, mtime);
  };
  switch (n) {
    case 1:
      await put('etc/rc.conf', 'hostname="a"\n');
      await put('www/index.html', '<h1>hello</h1>\n');
      await put('www/old.txt', 'old\n');
      await put('data/same.bin', 'A'.repeat(4096));
      return [];
    case 5:
      await put('etc/rc.conf', 'hostname="ab"\n');
      return [{ path: 'etc/rc.conf', change: 'modified' }];
    case 8:
      await rm(join(src, 'www/index.html'));
      return [{ path: 'www/index.html', change: 'removed' }];
    case 10:
      await rm(join(src, 'www/old.txt'));
      return [{ path: 'www/old.txt', change: 'removed' }];
    case 12:
      await put('etc/rc.conf', 'hostname="abc"\nsshd_enable="YES"\n');
      return [{ path: 'etc/rc.conf', change: 'modified' }];
    case 15:
      await put('www/index.html', '<h1>hello</h1>\n', writtenOn(1));
      return [{ path: 'www/index.html', change: 'added' }];
    case 20:
      await put('data/same.bin', 'B'.repeat(4096), writtenOn(1));
      return [{ path: 'data/same.bin', change: 'modified' }];
    case 25:
      await put('new/f', 'new\n');
      return [{ path: 'new', change: 'added' }, { path: 'new/f', change: 'added' }];
    default:
      return [];
  }
}

/** Builds the pool and its 30 nights; `t` gets the pool's teardown. */
export async function thirtyNights(t: Pick<ExecutionContext, 'teardown'>): Promise<Nights> {
  const pool = await makePool(t);
  const src = join(pool.dir, 'src');
  const state = join(pool.dir, 'state');
  const config = join(pool.dir, 'zbk.toml');
  await mkdir(src);
  await writeFile(config, [
    '[zbk]', 'timezone = "UTC"', `state_dir = ${JSON.stringify(state)}`, '',
    '[retention.all]', 'keep_last = 100', '',
    '[[job]]', 'name = "h"', `dataset = "${pool.name}/h"`, `source = ${JSON.stringify(`${src}/`)}`, 'retention = "all"', 'rsync_args = ["--checksum"]', '',
  ].join('\n'));
  const init = await zbk(['init', '--config', config, '--job', 'h']);
  if (init.exitCode !== 0) throw new Error(`zbk init: ${init.stderr}`);
  const changes = new Map<number, Change[]>();
  for (let n = 1; n <= NIGHTS; n++) {
    changes.set(n, await night(src, n));
    const r = await zbk(['run', '--config', config, '--job', 'h', '--now', nightIso(n)]);
    if (r.exitCode !== 0) throw new Error(`zbk run night ${n}: exit ${r.exitCode}: ${r.stdout}${r.stderr}`);
  }
  return { pool, src, state, config, dataset: `${pool.name}/h`, changes };
}

/** One bed of thirty nights for all the tests of a file (bed.ts: rebuilt after a wedged zfs-fuse). */
export function thirtyNightsForFile(): () => Promise<Nights> {
  return bedForFile(thirtyNights);
}
