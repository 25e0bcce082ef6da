/**
 * The worst news zbk must read: `zpool status -v` of a pool with 1,000,000 damaged files
 * (about 123 MB), and lines with 1,000,000 blanks in them (what made the old parser quadratic).
 * Prints the time to parse, assess and render each, and the process's peak memory.
 *   node --import=tsx bench/health-worst.ts
 */
import { performance } from 'node:perf_hooks';
import { parse } from '../src/health/parse.js';
import { renderText } from '../src/health/render/text.js';
import { buildReport } from '../src/health/report.js';

const FILES = 1_000_000;
const BLANKS = 1_000_000;
const head = '  pool: tank\n state: ONLINE\n  scan: none requested\nconfig:\n\n\tNAME STATE READ WRITE CKSUM\n\ttank ONLINE 0 0 0\n\t  ada0 ONLINE 0 0 0\n\n';

function damaged(): string {
  const lines = Array.from({ length: FILES }, (_, i) => `        tank/fs@zbk_2026-11-26T030000Z:/srv/data/${'x'.repeat(64)}/file${i}`);
  return `${head}errors: Permanent errors have been detected in the following files:\n\n${lines.join('\n')}\n`;
}

function blank(): string {
  const b = ' '.repeat(BLANKS);
  return `  pool: tank${b}x\n state: ONLINE${b}\nconfig:\n\n\tNAME STATE READ WRITE CKSUM\n\ttank${b}ONLINE 0 0 0${b}note${b}x\n\nerrors: No known data errors\n`;
}

function time(what: string, text: string): void {
  const t0 = performance.now();
  const report = buildReport(parse(text, 'text', 'UTC'), new Map(), { maxAgeMs: null, capacityWarn: 80, capacityCrit: 90 }, new Date());
  const out = renderText(report, new Date());
  const ms = performance.now() - t0;
  console.log(`  ${what.padEnd(36)} ${(text.length / 1e6).toFixed(1).padStart(6)} MB  ${ms.toFixed(0).padStart(6)} ms  ${report.alert}, ${out.split('\n').length} lines of report`);
}

console.log(`health-worst: node ${process.version}`);
time(`${FILES} permanent-error lines`, damaged());
time(`lines with ${BLANKS} blanks`, blank());
console.log(`  peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
