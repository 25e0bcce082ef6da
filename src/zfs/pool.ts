/** zpool(8): status text or JSON, capacity, scrubs. */
import type { Runner } from './exec.js';

export interface PoolCapacity {
  readonly name: string;
  /** Percent of the pool in use. */
  readonly capacity: number | null;
  readonly health: string;
}

export async function poolStatus(run: Runner, pools: readonly string[], json: boolean): Promise<string> {
  return run('zpool', ['status', ...(json ? ['-j', '--json-int'] : []), '-v', ...pools], { busyRetryMs: 0 });
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
  return parsePoolList(await run('zpool', ['list', '-H', '-o', 'name,capacity,health', ...pools], { busyRetryMs: 0 }));
}

export async function startScrub(run: Runner, pool: string): Promise<void> {
  await run('zpool', ['scrub', pool]);
}
