/** Small shared pieces of the benchmarks: timing, medians, a scratch pool on a sparse file. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';

export async function timed(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * The zbk a bench runs: `--cli PATH` or ZBK_BENCH_CLI=PATH if given, else the installed form,
 * the bundle with its V8 code cache (build/zbk.cjs, what sbin/zbk runs), made here by
 * `make bundle` when missing or older than its sources.
 */
export async function benchCli(): Promise<string> {
  const at = process.argv.indexOf('--cli');
  if (at > 0 && process.argv[at + 1]) return process.argv[at + 1]!;
  if (process.env.ZBK_BENCH_CLI) return process.env.ZBK_BENCH_CLI;
  const root = fileURLToPath(new URL('..', import.meta.url));
  await execa('make', ['-s', 'bundle'], { cwd: root, stdio: 'inherit' });
  return join(root, 'build', 'zbk.cjs');
}

export const sh = (cmd: string, args: readonly string[]) => execa(cmd, args, { env: { LC_ALL: 'C' } });

/**
 * The environment of zbk's nightly runs, cron's or the rc.d service's: PATH, HOME, LOGNAME,
 * SHELL, nothing else. Not the bench's own: this VM's login environment sets
 * NODE_EXTRA_CA_CERTS, and node reads and parses that CA bundle at every start (40-60 ms here,
 * `node -e 0` with and without it), a cost of the shell the bench was started from, not zbk's.
 */
export const NIGHTLY_ENV: Readonly<Record<string, string>> = {
  PATH: process.env.PATH ?? '/sbin:/bin:/usr/sbin:/usr/bin', HOME: process.env.HOME ?? '/root', LOGNAME: 'root', SHELL: '/bin/sh', LC_ALL: 'C',
};

/** A command in NIGHTLY_ENV. */
export const nightly = (cmd: string, args: readonly string[]) => execa(cmd, args, { env: NIGHTLY_ENV, extendEnv: false });

/**
 * A pool named `<prefix><name>` (default `zbkb_`) on a sparse file, destroyed by the returned
 * cleanup. `zbkt_`, the tests' prefix, is what `make clean-test-pools` clears if a run dies.
 */
export async function scratchPool(name: string, sizeMiB = 512, prefix = 'zbkb_'): Promise<{ pool: string; dir: string; cleanup: () => Promise<void> }> {
  const pool = `${prefix}${name}`;
  await sh('zpool', ['destroy', '-f', pool]).catch(() => undefined);
  const dir = await mkdtemp(join(tmpdir(), `${pool}-`));
  await sh('truncate', ['-s', `${sizeMiB}M`, join(dir, 'disk')]);
  await sh('zpool', ['create', '-f', '-m', join(dir, 'mnt'), pool, join(dir, 'disk')]);
  return {
    pool,
    dir,
    cleanup: async () => {
      await sh('zpool', ['destroy', '-f', pool]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
