/**
 * A dataset's snapshots with their guids: what replication compares on both sides (a name
 * alone proves nothing; the guid is the snapshot's identity, kept by send and receive).
 */
import { ZfsError } from './errors.js';
import type { Runner } from './exec.js';
import { numericProperty, parsePropertyRows, snapshotRows } from './properties.js';

export interface GuidSnapshot {
  /** The part after `@`. */
  readonly name: string;
  /** A 64-bit number, kept as its decimal digits (it does not fit a JavaScript number). */
  readonly guid: string;
  /** Epoch seconds. */
  readonly creation: number;
  /** How many user holds are on it (pool v23 can count them, not name them). */
  readonly userrefs: number;
}

/**
 * One form for every dialect, with no -t (zfs-fuse's `zfs get` has none): the rows of the
 * dataset itself, of its children and of its bookmarks are left out by name (snapshotRows). So a
 * target is listed without first probing its dialect, and `also` can ask for the dataset's own
 * properties in the same command (receive.ts: a copy's inert properties).
 */
export const snapshotGuidArgs = (dataset: string, also: readonly string[] = []): string[] =>
  ['get', '-H', '-p', '-d', '1', '-o', 'name,property,value', ['guid', 'creation', 'userrefs', ...also].join(','), dataset];

/**
 * Snapshots of `dataset` from `zfs get` rows, in creation order. A row zbk cannot read (a guid
 * that is not a number, no creation time, a name with a character a snapshot name cannot have
 * where zbk would read it) is a ZfsError: a replication on half-read lists could break a chain.
 */
export function parseSnapshotGuids(text: string, dataset: string): GuidSnapshot[] {
  const out: GuidSnapshot[] = [];
  for (const [name, props] of snapshotRows(parsePropertyRows(text), dataset)) {
    const full = `${dataset}@${name}`;
    if (name === '' || /[@/#\p{Cc}]/u.test(name)) throw new ZfsError('failed', `zfs get listed a snapshot zbk cannot read: ${JSON.stringify(full)}`);
    const guid = props.get('guid');
    if (guid === undefined || !/^[0-9]{1,20}$/.test(guid)) {
      throw new ZfsError('failed', `zfs get listed ${full} with the guid ${JSON.stringify(guid ?? null)}, not a number`);
    }
    const creation = numericProperty(props, 'creation');
    if (creation === null) throw new ZfsError('failed', `zfs get listed ${full} without a creation time`);
    out.push({ name, guid, creation, userrefs: numericProperty(props, 'userrefs') ?? 0 });
  }
  // zfs lists in creation order; the stable sort keeps that order within one second.
  return out.sort((a, b) => a.creation - b.creation);
}

/** The snapshots of `dataset`, oldest first; null when the dataset does not exist. */
export async function snapshotGuids(run: Runner, dataset: string): Promise<GuidSnapshot[] | null> {
  return (await snapshotGuidsAnd(run, dataset, []))?.snapshots ?? null;
}

/** The snapshots of `dataset` and the properties `also` of the dataset itself, in one command; null when it does not exist. */
export async function snapshotGuidsAnd(
  run: Runner, dataset: string, also: readonly string[],
): Promise<{ snapshots: GuidSnapshot[]; own: ReadonlyMap<string, string> } | null> {
  let text: string;
  try {
    text = await run('zfs', snapshotGuidArgs(dataset, also));
  } catch (e) {
    if (e instanceof ZfsError && e.kind === 'no-such-dataset') return null;
    throw e;
  }
  return { snapshots: parseSnapshotGuids(text, dataset), own: parsePropertyRows(text).get(dataset) ?? new Map<string, string>() };
}
