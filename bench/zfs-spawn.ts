/**
 * What starting one zfs process costs zbk: 30 `zfs list -H -o name` one after the other through
 * spawnProcess (src/zfs/exec.ts, node's child_process), through the execa call it replaced (kept
 * here, as it was), and from a shell loop (the floor), alternating, 7 rounds, medians per process.
 *   flock /tmp/zbk-zfs.lock node --import=tsx bench/zfs-spawn.ts   (zfs-fuse running)
 */
import { loadavg } from 'node:os';
import { execa } from 'execa';
import { spawnProcess, type Spawn } from '../src/zfs/exec.js';
import { median, timed } from './lib.js';

const N = 30;
const ROUNDS = 7;

/** spawnProcess before bench/zfs-spawn: execa 9, exactly as src/zfs/exec.ts called it. */
const execaSpawn: Spawn = async (file, args, options) => {
  const r = await execa(file, args, {
    reject: false,
    stripFinalNewline: false,
    env: { LC_ALL: 'C', TZ: 'UTC' },
    stdin: 'ignore',
    ...(options.maxBuffer === undefined ? {} : { maxBuffer: options.maxBuffer }),
  });
  return { exitCode: r.exitCode ?? null, stdout: r.stdout, stderr: r.stderr || r.stdout || (r.message ?? ''), ...(r.code ? { errno: r.code } : {}), tooLarge: r.isMaxBuffer };
};

const loop = (spawn: Spawn) => async () => {
  for (let i = 0; i < N; i++) {
    const r = await spawn('zfs', ['list', '-H', '-o', 'name'], {});
    if (r.exitCode !== 0) throw new Error(`zfs list exited ${r.exitCode}: ${r.stderr}`);
  }
};
const cases: Record<string, () => Promise<unknown>> = {
  'sh loop (floor)': () => execa('sh', ['-c', `i=0; while [ $i -lt ${N} ]; do zfs list -H -o name >/dev/null || exit 1; i=$((i+1)); done`]),
  'execa (before)': loop(execaSpawn),
  'spawnProcess (child_process)': loop(spawnProcess),
};
const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
await loop(execaSpawn)(); // warm-up: execa's import, zfs's pages
for (let round = 0; round < ROUNDS; round++) {
  const order = Object.entries(cases);
  if (round % 2) order.reverse();
  for (const [name, f] of order) times[name]!.push((await timed(f)) / N);
}
console.log(`zfs-spawn: ${N} x zfs list -H -o name, ${ROUNDS} rounds alternating, node ${process.version}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const floor = median(times['sh loop (floor)']!);
for (const [name, ms] of Object.entries(times)) {
  console.log(`  ${name.padEnd(30)} ${median(ms).toFixed(2).padStart(6)} ms a process (median; ${ms.map((m) => m.toFixed(1)).join(' ')})  ${(median(ms) / floor).toFixed(2)}x sh`);
}
