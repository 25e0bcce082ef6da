/** Listing and creating snapshots. */
import { ZfsError } from './errors.js';
import type { Runner } from './exec.js';
import type { Dialect } from './probe.js';
import { numericProperty, parsePropertyRows, snapshotPropertyArgs, snapshotRows } from './properties.js';

export interface Snapshot {
  readonly dataset: string;
  /** The part after `@`. */
  readonly name: string;
  /** Creation time, epoch seconds: when ZFS took it, whatever its name says (see src/retention/future-names.ts). */
  readonly creation: number;
  readonly used: number;
  readonly referenced: number;
  /** User holds (always 0 where ZFS has no holds). */
  readonly userrefs: number;
}

export const snapshotListArgs = (dataset: string, caps: Dialect): string[] => snapshotPropertyArgs(dataset, caps, 'creation,used,referenced,userrefs');

/**
 * Snapshots of `dataset` from `zfs get` rows (the dataset's own rows and other datasets' are
 * left out). Throws a ZfsError for a snapshot without a creation time: the safety rules read it.
 */
export function parseSnapshotList(text: string, dataset: string): Snapshot[] {
  const out: Snapshot[] = [];
  for (const [name, props] of snapshotRows(parsePropertyRows(text), dataset)) {
    const creation = numericProperty(props, 'creation');
    if (creation === null) throw new ZfsError('failed', `zfs get listed ${dataset}@${name} without a creation time`);
    out.push({
      dataset,
      name,
      creation,
      used: numericProperty(props, 'used') ?? 0,
      referenced: numericProperty(props, 'referenced') ?? 0,
      userrefs: numericProperty(props, 'userrefs') ?? 0,
    });
  }
  // zfs lists in creation order; the stable sort keeps that order within one second.
  return out.sort((a, b) => a.creation - b.creation);
}

export async function listSnapshots(run: Runner, caps: Dialect, dataset: string): Promise<Snapshot[]> {
  return parseSnapshotList(await run('zfs', snapshotListArgs(dataset, caps)), dataset);
}

const poolOf = (name: string): string => name.split(/[/@]/, 1)[0]!;

/**
 * The argv lists that take `ds@snap` for every dataset: one atomic `zfs snapshot` per pool
 * where ZFS takes several names, else one command per dataset.
 */
export function snapshotCreateArgs(fullNames: readonly string[], caps: Dialect): string[][] {
  if (!caps.modern) return fullNames.map((n) => ['snapshot', n]);
  const byPool = new Map<string, string[]>();
  for (const n of fullNames) {
    const group = byPool.get(poolOf(n));
    if (group) group.push(n);
    else byPool.set(poolOf(n), [n]);
  }
  return [...byPool.values()].map((names) => ['snapshot', ...names]);
}
