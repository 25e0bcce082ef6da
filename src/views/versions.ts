/**
 * The versions of one path across snapshots (CONTRACT: `zbk history`): a version is a run of
 * consecutive observations with the same type, size and mtime (to the second, as printed),
 * and the same content when checksums were taken; an observation where the path does not
 * exist ends a run. Pure.
 */

export type EntryType = 'file' | 'directory' | 'symlink' | 'other';

/** What one view showed for the path. */
export interface Entry {
  readonly type: EntryType;
  readonly size: number;
  /** ISO 8601 to the second, UTC. */
  readonly mtime: string;
  /** Of a file's content or a symlink's target; null without --checksum, and for directories and others. */
  readonly sha256: string | null;
}

/** One view: a snapshot's name, or null for the live dataset (always last). */
export interface Observation {
  readonly snapshot: string | null;
  readonly entry: Entry | null;
}

export interface Version extends Entry {
  readonly snapshots: string[];
  /** The live dataset holds this version too. */
  readonly live: boolean;
}

const same = (a: Entry, b: Entry): boolean => a.type === b.type && a.size === b.size && a.mtime === b.mtime && a.sha256 === b.sha256;

export function versions(observations: readonly Observation[]): Version[] {
  const out: { -readonly [K in keyof Version]: Version[K] }[] = [];
  let current: (typeof out)[number] | null = null;
  for (const { snapshot, entry } of observations) {
    if (entry === null) {
      current = null;
      continue;
    }
    if (current === null || !same(current, entry)) {
      current = { type: entry.type, size: entry.size, mtime: entry.mtime, sha256: entry.sha256, snapshots: [], live: false };
      out.push(current);
    }
    if (snapshot === null) current.live = true;
    else current.snapshots.push(snapshot);
  }
  return out;
}

/** Present in some snapshot, absent from the live dataset (`--deleted`). */
export function deleted(observations: readonly Observation[]): boolean {
  const live = observations.find((o) => o.snapshot === null);
  return live !== undefined && live.entry === null && observations.some((o) => o.entry !== null);
}
