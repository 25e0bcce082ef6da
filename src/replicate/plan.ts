/**
 * What one replication of one job to one target does, from the snapshots both sides hold
 * (pure). A snapshot is the same on both sides only when its name AND its guid agree: a name
 * alone proves nothing (a target's own `zfs snapshot` can take any name).
 *
 * The common base is the target's newest snapshot that the source holds too, or, where the
 * source lost that snapshot (destroyed by hand) but kept a bookmark of it (same guid), that
 * bookmark: the stream then starts with `zfs send -i ds#bookmark`. Everything the target has
 * after the base means the target went its own way (a snapshot taken there, one the source
 * destroyed after sending it, a same name with another guid): receiving would roll it back, so
 * that is refused unless `force`, and the plan names what force destroys.
 */
import { counted } from '../util/plural.js';
import { parseSnapshotName } from '../retention/naming.js';

/** A snapshot of one side: its name after `@` and its guid (and, for a bookmark base, its creation). */
export interface Side {
  readonly name: string;
  readonly guid: string;
  /** Epoch seconds: where a base is a bookmark, what the source sends is what is newer than it. */
  readonly creation?: number;
}

/** A bookmark of the source (`ds#name`): the guid and creation of the snapshot it was made from. */
export interface BookmarkSide {
  readonly name: string;
  readonly guid: string;
  readonly creation: number;
}

export type ReplicationPlan =
  /** The target has no copy: the oldest zbk snapshot in full, then `-I` to the newest. */
  | { readonly mode: 'full'; readonly base: null; readonly send: string[]; readonly forceDestroys: string[] }
  /**
   * `send`: the source's zbk snapshots after the base, oldest first. `bookmark`: the source has
   * the base only as this bookmark (the part after `#`): the first of `send` comes with `-i` from it.
   */
  | { readonly mode: 'incremental'; readonly base: string; readonly send: string[]; readonly forceDestroys: string[]; readonly bookmark?: string }
  /** Nothing to send (base null: neither side has a snapshot to start from). */
  | { readonly mode: 'up-to-date'; readonly base: string | null; readonly send: []; readonly forceDestroys: string[] }
  /** An interrupted receive continues from the token; `send` is what the whole run delivers. */
  | { readonly mode: 'resume'; readonly base: string | null; readonly send: string[]; readonly token: string; readonly forceDestroys: string[] }
  /** Diverged (or otherwise unsafe): nothing runs; `reason` says what differs and what --force would destroy. */
  | { readonly mode: 'refused'; readonly base: string | null; readonly reason: string; readonly forceDestroys: string[] };

export interface PlanReplicationOptions {
  readonly prefix: string;
  /** Receive with -F and destroy the target's snapshots after the base (`forceDestroys`) first. */
  readonly force: boolean;
  /** The destination's receive_resume_token, if any. */
  readonly resumeToken: string | null;
  /** The source's bookmarks, where the base may be one (its snapshot destroyed by hand). */
  readonly bookmarks?: readonly BookmarkSide[];
}

/**
 * @param source the source dataset's snapshots in creation order.
 * @param target the destination's snapshots in creation order; null: it does not exist.
 *
 * In every plan that runs (not refused): `base` is a name both sides hold with the same guid,
 * or that the target holds and the source has a bookmark of (`bookmark`), or null; `send` the
 * source's zbk snapshots after it, oldest first, and `forceDestroys`
 * empty unless `force`, when it is the target's snapshots after the base, which the service
 * destroys before it receives.
 */
export function planReplication(source: readonly Side[], target: readonly Side[] | null, o: PlanReplicationOptions): ReplicationPlan {
  const ours = (from: number) => source.slice(from).filter((s) => parseSnapshotName(o.prefix, s.name) !== null).map((s) => s.name);
  const sourceGuids = new Map<string, string>(source.map((s) => [s.name, s.guid]));
  const resume = (base: string | null, send: string[], forceDestroys: string[]): ReplicationPlan | null =>
    o.resumeToken === null ? null : { mode: 'resume', base, send, token: o.resumeToken, forceDestroys };

  if (target === null) {
    const send = ours(0);
    return resume(null, send, []) ?? (send.length > 0 ? { mode: 'full', base: null, send, forceDestroys: [] } : upToDate(null, []));
  }

  const marks = new Map<string, BookmarkSide>((o.bookmarks ?? []).map((b) => [b.guid, b]));
  const baseIndex = findLastIndex(target, (t) => sourceGuids.get(t.name) === t.guid || marks.has(t.guid));
  if (baseIndex < 0) {
    const send = ours(0);
    if (target.length === 0) {
      // The dataset exists with no snapshot: a full receive would overwrite what it holds, unless it
      // is the start of an interrupted full receive (a token).
      const r = resume(null, send, []);
      if (r) return r;
      if (send.length === 0) return upToDate(null, []);
      if (o.force) return { mode: 'full', base: null, send, forceDestroys: [] };
      return refused(null, 'the target dataset exists but holds no snapshot: a full send would overwrite what it holds; --force would overwrite it', []);
    }
    const all = target.map((t) => t.name);
    if (!o.force) {
      return refused(
        null,
        `the target has ${counted(all.length, 'snapshot')} but none in common with the source (same name and guid)` +
          `${describe(target, sourceGuids)}; --force would destroy ${list(all)} and send everything again`,
        all,
      );
    }
    if (send.length === 0) {
      return refused(null, `the target has ${counted(all.length, 'snapshot')} but none in common with the source, and the source has no zbk snapshot to send in their place: --force would destroy ${list(all)} for nothing, so it does not`, all);
    }
    return resume(null, send, all) ?? { mode: 'full', base: null, send, forceDestroys: all };
  }

  const base = target[baseIndex]!.name;
  const after = target.slice(baseIndex + 1);
  // The snapshot itself where the source has it; else its bookmark, and what is newer than it
  // (a snapshot taken in the same second as the bookmarked one cannot be told after it: not sent).
  const mark = sourceGuids.get(base) === target[baseIndex]!.guid ? null : marks.get(target[baseIndex]!.guid)!;
  const from = mark === null ? source.findIndex((s) => s.name === base) + 1 : source.findIndex((s) => s.creation !== undefined && s.creation > mark.creation);
  const send = from < 0 ? [] : ours(from);
  const destroys = after.map((t) => t.name);
  if (after.length > 0 && !o.force) {
    return refused(
      base,
      `the target has ${counted(after.length, 'snapshot')} after the common base ${base}${describe(after, sourceGuids)}; ` +
        `--force would destroy ${list(destroys)} and roll the target back to ${base}`,
      destroys,
    );
  }
  const forceDestroys = o.force ? destroys : [];
  const r = resume(base, send, forceDestroys);
  if (r) return r;
  if (send.length === 0) return upToDate(base, forceDestroys);
  return mark === null ? { mode: 'incremental', base, send, forceDestroys } : { mode: 'incremental', base, send, forceDestroys, bookmark: mark.name };
}

const upToDate = (base: string | null, forceDestroys: string[]): ReplicationPlan => ({ mode: 'up-to-date', base, send: [], forceDestroys });

const refused = (base: string | null, reason: string, forceDestroys: string[]): ReplicationPlan => ({ mode: 'refused', base, reason, forceDestroys });

/** What differs about the target's snapshots that are not the source's: `: a (another guid on the source), b (not on the source)`. */
function describe(snapshots: readonly Side[], sourceGuids: ReadonlyMap<string, string>): string {
  const newest = snapshots[snapshots.length - 1];
  const parts = snapshots.slice(-10).map((t) => {
    const there = sourceGuids.get(t.name);
    if (there === undefined) return t === newest ? `${t.name} (the target's newest; the source no longer has it, or never had it)` : `${t.name} (not on the source)`;
    return `${t.name} (guid ${t.guid} on the target, ${there} on the source)`;
  });
  const more = snapshots.length > 10 ? `${snapshots.length - 10} older ones, ` : '';
  return `: ${more}${parts.join(', ')}`;
}


/** Up to 10 names, then how many more. */
function list(names: readonly string[]): string {
  return names.length <= 10 ? names.join(', ') : `${names.slice(0, 10).join(', ')} and ${names.length - 10} more`;
}

function findLastIndex<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i]!)) return i;
  return -1;
}
