/**
 * Cold start: `zbk scrub-report --from-file F` (the installed bundle, `make bundle`: zbk.cjs,
 * what sbin/zbk runs, running zbk.js from its V8 code cache) against `node -e 0` in the same
 * run, alternating, ratio of medians. Also the same bundle in a zone other than UTC, without its
 * code cache, and the tsc output (dist/, what `bin/zbk.js` runs in a checkout), for comparison.
 *   node --import=tsx bench/startup.ts
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { median, timed } from './lib.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = `${root}build/zbk.cjs`;
const dist = `${root}dist/cli.js`;
const sample = `${root}fixtures/zpool-status/freebsd-12-legacy-read-errors-scrub-repaired.txt`;
const ROUNDS = 30;

for (const f of [bundle, dist]) if (!existsSync(f)) throw new Error(`${f} is missing: run \`make bundle build\``);
// The bundle without zbk.js.cache beside it: what the cache gives.
const uncached = mkdtempSync(join(tmpdir(), 'zbk-startup-'));
for (const f of ['zbk.cjs', 'zbk.js']) copyFileSync(`${root}build/${f}`, join(uncached, f));

// The host's zone as it is (here UTC), and TZ=Europe/Athens: a host in another zone, whose
// offsets zbk reads from Date's local time where it can name the zone (src/time/zone.ts), and
// otherwise through Intl. execa adds `env` to this process's environment.
const run = ([args, env]: Case) => timed(() => execa(process.execPath, args, { reject: false, env: { ZBK_CONFIG: '', ...env } }));
type Case = [args: string[], env?: Record<string, string>];
const cases: Record<string, Case> = {
  'node -e 0': [['-e', '0']],
  'zbk scrub-report --from-file (bundle)': [[bundle, 'scrub-report', '--from-file', sample]],
  'zbk scrub-report --from-file (TZ=Europe/Athens)': [[bundle, 'scrub-report', '--from-file', sample], { TZ: 'Europe/Athens' }],
  'zbk scrub-report --from-file (no cache)': [[join(uncached, 'zbk.cjs'), 'scrub-report', '--from-file', sample]],
  'zbk scrub-report --from-file (dist/)': [[dist, 'scrub-report', '--from-file', sample]],
  'zbk --version (bundle)': [[bundle, '--version']],
};
const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < ROUNDS + 3; i++) {
  for (const [name, c] of Object.entries(cases)) {
    const ms = await run(c);
    if (i >= 3) times[name]!.push(ms); // three warm-up rounds
  }
}
rmSync(uncached, { recursive: true, force: true });
const base = median(times['node -e 0']!);
for (const [name, ms] of Object.entries(times)) {
  console.log(`${name.padEnd(48)} ${median(ms).toFixed(1).padStart(7)} ms  ${(median(ms) / base).toFixed(2)}x node -e 0`);
}
