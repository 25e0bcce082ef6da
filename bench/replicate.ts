/**
 * Replication on zfs-fuse, two pools on this machine (a local target):
 * - bytes through zbk's send | receive pipe for an incremental (what zbk's replica state records)
 *   against what zfs reports the snapshots hold, and against the bytes of the bare stream
 *   (`zfs send -I … | wc -c`) of the same snapshots (goal <= 1.05x);
 * - wall time of `zbk replicate` against a bare `zfs send -I … | zfs receive …` of the same
 *   snapshots into a twin copy on the same target pool (goal <= 1.10x), medians of alternating rounds.
 * zfs-fuse (pool v23) has no `written@` property: the snapshots' share is measured by what it has,
 * the growth of `referenced` from the base to the newest snapshot (the data is only added, never
 * rewritten, so that growth is what the snapshots wrote).
 *   flock /tmp/zbk-zfs.lock node --import=tsx bench/replicate.ts   (root, zfs-fuse running, `make build` done)
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, scratchPool, sh, timed } from './lib.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const ROUNDS = Number(process.env.ROUNDS ?? 5);
/** Snapshots per incremental, and MiB of new data each. */
const PER_ROUND = 3;
const MIB_EACH = Number(process.env.MIB_EACH ?? 16);

let night = 0;
const nextName = () => `zbk_${new Date(Date.UTC(2026, 0, 1, 3) + night++ * 86400_000).toISOString().slice(0, 10)}T030000Z`;
const prop = async (name: string, p: string) => Number((await sh('zfs', ['get', '-Hp', '-o', 'value', p, name])).stdout.trim());

/** Adds MIB_EACH of random data to the dataset and snapshots it; returns the snapshot's name. */
async function addNight(mountpoint: string, ds: string): Promise<string> {
  const name = nextName();
  await sh('dd', ['if=/dev/urandom', `of=${join(mountpoint, name)}`, 'bs=1M', `count=${MIB_EACH}`, 'status=none']);
  await sh('zfs', ['snapshot', `${ds}@${name}`]);
  return name;
}

async function main(): Promise<void> {
  const src = await scratchPool('repl_src', 1024, 'zbkt_');
  const dst = await scratchPool('repl_dst', 2048, 'zbkt_');
  try {
    const ds = `${src.pool}/data`;
    await sh('zfs', ['create', ds]);
    const mountpoint = (await sh('zfs', ['get', '-H', '-o', 'value', 'mountpoint', ds])).stdout.trim();
    const config = join(src.dir, 'zbk.toml');
    await writeFile(config, [
      '[zbk]', 'timezone = "UTC"', `state_dir = "${src.dir}/state"`,
      '[[job]]', 'name = "data"', `dataset = "${ds}"`, 'retention = { keep_last = 1000 }', 'replicate = ["local"]',
      '[[target]]', 'name = "local"', `dataset = "${dst.pool}/zbk"`,
      '',
    ].join('\n'));
    const zbkReplicate = async () => {
      const r = await sh(process.execPath, [CLI, 'replicate', '--config', config, '--target', 'local']);
      if (r.exitCode !== 0) throw new Error(`zbk replicate exited ${r.exitCode}: ${r.stderr}`);
    };
    const bare = `${dst.pool}/bare`;
    await sh('zfs', ['create', bare]);

    // The base, in full to both copies.
    let base = await addNight(mountpoint, ds);
    await zbkReplicate();
    await sh('sh', ['-c', `zfs send ${ds}@${base} | zfs receive ${bare}/data`]);

    const zbkTimes: number[] = [];
    const bareTimes: number[] = [];
    const byteRatios: { zbk: number; stream: number; referenced: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let newest = base;
      for (let i = 0; i < PER_ROUND; i++) newest = await addNight(mountpoint, ds);
      await sh('sync', []);
      const stream = Number((await sh('sh', ['-c', `zfs send -I ${ds}@${base} ${ds}@${newest} | wc -c`])).stdout.trim());
      const referenced = (await prop(`${ds}@${newest}`, 'referenced')) - (await prop(`${ds}@${base}`, 'referenced'));
      const runBare = () => sh('sh', ['-c', `zfs send -I ${ds}@${base} ${ds}@${newest} | zfs receive ${bare}/data`]);
      // Alternate which goes first, so that neither always meets a warm or a cold cache.
      if (round % 2 === 0) {
        zbkTimes.push(await timed(zbkReplicate));
        bareTimes.push(await timed(runBare));
      } else {
        bareTimes.push(await timed(runBare));
        zbkTimes.push(await timed(zbkReplicate));
      }
      const state = JSON.parse(await readFile(join(src.dir, 'state', 'replicas', 'data@local.json'), 'utf8')) as {
        lastAttempt: { bytes: number | null; mode: string | null; sent: string[] };
      };
      const piped = state.lastAttempt.bytes ?? NaN;
      if (state.lastAttempt.mode !== 'incremental' || state.lastAttempt.sent.length !== PER_ROUND) {
        throw new Error(`zbk replicate did not send one incremental of ${PER_ROUND}: ${JSON.stringify(state.lastAttempt)}`);
      }
      byteRatios.push({ zbk: piped, stream, referenced });
      base = newest;
    }
    const mib = (b: number) => `${(b / 1024 ** 2).toFixed(2)} MiB`;
    const last = byteRatios.at(-1)!;
    console.log(`replicate (local target, zfs-fuse, node ${process.version}): ${ROUNDS} incrementals of ${PER_ROUND} snapshots x ${MIB_EACH} MiB of new data`);
    console.log(`  bytes, last round: zbk's pipe ${mib(last.zbk)}, bare zfs send -I | wc -c ${mib(last.stream)}, referenced growth ${mib(last.referenced)}`);
    console.log(`  zbk's pipe / bare stream       ${median(byteRatios.map((r) => r.zbk / r.stream)).toFixed(4)}x  (median of ${ROUNDS}; goal <= 1.05x)`);
    console.log(`  zbk's pipe / referenced growth ${median(byteRatios.map((r) => r.zbk / r.referenced)).toFixed(4)}x  (zfs-fuse has no written@; goal <= 1.05x)`);
    const z = median(zbkTimes);
    const b = median(bareTimes);
    console.log(`  bare zfs send -I | zfs receive ${b.toFixed(0)} ms  (median of ${ROUNDS})`);
    console.log(`  zbk replicate                  ${z.toFixed(0)} ms  (median of ${ROUNDS}) = ${(z / b).toFixed(3)}x bare (goal <= 1.10x)`);
  } finally {
    await src.cleanup();
    await dst.cleanup();
  }
}

await main();
