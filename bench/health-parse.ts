/**
 * Parsing a big `zpool status -v`: 1,000 disks in 100 raidz2 vdevs (1,101 config rows), a scrub
 * running, a few counters and annotations. Prints the first parse of the process (cold: code not
 * yet optimised, the time-zone formatter not yet built), then medians of 9 alternating rounds
 * of the parser and of a baseline on the same text — splitting it into lines and matching one
 * trivial regex per line, the least any reader must do — and their ratio.
 *   node --import=tsx bench/health-parse.ts
 */
import { performance } from 'node:perf_hooks';
import { parseText } from '../src/health/parse-text.js';
import { median } from './lib.js';

const VDEVS = 100;
const DISKS = 10;
const PER_ROUND = 50;
const ROUNDS = 9;

function bigStatus(): string {
  const rows = ['\ttank                      ONLINE       0     0     0'];
  for (let v = 0; v < VDEVS; v++) {
    rows.push(`\t  raidz2-${v}                ONLINE       0     0     0`);
    for (let d = 0; d < DISKS; d++) {
      const n = v * DISKS + d;
      const errors = n % 97 === 0 ? `     0     0    ${n % 7}  (repairing)` : '     0     0     0';
      rows.push(`\t    gpt/disk${String(n).padStart(4, '0')}           ONLINE  ${errors}`);
    }
  }
  return [
    '  pool: tank',
    ' state: ONLINE',
    '  scan: scrub in progress since Thu Nov 26 21:05:17 2026',
    '\t512T / 1.20P scanned at 2.10G/s, 498T / 1.20P issued at 2.04G/s',
    '\t0B repaired, 40.53% done, 3 days 01:12:44 to go',
    'config:',
    '',
    '\tNAME                      STATE     READ WRITE CKSUM',
    ...rows,
    '',
    'errors: No known data errors',
    '',
  ].join('\n');
}

const ROW = /^\s*(\S+)\s+([A-Z]+)\s+(\S+)\s+(\S+)\s+(\S+)/;

function baseline(text: string): number {
  let matched = 0;
  for (const line of text.split('\n')) if (ROW.test(line)) matched++;
  return matched;
}

function timeRound(f: () => unknown): number {
  const t0 = performance.now();
  for (let i = 0; i < PER_ROUND; i++) f();
  return (performance.now() - t0) / PER_ROUND;
}

const text = bigStatus();
const t0 = performance.now();
const devices = parseText(text, 'Europe/Athens').pools[0]?.devices.length ?? 0;
const cold = performance.now() - t0;
const base: number[] = [];
const parsed: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  base.push(timeRound(() => baseline(text)));
  parsed.push(timeRound(() => parseText(text, 'Europe/Athens')));
}
const ms = (x: number) => `${x.toFixed(2)} ms`;
console.log(`health-parse: ${devices} config rows (${VDEVS * DISKS} disks), ${text.length} bytes, node ${process.version}`);
console.log(`  first parse (cold)      ${ms(cold)}`);
console.log(`  baseline split + regex  ${ms(median(base))}  (median of ${ROUNDS} rounds of ${PER_ROUND})`);
console.log(`  parseText               ${ms(median(parsed))}  (median of ${ROUNDS} rounds of ${PER_ROUND})  = ${(median(parsed) / median(base)).toFixed(2)} x baseline`);
