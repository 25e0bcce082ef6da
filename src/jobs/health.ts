/**
 * Pool health at the edges: reading `zpool status` (and `zpool list` for capacity) through
 * src/zfs, the remembered counters in `<state_dir>/health.json`, and the alert command.
 */
import { join } from 'node:path';
import { ConfigError } from '../config/problems.js';
import type { Config } from '../config/types.js';
import type { Thresholds } from '../health/assess.js';
import type { HealthMemory } from '../health/memory.js';
import { memoryFromJson, memoryToJson } from '../health/memory-json.js';
import type { ParsedStatus } from '../health/model.js';
import { parse } from '../health/parse.js';
import { buildReport, hasNewTrouble, nextMemory, type HealthReport } from '../health/report.js';
import { renderText } from '../health/render/text.js';
import { planScrubs, type ScrubDecision } from '../health/scrub-plan.js';
import { checkStateDir } from '../state/dir.js';
import { readJson, writeJson } from '../state/store.js';
import { durationMs } from '../util/duration.js';
import { ZfsError } from '../zfs/errors.js';
import { poolNameProblem, STATUS_MAX_BYTES } from '../zfs/pool.js';
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

/**
 * `zpool status` of the pools, parsed, with each pool's capacity from `zpool list`. An output
 * too big to read (a million damaged files listed) is read again without the lists: the
 * counts still say how bad it is. zpool runs with TZ=UTC (src/zfs/exec.ts), so its times are
 * read as UTC whatever the configured zone.
 */
export async function readPools(zfs: Zfs, pools: readonly string[], maxBytes = STATUS_MAX_BYTES): Promise<ParsedStatus> {
  const { text, cut } = await zfs.poolStatus(pools, { maxBytes }).then(
    (s) => ({ text: s.text, cut: false }),
    async (e: unknown) => {
      if (!(e instanceof ZfsError) || e.kind !== 'output-too-large') throw e;
      return { text: (await zfs.poolStatus(pools, { maxBytes, verbose: false })).text, cut: true };
    },
  );
  const read = parse(text, 'UTC');
  const parsed = cut ? { ...read, notes: [...read.notes, `zpool status -v printed more than ${maxBytes} characters: read without the lists of damaged files`] } : read;
  const named = parsed.pools.map((p) => p.name).filter((name) => poolNameProblem(name) === null);
  if (named.length === 0) return parsed;
  const capacity = new Map((await zfs.poolCapacities(named)).map((c) => [c.name, c.capacity]));
  return { ...parsed, pools: parsed.pools.map((p) => ({ ...p, capacity: capacity.get(p.name) ?? p.capacity })) };
}

export function thresholds(config: Config, overdueScrub: 'warning' | 'note' = 'warning'): Thresholds {
  return {
    maxAgeMs: durationMs(config.scrub.maxAge),
    capacityWarn: config.scrub.capacityWarn,
    capacityCrit: config.scrub.capacityCrit,
    overdueScrub,
  };
}

/** Pipes the text report into `[alert] command`; returns why it failed, or null. */
export async function sendAlert(config: Config, report: HealthReport, now: Date): Promise<string | null> {
  if (!config.alert.command) return null;
  const r = await runHook(config.alert.command, {}, { timeoutMs: 60_000, input: renderText(report, now) });
  return r.ok ? null : `[alert] command failed (${r.output})`;
}

export interface HealthCheck {
  readonly report: HealthReport;
  readonly scrubs: readonly ScrubDecision[];
  readonly alerted: boolean;
  readonly problems: readonly string[];
}

/** zpool failing is news too: an output with nothing read but why, which reports UNKNOWN (and alerts). */
function unreadable(e: unknown): ParsedStatus {
  if (!(e instanceof ZfsError)) throw e;
  return { pools: [], notes: [], unknown_lines: [`zpool status failed: ${e.message}`] };
}

/**
 * The daemon's `[scrub] schedule`: start the scrubs that are due, report, remember, and send
 * what is new at warning or above to `[alert] command` (zpool failing included).
 */
export async function healthCheck(config: Config, zfs: Zfs, now = new Date()): Promise<HealthCheck> {
  const memory = await loadMemory(config);
  const pools = poolsToCheck(config, undefined);
  const before = await readPools(zfs, pools).catch(unreadable);
  const scrubs = planScrubs(before.pools, durationMs(config.scrub.maxAge), now, memory);
  const problems: string[] = [];
  for (const d of scrubs.filter((s) => s.scrub)) {
    await zfs.scrub(d.pool).catch((e: Error) => problems.push(`${d.pool}: could not start a scrub: ${e.message}`));
  }
  const report = buildReport(scrubs.some((s) => s.scrub) ? await readPools(zfs, pools).catch(unreadable) : before, memory, thresholds(config), now);
  const alerted = hasNewTrouble(report);
  if (alerted) {
    const failed = await sendAlert(config, report, now);
    if (failed) problems.push(failed);
  }
  await saveMemory(config, nextMemory(report, memory, now));
  return { report, scrubs, alerted, problems };
}
