/**
 * The health service: the one place `zbk scrub-report`, `zbk scrub` and the daemon's `[scrub]
 * schedule` read the pools (`zpool status` in the form zpool was asked for, `zpool list` for
 * capacity) through src/zfs, build the report, keep the remembered counters in
 * `<state_dir>/health.json`, and send what is new to the alert command.
 */
import { join } from 'node:path';
import { ConfigError } from '../config/problems.js';
import type { Config } from '../config/types.js';
import type { Thresholds } from '../health/assess.js';
import { memoryFromJson, memoryToJson } from '../health/memory-json.js';
import type { ParsedStatus } from '../health/model.js';
import { parse } from '../health/parse.js';
import type { HealthMemory } from '../health/remembered.js';
import { buildReport, hasNewTrouble, nextMemory, type HealthReport } from '../health/report.js';
import { renderText } from '../health/render/text.js';
import { planScrubs, type ScrubDecision } from '../health/scrub-plan.js';
import { checkStateDir } from '../state/dir.js';
import { readJson, writeJson } from '../state/store.js';
import { durationMs } from '../util/duration.js';
import { ZfsError } from '../zfs/errors.js';
import { poolNameProblem } from '../zfs/names.js';
import { STATUS_MAX_BYTES } from '../zfs/pool.js';
import type { Zfs } from '../zfs/zfs.js';
import { runHook } from './hooks.js';

const memoryFile = (config: Config) => join(config.stateDir, 'health.json');

/** The memory of the last report; a state_dir zbk must not trust is refused (exit 78), a missing one is empty. */
export async function loadMemory(config: Config): Promise<HealthMemory> {
  if (!(await checkStateDir(config.stateDir))) return new Map();
  return memoryFromJson(await readJson<unknown>(memoryFile(config)));
}

export async function saveMemory(config: Config, memory: HealthMemory): Promise<void> {
  await checkStateDir(config.stateDir, { create: true });
  await writeJson(memoryFile(config), memoryToJson(memory));
}

/** The first pool named on the command line that is not a pool name, with why; null when all are. */
export function badPoolArgument(named: readonly string[] | undefined): string | null {
  for (const name of named ?? []) {
    const problem = poolNameProblem(name);
    if (problem) return `${JSON.stringify(name)}: ${problem}`;
  }
  return null;
}

/** The pools to look at: those named, else `[scrub] pools`, else every pool. */
export function poolsToCheck(config: Config, named: readonly string[] | undefined): readonly string[] {
  if (named?.length) return named;
  const bad = badPoolArgument(config.scrub.pools);
  if (bad) throw new ConfigError(config.file ?? 'the built-in defaults', [{ line: null, key: 'scrub.pools', message: bad }]);
  return config.scrub.pools;
}

/** What one look at the pools read: the parsed `zpool status`, and each pool's capacity from `zpool list`. */
export interface PoolsRead {
  readonly parsed: ParsedStatus;
  readonly capacities: ReadonlyMap<string, number>;
}

/**
 * `zpool status` of the pools, parsed in the form zpool was asked for (`-j` where present), and
 * each pool's capacity from `zpool list`. An output too big to read (a million damaged files
 * listed) is read again without the lists: the counts still say how bad it is. zpool runs with
 * TZ=UTC (src/zfs/exec.ts), so its times are read as UTC whatever the configured zone.
 */
export async function readPools(zfs: Zfs, pools: readonly string[], maxBytes = STATUS_MAX_BYTES): Promise<PoolsRead> {
  const { status, cut } = await zfs.poolStatus(pools, { maxBytes }).then(
    (s) => ({ status: s, cut: false }),
    async (e: unknown) => {
      if (!(e instanceof ZfsError) || e.kind !== 'output-too-large') throw e;
      return { status: await zfs.poolStatus(pools, { maxBytes, verbose: false }), cut: true };
    },
  );
  const read = parse(status.text, status.json ? 'json' : 'text', 'UTC');
  const parsed = cut ? { ...read, notes: [...read.notes, `zpool status -v printed more than ${maxBytes} characters: read without the lists of damaged files`] } : read;
  const named = parsed.pools.map((p) => p.name).filter((name) => poolNameProblem(name) === null);
  const capacities = named.length === 0 ? [] : await zfs.poolCapacities(named);
  // A pool zpool list gives no capacity for keeps what its status output said, if anything.
  return { parsed, capacities: new Map(capacities.flatMap((c) => (c.capacity === null ? [] : [[c.name, c.capacity] as const]))) };
}

/** The report of what was read, against the config's thresholds; `memory` null compares with nothing. */
export function reportOn(config: Config, read: PoolsRead, memory: HealthMemory | null, now: Date, overdueScrub: 'warning' | 'note' = 'warning'): HealthReport {
  return buildReport(read.parsed, memory, thresholds(config, overdueScrub), now, read.capacities);
}

/**
 * The memory, the pools as they are, and which of them are due a scrub (`zbk scrub`, the daemon).
 * `zpoolFailure` 'report': zpool failing is read as an output that says so (the daemon reports it).
 */
export async function scrubsDue(config: Config, zfs: Zfs, pools: readonly string[], maxAgeMs: number, now: Date, zpoolFailure: 'throw' | 'report' = 'throw') {
  const memory = await loadMemory(config); // first: a state_dir zbk must not trust stops it before zpool runs
  const read = await readPools(zfs, pools).catch((e: unknown) => (zpoolFailure === 'report' ? unreadable(e) : Promise.reject(e)));
  return { memory, read, scrubs: planScrubs(read.parsed.pools, maxAgeMs, now, memory) };
}

function thresholds(config: Config, overdueScrub: 'warning' | 'note'): Thresholds {
  return {
    maxAgeMs: durationMs(config.scrub.maxAge),
    capacityWarn: config.scrub.capacityWarn,
    capacityCrit: config.scrub.capacityCrit,
    overdueScrub,
  };
}

/**
 * Pipes the text report into `[alert] command` when it has something new at warning or above:
 * whether it had, and why sending failed (null when it did not).
 */
export async function alertOnNews(config: Config, report: HealthReport, now: Date): Promise<{ alerted: boolean; failed: string | null }> {
  if (!hasNewTrouble(report)) return { alerted: false, failed: null };
  if (!config.alert.command) return { alerted: true, failed: null };
  const r = await runHook(config.alert.command, {}, { timeoutMs: 60_000, input: renderText(report, now) });
  return { alerted: true, failed: r.ok ? null : `[alert] command failed (${r.output})` };
}

/** Stores what this report saw, for the next one to compare with. */
export async function rememberReport(config: Config, report: HealthReport, memory: HealthMemory, now: Date): Promise<void> {
  await saveMemory(config, nextMemory(report, memory, now));
}

interface HealthCheck {
  readonly report: HealthReport;
  readonly scrubs: readonly ScrubDecision[];
  readonly alerted: boolean;
  readonly problems: readonly string[];
}

/** zpool failing is news too: an output with nothing read but why, which reports UNKNOWN (and alerts). */
function unreadable(e: unknown): PoolsRead {
  if (!(e instanceof ZfsError)) throw e;
  return { parsed: { pools: [], notes: [], unknown_lines: [`zpool status failed: ${e.message}`] }, capacities: new Map() };
}

/**
 * The daemon's `[scrub] schedule`: start the scrubs that are due, report, remember, and send
 * what is new at warning or above to `[alert] command` (zpool failing included).
 */
export async function healthCheck(config: Config, zfs: Zfs, now = new Date()): Promise<HealthCheck> {
  const pools = poolsToCheck(config, undefined);
  const { memory, read: before, scrubs } = await scrubsDue(config, zfs, pools, durationMs(config.scrub.maxAge), now, 'report');
  const problems: string[] = [];
  for (const d of scrubs.filter((s) => s.scrub)) {
    await zfs.scrub(d.pool).catch((e: Error) => problems.push(`${d.pool}: could not start a scrub: ${e.message}`));
  }
  const report = reportOn(config, scrubs.some((s) => s.scrub) ? await readPools(zfs, pools).catch(unreadable) : before, memory, now);
  const { alerted, failed } = await alertOnNews(config, report, now);
  if (failed) problems.push(failed);
  await rememberReport(config, report, memory, now);
  return { report, scrubs, alerted, problems };
}
