/**
 * The snapshots a job's prune must keep for its targets: the newest snapshot each target
 * holds is the base of its next incremental send, and destroying it on the source would force
 * a full send (or, with a diverged target, none at all). Read from the replica state of each
 * target the job's `replicate` names, however long ago it was written: a target away for
 * weeks still gets its base.
 */
import type { Config } from '../config/types.js';
import { readReplicaState } from '../state/replicas.js';

/** The reason a pinned base carries in the plan and in `prune --dry-run`. */
export const replicaBaseReason = (target: string): string => `replica base: ${target}`;

/**
 * Snapshot name → reasons (`replica base: T`, one per target), for `pruneDataset`'s `pinned`.
 * A base the source no longer has pins nothing (the planner sees only listed snapshots).
 * An unreadable state throws StateUnreadable: nothing may be pruned without knowing the base.
 */
export async function replicaBases(config: Config, stateDir: string, jobName: string): Promise<Map<string, string[]>> {
  const pinned = new Map<string, string[]>();
  const job = config.jobs.find((j) => j.name === jobName);
  for (const target of job?.replicate ?? []) {
    const state = await readReplicaState(stateDir, jobName, target);
    if (!state?.base) continue;
    const reasons = pinned.get(state.base.name) ?? [];
    reasons.push(replicaBaseReason(target));
    pinned.set(state.base.name, reasons);
  }
  return pinned;
}
