/**
 * FROM, TO and --at: a snapshot's name, or an ISO 8601 instant that stands for the newest zbk
 * snapshot at or before it (zbk names the one it chose). Pure.
 */
import { parseSnapshotName } from '../retention/naming.js';

export interface Choice {
  readonly snapshot: string;
  /** How zbk came to it: null when named, else the instant that chose it. */
  readonly instant: Date | null;
}

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/** An ISO 8601 instant with a zone (a bare date is its 00:00 UTC), or null. */
export function parseInstant(text: string): Date | null {
  if (!ISO.test(text)) return null;
  const t = new Date(text);
  return Number.isNaN(t.getTime()) ? null : t;
}

/**
 * `spec` among `names` (the dataset's snapshots, any order): the snapshot of that name, else
 * the newest zbk-named snapshot at or before the instant; a string saying why not otherwise.
 */
export function chooseSnapshot(spec: string, names: readonly string[], prefix: string): Choice | string {
  if (names.includes(spec)) return { snapshot: spec, instant: null };
  const at = parseInstant(spec);
  if (at === null) {
    return `${JSON.stringify(spec)} is neither a snapshot of the job's dataset nor an ISO 8601 instant (e.g. 2026-11-21T03:00:00Z)`;
  }
  let best: { name: string; t: number } | null = null;
  for (const name of names) {
    const t = parseSnapshotName(prefix, name)?.getTime();
    if (t !== undefined && t <= at.getTime() && (best === null || t > best.t)) best = { name, t };
  }
  if (best === null) return `no ${prefix}_ snapshot at or before ${spec}`;
  return { snapshot: best.name, instant: at };
}

/** The zbk-named snapshots in the order of their instants, oldest first. */
export function zbkSnapshotsInOrder(names: readonly string[], prefix: string): string[] {
  return names
    .map((name) => ({ name, t: parseSnapshotName(prefix, name)?.getTime() }))
    .filter((s): s is { name: string; t: number } => s.t !== undefined)
    .sort((a, b) => a.t - b.t)
    .map((s) => s.name);
}
