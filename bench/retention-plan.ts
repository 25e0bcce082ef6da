/**
 * Plans 100,000 snapshots (hourly-ish over ~11 years) with a full policy in Europe/Athens.
 * Prints milliseconds and the ratio to a baseline measured in the same run, on the same
 * names: parsing them and sorting the instants, the least any plan has to do.
 *
 *   node --import=tsx bench/retention-plan.ts
 */
import { formatSnapshotName, parseSnapshotName } from '../src/retention/naming.js';
import { plan } from '../src/retention/plan.js';
import type { Policy } from '../src/retention/policy.js';
import { parseDuration, type Duration } from '../src/util/duration.js';
import { median } from './lib.js';

const COUNT = 100_000;
const RUNS = 9;
const PREFIX = 'zbk';
const TIME_ZONE = 'Europe/Athens';
const POLICY: Policy = {
  keep_last: 5,
  keep_within: parseDuration('2d') as Duration,
  hourly: 48,
  daily: 31,
  weekly: 52,
  monthly: 120,
  yearly: 20,
};

/** Every 58 minutes plus a deterministic jitter of up to 10 minutes, newest 2026-11-26. */
function names(): { name: string }[] {
  const newest = Date.UTC(2026, 10, 26, 3);
  const snapshots: { name: string }[] = [];
  for (let i = 0; i < COUNT; i++) {
    const jitter = ((i * 7919) % 600) * 1000;
    snapshots.push({ name: formatSnapshotName(PREFIX, new Date(newest - i * 58 * 60_000 - jitter)) });
  }
  return snapshots.reverse(); // oldest first, as zfs lists them
}

function baseline(snapshots: readonly { name: string }[]): number {
  const times = snapshots.map(({ name }) => parseSnapshotName(PREFIX, name)!.getTime());
  return times.sort((a, b) => b - a).length;
}

function planned(snapshots: readonly { name: string }[]): number {
  return plan(snapshots, POLICY, { now: new Date(Date.UTC(2026, 10, 26, 4)), timeZone: TIME_ZONE, prefix: PREFIX }).snapshots.length;
}

function time(work: () => number): number {
  const start = performance.now();
  if (work() !== COUNT) throw new Error('the benchmark lost snapshots');
  return performance.now() - start;
}

const snapshots = names();
const span = `${snapshots[0]!.name} .. ${snapshots.at(-1)!.name}`;
const firstPlan = time(() => planned(snapshots)); // cold: compiles the code, makes the Intl formatter
const baselines: number[] = [];
const plans: number[] = [];
// alternating, so that both see the same noise
for (let run = 0; run < RUNS; run++) {
  baselines.push(time(() => baseline(snapshots)));
  plans.push(time(() => planned(snapshots)));
}
const base = median(baselines);
const warm = median(plans);
console.log(`retention-plan: ${COUNT} snapshots ${span}, ${TIME_ZONE}, node ${process.version}`);
console.log(`  first plan (cold)       ${firstPlan.toFixed(1)} ms`);
console.log(`  baseline parse + sort   ${base.toFixed(1)} ms  (median of ${RUNS})`);
console.log(`  plan                    ${warm.toFixed(1)} ms  (median of ${RUNS})  = ${(warm / base).toFixed(2)} x baseline`);
