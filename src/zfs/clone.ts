/**
 * Clones: the temporary read-only views of snapshots that zbk makes where ZFS has no
 * `.zfs/snapshot` directory (zfs-fuse), and the listing that finds them again. zbk marks its
 * own with the user property `zbk:view` (the pid of the zbk that made it).
 */
import type { Runner } from './exec.js';
import { parsePropertyRows, userProperty } from './properties.js';

export const VIEW_PROPERTY = 'zbk:view';

function cloneArgs(snapshot: string, name: string, props: Readonly<Record<string, string>>): string[] {
  return ['clone', ...Object.entries(props).flatMap(([k, v]) => ['-o', `${k}=${v}`]), snapshot, name];
}

export async function clone(run: Runner, snapshot: string, name: string, props: Readonly<Record<string, string>>): Promise<void> {
  await run('zfs', cloneArgs(snapshot, name, props));
}

/** Destroys one file system, never recursively (a view has no children), unmounting it even while read (-f: the view is zbk's, and its command is ending). */
export async function destroyFilesystem(run: Runner, name: string): Promise<void> {
  await run('zfs', ['destroy', '-f', name]);
}

/** A file system under a dataset that carries `zbk:view`: a view zbk made. */
export interface ViewClone {
  readonly name: string;
  /** The `zbk:view` value as written (a pid, for views zbk made). */
  readonly owner: string;
  /** `ds@snap`, or null where zfs shows none. */
  readonly origin: string | null;
}

function viewCloneListArgs(dataset: string): string[] {
  return ['get', '-H', '-p', '-r', '-o', 'name,property,value', `${VIEW_PROPERTY},origin`, dataset];
}

/** The file systems of `zfs get -r zbk:view,origin` that carry the property (snapshots, which zfs-fuse also lists, left out). */
function parseViewClones(text: string): ViewClone[] {
  const out: ViewClone[] = [];
  for (const [name, props] of parsePropertyRows(text)) {
    const owner = userProperty(props, VIEW_PROPERTY);
    if (name.includes('@') || owner === null) continue;
    out.push({ name, owner, origin: userProperty(props, 'origin') });
  }
  return out;
}

export async function listViewClones(run: Runner, dataset: string): Promise<ViewClone[]> {
  return parseViewClones(await run('zfs', viewCloneListArgs(dataset)));
}
