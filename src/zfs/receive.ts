/**
 * The receiving side of a replication: the argv of `zfs receive`, the target's parent dataset,
 * and the properties that keep a received copy inert. A copy never mounts over the target
 * box's own paths nor runs anything there: received unmounted where the dialect can (-u),
 * then `readonly=on canmount=noauto setuid=off exec=off` and unmounted where it was mounted.
 */
import { datasetExists } from './datasets.js';
import type { Runner } from './exec.js';
import type { Capabilities } from './probe.js';
import { snapshotGuidsAnd, type GuidSnapshot } from './guids.js';

/** `receive [-u] [-s] [-F] destination`: -F (roll back, overwrite) only when forced. */
export function receiveArgs(destination: string, caps: Pick<Capabilities, 'receiveUnmounted' | 'resumable'>, o: { readonly force: boolean }): string[] {
  return [
    'receive',
    ...(caps.receiveUnmounted ? ['-u'] : []),
    ...(caps.resumable ? ['-s'] : []),
    ...(o.force ? ['-F'] : []),
    destination,
  ];
}

/** The target's parent, created with its missing parents; nothing mounts from it. */
export function createParentArgs(dataset: string): string[] {
  return ['create', '-p', '-o', 'canmount=off', dataset];
}

/** Creates `dataset` unless it exists (an existing one is left as it is). */
export async function createParent(run: Runner, dataset: string): Promise<void> {
  if (!(await datasetExists(run, dataset))) await run('zfs', createParentArgs(dataset));
}

/** What a received copy must have; set one at a time (pool v23's `zfs set` takes one). */
export const INERT: ReadonlyMap<string, string> = new Map([
  ['canmount', 'noauto'],
  ['readonly', 'on'],
  ['setuid', 'off'],
  ['exec', 'off'],
]);

/** The `zfs set` argv lists that make `dataset` inert, from its current values (`name,property,value` rows). */
export function inertArgs(dataset: string, current: ReadonlyMap<string, string>): string[][] {
  const out: string[][] = [];
  for (const [key, value] of INERT) if (current.get(key) !== value) out.push(['set', `${key}=${value}`, dataset]);
  if (current.get('mounted') === 'yes') out.push(['unmount', dataset]);
  return out;
}

/** INERT's properties and `mounted`: what inertArgs reads. */
export const INERT_READ: readonly string[] = [...INERT.keys(), 'mounted'];

/** Sets what differs from INERT (canmount first, so nothing mounts it again), then unmounts it if mounted. */
export async function setInert(run: Runner, dataset: string): Promise<void> {
  const text = await run('zfs', ['get', '-H', '-o', 'property,value', INERT_READ.join(','), dataset]);
  const current = new Map<string, string>();
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) current.set(line.slice(0, tab), line.slice(tab + 1));
  }
  for (const args of inertArgs(dataset, current)) await run('zfs', args);
}

/**
 * A received copy's snapshots, the copy made inert where it has any: its properties are read in
 * the same `zfs get` as its snapshots, a round trip fewer to a target over ssh. null: no copy.
 */
export async function copiesMadeInert(run: Runner, dataset: string): Promise<GuidSnapshot[] | null> {
  const listed = await snapshotGuidsAnd(run, dataset, INERT_READ);
  if (listed === null) return null;
  if (listed.snapshots.length > 0) for (const args of inertArgs(dataset, listed.own)) await run('zfs', args);
  return listed.snapshots;
}
