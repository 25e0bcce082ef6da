/**
 * A zbk name says when retention thinks a snapshot was taken; its `creation` property says when
 * ZFS took it. A name from the future (a typo'd `--now 2036…`, a clock that jumped) would be the
 * newest snapshot for years and anchor retention — keep_within and every period count from it —
 * so it stops pruning. A name in the past is fine: that is a simulated history or an import.
 */
import { parseSnapshotName } from './naming.js';

/**
 * How far a name may be after its creation, and `--now` after the clock. One value for both: a
 * snapshot that `zbk snapshot --now` lets through never stops a later prune. A day lets a test or
 * a demo name tonight's snapshot in the afternoon, and absorbs any time zone mistake.
 */
export const FUTURE_TOLERANCE_MS = 86_400_000;

/** A snapshot as zfs lists it: the name after `@`, and `creation` in epoch seconds. */
export interface CreatedSnapshot {
  readonly name: string;
  readonly creation: number;
}

interface FutureName {
  readonly name: string;
  /** The instant the name carries. */
  readonly time: Date;
  readonly creation: Date;
}

/** zbk's snapshots named more than FUTURE_TOLERANCE_MS after their creation, newest name first. */
export function namedFromTheFuture(snapshots: readonly CreatedSnapshot[], prefix: string): FutureName[] {
  const out: FutureName[] = [];
  for (const { name, creation } of snapshots) {
    const time = parseSnapshotName(prefix, name);
    if (time && time.getTime() - creation * 1000 > FUTURE_TOLERANCE_MS) out.push({ name, time, creation: new Date(creation * 1000) });
  }
  return out.sort((a, b) => b.time.getTime() - a.time.getTime());
}

/**
 * Whether a snapshot is real history, which a `--now` from the future must not be mixed into.
 * Every snapshot is real except a simulated one: a zbk name whose instant is more than
 * FUTURE_TOLERANCE_MS away from its creation, either way (a history made with `--now`, or
 * snapshots named after the dates they were imported from). A zbk name within that of its
 * creation was taken by the real clock; a name zbk did not make was taken by someone, for a
 * reason zbk cannot know.
 */
export function isReal({ name, creation }: CreatedSnapshot, prefix: string): boolean {
  const time = parseSnapshotName(prefix, name);
  return time === null || Math.abs(time.getTime() - creation * 1000) <= FUTURE_TOLERANCE_MS;
}

/** Whether `now` (a `--now`) is so far after the clock that a snapshot it names would stop pruning. */
export function nowFromTheFuture(now: Date, clock: Date): boolean {
  return now.getTime() - clock.getTime() > FUTURE_TOLERANCE_MS;
}
