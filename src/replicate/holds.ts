/**
 * The holds zbk places on a job's SOURCE snapshots, tag `zbk-replica:<target>`: one on each
 * target's base, so that a manual `zfs destroy` cannot break the next incremental send.
 *
 * A hold is written into the replica state BEFORE it is placed, and dropped from it only
 * AFTER it is released: a zbk killed in between leaves a state that names a hold that may not
 * exist (releasing it again is harmless), never a hold that no state names (which would pin a
 * snapshot forever on pool v23, where zfs cannot list the tags on a snapshot).
 */
import type { Job } from '../config/types.js';
import { holdTag, writeReplicaState, type ReplicaHold, type ReplicaState } from '../state/replicas.js';
import { ZfsError } from '../zfs/errors.js';
import type { Zfs } from '../zfs/zfs.js';

export interface HoldContext {
  readonly zfs: Zfs;
  readonly stateDir: string;
  readonly dataset: string;
}

/**
 * Places the target's tag on `dataset@snapshot`, recorded in the state first; returns the
 * state as written. A hold the state records is placed again (a run killed between the two
 * left it unplaced); one that is there already is fine.
 */
export async function placeHold(c: HoldContext, state: ReplicaState, snapshot: string): Promise<ReplicaState> {
  const tag = holdTag(state.target);
  let recorded = state;
  if (!state.holds.some((h) => h.snapshot === snapshot && h.tag === tag)) {
    recorded = { ...state, holds: [...state.holds, { snapshot, tag }] };
    await writeReplicaState(c.stateDir, recorded);
  }
  try {
    await c.zfs.hold(tag, [`${c.dataset}@${snapshot}`]);
  } catch (e) {
    if (!(e instanceof ZfsError && e.kind === 'exists')) throw e;
  }
  return recorded;
}

/**
 * Releases every hold of the state but those on `keep`, then drops them from the state.
 * A snapshot that is gone took its hold with it. Where zfs lists the tags on a snapshot, the
 * source's snapshots are also searched for this target's tag that no state names (a state
 * moved aside, a zbk older than the state file).
 */
export async function releaseHolds(c: HoldContext, state: ReplicaState, keep: string | null, sourceSnapshots: readonly { name: string; userrefs: number }[]): Promise<ReplicaState> {
  const tag = holdTag(state.target);
  const stale: ReplicaHold[] = state.holds.filter((h) => h.snapshot !== keep);
  const ask = sourceSnapshots.filter((s) => s.userrefs > 0 && s.name !== keep && !stale.some((h) => h.snapshot === s.name && h.tag === tag));
  if (ask.length > 0) {
    // One `zfs holds -H` for all of them (none where the dialect cannot list tags).
    const prefix = `${c.dataset}@`;
    for (const h of (await c.zfs.listHolds(ask.map((s) => `${prefix}${s.name}`))) ?? []) {
      if (h.tag === tag && h.snapshot.startsWith(prefix)) stale.push({ snapshot: h.snapshot.slice(prefix.length), tag });
    }
  }
  if (stale.length === 0) return state;
  const present = new Set(sourceSnapshots.map((s) => s.name));
  for (const h of stale) {
    if (present.has(h.snapshot)) await c.zfs.release(h.tag, [`${c.dataset}@${h.snapshot}`]);
  }
  const after = { ...state, holds: state.holds.filter((h) => !stale.includes(h)) };
  await writeReplicaState(c.stateDir, after);
  return after;
}

/**
 * Releases the holds of the job's states toward targets it no longer replicates to (a target
 * removed from the config, or from the job's `replicate`): nothing else would ever release
 * them. Their states stay (with no holds), and no longer pin anything (replica-bases.ts reads
 * configured targets only). `states` lists the state directory once for every job of a run.
 * Returns what was released, as `dataset@snapshot (tag)`.
 */
export async function releaseRemovedTargets(zfs: Zfs, stateDir: string, job: Job, states: () => Promise<readonly ReplicaState[]>): Promise<string[]> {
  const released: string[] = [];
  const listed = new Map<string, Awaited<ReturnType<Zfs['listSnapshots']>>>();
  for (const state of await states()) {
    if (state.job !== job.name || job.replicate.includes(state.target) || state.holds.length === 0) continue;
    const snapshots = listed.get(state.source) ?? (await zfs.listSnapshots(state.source));
    listed.set(state.source, snapshots);
    released.push(...state.holds.map((h) => `${state.source}@${h.snapshot} (${h.tag})`));
    await releaseHolds({ zfs, stateDir, dataset: state.source }, state, null, snapshots);
  }
  return released;
}
