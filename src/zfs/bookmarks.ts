/**
 * Bookmarks (`ds#name`): a snapshot's place in the dataset's history without its data. An
 * incremental stream can start from one (`zfs send -i ds#name ds@snap`) after the snapshot
 * itself was destroyed by hand, so zbk bookmarks each replication base where the dialect has them.
 */
import { ZfsError } from './errors.js';
import type { Runner } from './exec.js';
import type { Capabilities } from './probe.js';
import { numericProperty, parsePropertyRows } from './properties.js';

/** A bookmark name zbk makes: plain characters. */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,200}$/;

export interface Bookmark {
  /** The part after `#`. */
  readonly name: string;
  /** The guid of the snapshot it was made from. */
  readonly guid: string;
  /** Epoch seconds: the creation of the snapshot it was made from. */
  readonly creation: number;
}

/** Whether zbk would make, send from or destroy a bookmark of that name (the part after `#`). */
export const isBookmarkName = (name: string): boolean => NAME.test(name);

const datasetOf = (fullSnapshot: string): string => fullSnapshot.slice(0, fullSnapshot.indexOf('@'));

/** `zfs bookmark ds@snap ds#name`. */
export function bookmarkArgs(fullSnapshot: string, name: string): string[] {
  if (!NAME.test(name)) throw new ZfsError('failed', `${JSON.stringify(name)} is not a bookmark name zbk makes`);
  if (!fullSnapshot.includes('@')) throw new ZfsError('failed', `${JSON.stringify(fullSnapshot)} is not a snapshot`);
  return ['bookmark', fullSnapshot, `${datasetOf(fullSnapshot)}#${name}`];
}

export async function bookmark(run: Runner, fullSnapshot: string, name: string): Promise<void> {
  await run('zfs', bookmarkArgs(fullSnapshot, name));
}

export function bookmarkListArgs(dataset: string): string[] {
  return ['get', '-H', '-p', '-d', '1', '-t', 'bookmark', '-o', 'name,property,value', 'guid,creation', dataset];
}

/** The bookmarks of `dataset` from `zfs get` rows; a guid that is not a number, or no creation time, is an error. */
export function parseBookmarks(text: string, dataset: string): Bookmark[] {
  const out: Bookmark[] = [];
  for (const [full, props] of parsePropertyRows(text)) {
    if (!full.startsWith(`${dataset}#`)) continue;
    const guid = props.get('guid');
    if (guid === undefined || !/^[0-9]{1,20}$/.test(guid)) {
      throw new ZfsError('failed', `zfs get listed ${full} with the guid ${JSON.stringify(guid ?? null)}, not a number`);
    }
    const creation = numericProperty(props, 'creation');
    if (creation === null) throw new ZfsError('failed', `zfs get listed ${full} without a creation time`);
    out.push({ name: full.slice(dataset.length + 1), guid, creation });
  }
  return out;
}

/** The bookmarks of `dataset`; empty where the dialect has none. */
export async function listBookmarks(run: Runner, caps: Pick<Capabilities, 'bookmarks'>, dataset: string): Promise<Bookmark[]> {
  if (!caps.bookmarks) return [];
  return parseBookmarks(await run('zfs', bookmarkListArgs(dataset)), dataset);
}

export async function destroyBookmark(run: Runner, dataset: string, name: string): Promise<void> {
  if (!NAME.test(name)) throw new ZfsError('failed', `${JSON.stringify(name)} is not a bookmark name zbk makes`);
  await run('zfs', ['destroy', `${dataset}#${name}`]);
}
