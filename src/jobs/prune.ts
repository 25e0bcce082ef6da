/**
 * Pruning one dataset: list, plan, check the plan against the safety rules once more, destroy
 * in batches. Nothing is destroyed when the listing fails, when the clock is behind the newest
 * snapshot (unless forced), or in a dry run.
 */
import { newestAfterNow, plan, type Plan } from '../retention/plan.js';
import type { Policy } from '../retention/policy.js';
import { isoSeconds } from '../util/time.js';
import type { DestroyFailure } from '../zfs/destroy.js';
import type { Zfs } from '../zfs/zfs.js';

export interface PruneOptions {
  readonly dataset: string;
  readonly policy: Policy;
  readonly prefix: string;
  readonly timeZone: string;
  readonly now: Date;
  readonly batchSize: number;
  readonly dryRun: boolean;
  readonly force: boolean;
}

export interface PruneOutcome {
  readonly dataset: string;
  readonly plan: Plan;
  readonly destroyed: readonly string[];
  readonly failed: readonly DestroyFailure[];
  /** Why nothing was destroyed at all, when zbk refused. */
  readonly refused: string | null;
}

export async function pruneDataset(zfs: Zfs, o: PruneOptions): Promise<PruneOutcome> {
  const listed = await zfs.listSnapshots(o.dataset);
  const p = plan(listed.map((s) => ({ name: s.name, held: s.userrefs > 0 })), o.policy, { now: o.now, timeZone: o.timeZone, prefix: o.prefix });
  const outcome = { dataset: o.dataset, plan: p, destroyed: [], failed: [], refused: null };
  const ahead = newestAfterNow(p, o.now);
  if (ahead && !o.force) {
    return {
      ...outcome,
      refused: `the newest snapshot ${o.dataset}@${ahead.name} is after now (${isoSeconds(o.now)}): the clock may have gone backwards; nothing destroyed (--force prunes anyway)`,
    };
  }
  const doomed = destroySet(p, new Set(listed.filter((s) => s.userrefs > 0).map((s) => s.name)));
  if (o.dryRun || doomed.length === 0) return outcome;
  const r = await zfs.destroySnapshots(o.dataset, doomed, o.batchSize);
  return { ...outcome, destroyed: r.destroyed, failed: r.failed };
}

/**
 * The names to destroy, checked against the rules that no planner bug may break: never the
 * newest, never a held snapshot, never a name zbk did not make.
 */
export function destroySet(p: Plan, held: ReadonlySet<string>): string[] {
  const doomed = p.snapshots.filter((s) => s.action === 'destroy').map((s) => s.name);
  const foreign = new Set(p.foreign);
  const newest = p.snapshots[0]?.name;
  for (const name of doomed) {
    if (name === newest || held.has(name) || foreign.has(name)) {
      throw new Error(`internal error: the retention plan would destroy ${name}, which zbk must keep; nothing destroyed`);
    }
  }
  return doomed;
}
