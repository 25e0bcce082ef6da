/**
 * Retention on a target's copies of one job (pure): the same planner, rules and reasons as the
 * source's prune, on the snapshots that are provably zbk's. A target snapshot is zbk's only when
 * its name is a zbk name AND its guid is one of the source's snapshots' or one zbk delivered
 * (the replica state): a `zbk_…` name someone made on the target is foreign, never touched.
 * Never destroyed: the newest copy (the planner's rule) and the base of the next send (pinned).
 */
import { plan, type Plan } from '../retention/plan.js';
import type { Policy } from '../retention/policy.js';
import type { Side } from './plan.js';

export interface TargetPruneOptions {
  readonly now: Date;
  readonly timeZone: string;
  readonly prefix: string;
  /** The common base after this run (the next send starts from it); null: none. */
  readonly base: string | null;
}

/** The reason the base gets. */
export const BASE_REASON = 'replica base';

/**
 * @param target the destination's snapshots.
 * @param zbkGuids the guids that prove a snapshot zbk's: the source's snapshots' and state.delivered's.
 */
export function planTargetPrune(target: readonly Side[], zbkGuids: ReadonlySet<string>, policy: Policy, o: TargetPruneOptions): Plan {
  const provable = target.filter((t) => zbkGuids.has(t.guid));
  const proven = new Set(provable.map((t) => t.name));
  const pinned = new Map<string, readonly string[]>(o.base === null ? [] : [[o.base, [BASE_REASON]]]);
  const planned = plan(provable, policy, { now: o.now, timeZone: o.timeZone, prefix: o.prefix, pinned });
  const foreignOfPlan = new Set(planned.foreign);
  return {
    snapshots: planned.snapshots,
    // In the target's order: the ones not provably zbk's, and the provable ones without a zbk name.
    foreign: target.filter((t) => !proven.has(t.name) || foreignOfPlan.has(t.name)).map((t) => t.name),
  };
}
