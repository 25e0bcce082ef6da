/**
 * zpool(8): status text or JSON, capacity, scrubs. Pool names reach zpool's argv only after
 * `--` and only when they are pool names as ZFS allows them, so none can be read as an option.
 */
import type { Runner } from './exec.js';
import { ZfsError } from './errors.js';
import { poolNameProblem } from './names.js';

export interface PoolCapacity {
  readonly name: string;
  /** Percent of the pool in use. */
  readonly capacity: number | null;
  readonly health: string;
}

/** The most `zpool status` may print before zbk stops reading it (execa's default limit). */
export const STATUS_MAX_BYTES = 100_000_000;

/** The names as zpool arguments, after `--`; a name that is not a pool name is refused before anything runs. */
function poolArgs(pools: readonly string[]): string[] {
  for (const name of pools) {
    const problem = poolNameProblem(name);
    if (problem) throw new ZfsError('failed', `${JSON.stringify(name)} is not a pool name: ${problem}`);
  }
  return pools.length > 0 ? ['--', ...pools] : [];
}

/**
 * `zpool status -v` of the pools. `verbose` false leaves out the lists of damaged files, for an
 * output too big to read with them (the count stays).
 */
export async function poolStatus(run: Runner, pools: readonly string[], json: boolean, verbose = true, maxBytes = STATUS_MAX_BYTES): Promise<string> {
  const args = ['status', ...(json ? ['-j', '--json-int'] : []), ...(verbose ? ['-v'] : []), ...poolArgs(pools)];
  return run('zpool', args, { busyRetryMs: 0, maxBuffer: maxBytes });
}

export function parsePoolList(text: string): PoolCapacity[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const [name = '', cap = '', health = ''] = line.split('\t');
      const pct = /^(\d+(?:\.\d+)?)%?$/.exec(cap.trim());
      return { name, capacity: pct ? Number(pct[1]) : null, health };
    });
}

export async function poolCapacities(run: Runner, pools: readonly string[]): Promise<PoolCapacity[]> {
  return parsePoolList(await run('zpool', ['list', '-H', '-o', 'name,capacity,health', ...poolArgs(pools)], { busyRetryMs: 0 }));
}

export async function startScrub(run: Runner, pool: string): Promise<void> {
  await run('zpool', ['scrub', ...poolArgs([pool])]);
}
