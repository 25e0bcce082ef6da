/**
 * Pruning one dataset: list, plan, check the plan against the safety rules once more, destroy
 * in batches. Nothing is destroyed when the listing fails, when a snapshot is named from the
 * future or the clock is behind the newest snapshot (unless forced), or in a dry run.
 */
import { namedFromTheFuture, type CreatedSnapshot } from '../retention/future-names.js';
import { newestAfterNow, plan, type Plan } from '../retention/plan.js';
import type { Policy } from '../retention/policy.js';
import { isoSeconds } from '../time/iso.js';
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
  /** Snapshots kept whatever the policy says, with their reasons: the targets' replication bases (replica-bases.ts). */
  readonly pinned?: ReadonlyMap<string, readonly string[]>;
}

export interface PruneOutcome {
  readonly dataset: string;
  readonly plan: Plan;
  readonly destroyed: readonly string[];
  readonly failed: readonly DestroyFailure[];
  /** Why nothing was destroyed at all, when zbk refused; in a dry run, why a real run would refuse. */
  readonly refused: string | null;
}

export async function pruneDataset(zfs: Zfs, o: PruneOptions): Promise<PruneOutcome> {
  const listed = await zfs.listSnapshots(o.dataset);
  const pinned = o.pinned ?? new Map<string, readonly string[]>();
  const p = plan(listed.map((s) => ({ name: s.name, held: s.userrefs > 0 })), o.policy, { now: o.now, timeZone: o.timeZone, prefix: o.prefix, pinned });
  const outcome = { dataset: o.dataset, plan: p, destroyed: [], failed: [], refused: null };
  const refused = o.force ? null : pruneRefusal(o.dataset, listed, p, o.now, o.prefix);
  if (refused) return { ...outcome, refused };
  const doomed = destroySet(p, new Set(listed.filter((s) => s.userrefs > 0).map((s) => s.name)), new Set(pinned.keys()));
  if (o.dryRun || doomed.length === 0) return outcome;
  const r = await zfs.destroySnapshots(o.dataset, doomed, o.batchSize);
  return { ...outcome, destroyed: r.destroyed, failed: r.failed };
}

/**
 * Why a prune of `dataset` must destroy nothing, or null. One reason, the most telling: a name
 * from the future (made by a clock or `--now` ahead of ZFS's own) is most often after now too,
 * and saying that the clock went backwards as well would send the admin after the wrong clock.
 */
export function pruneRefusal(dataset: string, listed: readonly CreatedSnapshot[], p: Plan, now: Date, prefix: string): string | null {
  const [first, ...more] = namedFromTheFuture(listed, prefix);
  if (first) {
    const others = more.length > 0 ? ` (and ${more.length} more named after their creation)` : '';
    return `${dataset}@${first.name} is named ${isoSeconds(first.time)}, more than a day after its creation (${isoSeconds(first.creation)})${others}: ` +
      'a clock or --now from the future named it, and it would anchor retention; nothing destroyed ' +
      `(if it is a mistake: zfs destroy ${dataset}@${first.name}; --force prunes anyway)`;
  }
  const ahead = newestAfterNow(p, now);
  if (ahead) {
    return `the newest snapshot ${dataset}@${ahead.name} is after now (${isoSeconds(now)}): the clock may have gone backwards; nothing destroyed (--force prunes anyway)`;
  }
  return null;
}

/**
 * The names to destroy, checked against the rules that no planner bug may break: never the
 * newest, never a held snapshot, never a pinned one (a target's replication base), never a
 * name zbk did not make.
 */
export function destroySet(p: Plan, held: ReadonlySet<string>, pinned: ReadonlySet<string> = new Set()): string[] {
  const doomed = p.snapshots.filter((s) => s.action === 'destroy').map((s) => s.name);
  const foreign = new Set(p.foreign);
  const newest = p.snapshots[0]?.name;
  for (const name of doomed) {
    if (name === newest || held.has(name) || pinned.has(name) || foreign.has(name)) {
      throw new Error(`internal error: the retention plan would destroy ${name}, which zbk must keep; nothing destroyed`);
    }
  }
  return doomed;
}
