/**
 * Views a zbk left behind when it was killed with no chance to clean up (`kill -9`, a crash):
 * clones carrying `zbk:view=<pid>` under the job's dataset, and holds tagged `zbk-view:<pid>`,
 * whose pid no longer runs. `zbk list` reports them; the next zbk that makes views of the
 * dataset removes them (a clone would keep its snapshot from being pruned, a hold likewise).
 */
import type { Snapshot } from '../zfs/snapshots.js';
import type { Zfs } from '../zfs/zfs.js';
import { pidAlive } from '../process/group.js';
import { cloneOwner, HOLD_PREFIX, ownerPid } from './naming.js';

export interface ViewInUse {
  readonly kind: 'clone' | 'hold';
  /** The clone's name, or the held `ds@snap`. */
  readonly name: string;
  /** The hold's tag (null for a clone). */
  readonly tag: string | null;
  /** The zbk that made it, or null where the mark is not a pid. */
  readonly pid: number | null;
  /** The pid still runs: a zbk reading it now. */
  readonly alive: boolean;
}

/** Every view of `dataset` zbk made (and what carries its mark otherwise), in use or left over. Holds are looked up only where a snapshot has some (`userrefs`). */
export async function findViews(zfs: Zfs, dataset: string, snapshots: readonly Snapshot[]): Promise<ViewInUse[]> {
  const out: ViewInUse[] = [];
  for (const c of await zfs.listViewClones(dataset)) {
    const pid = cloneOwner(dataset, c.name, c.owner);
    out.push({ kind: 'clone', name: c.name, tag: null, pid, alive: pid !== null && pidAlive(pid) });
  }
  const held = snapshots.filter((s) => s.userrefs > 0).map((s) => `${s.dataset}@${s.name}`);
  if (held.length > 0 && (await zfs.dialect()).modern) {
    for (const h of (await zfs.listHolds(held)) ?? []) {
      if (!h.tag.startsWith(HOLD_PREFIX)) continue;
      const pid = ownerPid(h.tag);
      out.push({ kind: 'hold', name: h.snapshot, tag: h.tag, pid, alive: pid !== null && pidAlive(pid) });
    }
  }
  return out;
}

/** Removes the views whose zbk is gone; returns them. A dataset marked otherwise than zbk marks its views is left alone. */
export async function sweepLeftovers(zfs: Zfs, dataset: string, snapshots: readonly Snapshot[]): Promise<ViewInUse[]> {
  const dead = (await findViews(zfs, dataset, snapshots)).filter((v) => v.pid !== null && !v.alive);
  for (const v of dead) {
    if (v.kind === 'clone') await zfs.destroyFilesystem(v.name);
    else await zfs.release(v.tag!, [v.name]);
  }
  return dead;
}

/** `view clone tank/a/zbk-view-…`, `hold zbk-view:123 on tank/a@…`. */
export const viewLabel = (v: ViewInUse): string => (v.kind === 'clone' ? `view clone ${v.name}` : `hold ${v.tag} on ${v.name}`);

/** One line for an admin: what it is and what becomes of it. */
export function describeView(v: ViewInUse): string {
  const what = viewLabel(v);
  if (v.pid === null) return `${what}: carries zbk's mark but not as zbk makes views (name and pid); zbk leaves it alone (zfs ${v.kind === 'clone' ? 'destroy' : 'release'} it by hand if it is not needed)`;
  if (v.alive) return `${what}: in use by zbk (pid ${v.pid})`;
  return `${what}: left by a zbk that was killed (pid ${v.pid}); the next zbk history, diff or restore of this dataset removes it`;
}
