/**
 * What carrying a replication stream costs zbk, without ZFS (whose own speed swamps it on
 * zfs-fuse): runPipe (src/replicate/pipe.ts) moving MIB of zeros from `head -c` to `cat
 * >/dev/null` handed over (`head | dd | cat`, as replicate runs off a terminal) and through
 * zbk (counted in node, as for a progress line), against the bare `head | cat` of sh, the
 * floor. Alternating, ROUNDS rounds, medians.
 *   node --import=tsx bench/pipe.ts      (MIB=768 ROUNDS=7)
 */
import { loadavg } from 'node:os';
import { execa } from 'execa';
import { DD_ARGS, runPipe } from '../src/replicate/pipe.js';
import { median, timed } from './lib.js';

const MIB = Number(process.env.MIB ?? 768);
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const BYTES = MIB * 1024 * 1024;
const send = { file: 'head', args: ['-c', String(BYTES), '/dev/zero'] };
const receive = { file: 'sh', args: ['-c', 'exec cat >/dev/null'] };
const o = { timeoutMs: 600_000, killGraceMs: 1000 };

const check = (r: { bytes: number }) => {
  if (r.bytes !== BYTES) throw new Error(`${r.bytes} bytes counted, ${BYTES} sent`);
};
const cases: Record<string, () => Promise<unknown>> = {
  'sh: head | cat (floor)': () => execa('sh', ['-c', `head -c ${BYTES} /dev/zero | cat >/dev/null`]),
  'zbk, handed over (head | dd | cat)': async () => check(await runPipe(send, receive, { ...o, countWith: { file: 'dd', args: DD_ARGS } })),
  'zbk, through node (counted)': async () => check(await runPipe(send, receive, { ...o, onBytes: () => undefined })),
};
const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (const f of Object.values(cases)) await f(); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, f] of Object.entries(cases)) times[name]!.push(await timed(f));
}
const floor = median(times['sh: head | cat (floor)']!);
console.log(`pipe: ${MIB} MiB, ${ROUNDS} rounds, medians, node ${process.version}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const [name, ts] of Object.entries(times)) {
  const m = median(ts);
  console.log(`  ${name.padEnd(36)} ${m.toFixed(0).padStart(6)} ms  ${(m / floor).toFixed(3)}x floor  (${ts.map((t) => t.toFixed(0)).join(' ')})`);
}
