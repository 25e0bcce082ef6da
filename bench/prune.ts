/**
 * Pruning on zfs-fuse: zbk against a bare shell loop of `zfs destroy` over the same names in
 * the same run (ratio of medians over alternating rounds), and the number of zfs processes
 * zbk spawns to prune 500 snapshots on each dialect.
 *   node --import=tsx bench/prune.ts        (root, zfs-fuse running, `make build` done)
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { destroySnapshots } from '../src/zfs/destroy.js';
import { createRunner, spawnProcess, SYSTEM_TOOLS, type Runner } from '../src/zfs/exec.js';
import { Zfs } from '../src/zfs/zfs.js';
import { median, scratchPool, sh, timed } from './lib.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const EXPIRED = 300;
const ROUNDS = 3;
const name = (i: number) => `zbk_${new Date(Date.UTC(2020, 0, 1, 3) + i * 86400_000).toISOString().slice(0, 10)}T030000Z`;

async function makeSnapshots(ds: string, n: number): Promise<void> {
  // One shell for all of them: the set-up is not what is measured.
  const script = Array.from({ length: n }, (_, i) => `zfs snapshot ${ds}@${name(i)}`).join('\n');
  await sh('sh', ['-c', `set -e\n${script}`]);
}

async function main(): Promise<void> {
  const { pool, dir, cleanup } = await scratchPool('prune');
  try {
    const ds = `${pool}/host`;
    await sh('zfs', ['create', ds]);
    const config = join(dir, 'zbk.toml');
    await writeFile(config, `[zbk]\ntimezone = "UTC"\nstate_dir = "${dir}/state"\n\n[retention.default]\nkeep_last = 1\n`);
    const now = `${name(EXPIRED).slice(4, 14)}T03:00:00Z`;
    const zbkTimes: number[] = [];
    const loopTimes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await makeSnapshots(ds, EXPIRED + 1);
      zbkTimes.push(await timed(() => sh(process.execPath, [CLI, 'prune', ds, '--config', config, '--now', now])));
      await sh('zfs', ['destroy', `${ds}@${name(EXPIRED)}`]);
      await makeSnapshots(ds, EXPIRED);
      const loop = Array.from({ length: EXPIRED }, (_, i) => `zfs destroy ${ds}@${name(i)}`).join('\n');
      loopTimes.push(await timed(() => sh('sh', ['-c', loop])));
    }
    const z = median(zbkTimes);
    const l = median(loopTimes);
    console.log(`prune ${EXPIRED} expired snapshots: zbk ${z.toFixed(0)} ms, shell loop of zfs destroy ${l.toFixed(0)} ms, ratio ${(z / l).toFixed(3)}x (median of ${ROUNDS}; goal <= 1.10x)`);

    await makeSnapshots(ds, 501);
    // Counted where the processes start: a busy answer retried is one more.
    let spawned = 0;
    const system = createRunner(SYSTEM_TOOLS, (file, args, options) => {
      spawned++;
      return spawnProcess(file, args, options);
    });
    const zfs = new Zfs(system);
    await zfs.capabilities();
    const before = spawned;
    const listed = await zfs.listSnapshots(ds);
    const r = await zfs.destroySnapshots(ds, listed.slice(0, 500).map((s) => s.name), 100);
    console.log(`zfs processes to prune 500 snapshots, zfs-fuse (one by one): ${spawned - before} (1 listing + ${r.destroyed.length} destroys), measured`);
    let calls = 0;
    const counting: Runner = async () => {
      calls++;
      return '';
    };
    await destroySnapshots(counting, { modern: true }, ds, listed.slice(0, 500).map((s) => s.name), 100);
    console.log(`zfs processes to prune 500 snapshots, modern OpenZFS (destroy_batch 100): ${1 + calls} (1 listing + ${calls} batched destroys), counted from the argv zbk builds (no OpenZFS here to run them)`);
  } finally {
    await cleanup();
  }
}

await main();
