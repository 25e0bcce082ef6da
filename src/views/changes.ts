/**
 * One answer for `zbk diff` whichever tool found the changes (zfs diff, or an itemized rsync
 * dry run between two views): paths inside the dataset, a rename as removed + added, and a
 * directory never "modified" by itself — its entries that changed are listed, and the two
 * tools disagree on when a directory's own change shows. Sorted by path. Pure.
 */
import type { ZfsDiffLine } from '../zfs/diff.js';
import type { ItemizedChange } from '../sync/itemize.js';

export type ChangeKind = 'added' | 'removed' | 'modified';

export interface Change {
  readonly change: ChangeKind;
  /** Inside the dataset ('' for its root). */
  readonly inner: string;
}

function normalise(list: readonly { change: ChangeKind; inner: string; directory: boolean }[]): Change[] {
  const seen = new Map<string, ChangeKind>();
  for (const c of list) {
    if (c.change === 'modified' && c.directory) continue;
    const before = seen.get(c.inner);
    // removed then added (a rename onto an old name, a type change): the path was modified.
    seen.set(c.inner, before !== undefined && before !== c.change ? 'modified' : c.change);
  }
  return [...seen].map(([inner, change]) => ({ change, inner })).sort((a, b) => (a.inner < b.inner ? -1 : a.inner > b.inner ? 1 : 0));
}

/** `zfs diff` lines (absolute paths under `mountpoint`) as changes. */
export function fromZfsDiff(lines: readonly ZfsDiffLine[], mountpoint: string): Change[] {
  const root = mountpoint.replace(/\/+$/, '');
  const inner = (p: string) => {
    if (p === root || p === `${root}/`) return '';
    if (!p.startsWith(`${root}/`)) throw new Error(`zfs diff named ${JSON.stringify(p)}, outside the mountpoint ${mountpoint}`);
    return p.slice(root.length + 1).replace(/\/$/, '');
  };
  const list = lines.flatMap((l) => {
    const directory = l.type === '/';
    if (l.change === 'R') return [{ change: 'removed' as const, inner: inner(l.path), directory }, { change: 'added' as const, inner: inner(l.to!), directory }];
    const change = l.change === '+' ? ('added' as const) : l.change === '-' ? ('removed' as const) : ('modified' as const);
    return [{ change, inner: inner(l.path), directory }];
  });
  return normalise(list);
}

export function fromItemized(items: readonly ItemizedChange[]): Change[] {
  return normalise(items.map((i) => ({ change: i.change, inner: i.path, directory: i.directory })));
}
