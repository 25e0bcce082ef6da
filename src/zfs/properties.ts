/** Rows of `zfs get -H -p -o name,property,value`, the one listing format every ZFS speaks. */
import type { Dialect } from './probe.js';

export type PropertyRows = Map<string, Map<string, string>>;

export function parsePropertyRows(text: string): PropertyRows {
  const rows: PropertyRows = new Map();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const first = line.indexOf('\t');
    const second = line.indexOf('\t', first + 1);
    if (first < 0 || second < 0) continue;
    const name = line.slice(0, first);
    let props = rows.get(name);
    if (!props) rows.set(name, (props = new Map()));
    props.set(line.slice(first + 1, second), line.slice(second + 1));
  }
  return rows;
}

/** `zfs get` of `properties` (comma-separated) of `dataset`'s snapshots, as rows snapshotRows reads. */
export function snapshotPropertyArgs(dataset: string, dialect: Dialect, properties: string): string[] {
  // zfs-fuse's `zfs get` has no -t: its rows of child file systems are left out by name (snapshotRows).
  const types = dialect.modern ? ['-t', 'snapshot'] : [];
  return ['get', '-H', '-p', '-d', '1', ...types, '-o', 'name,property,value', properties, dataset];
}

/** The rows of `dataset`'s own snapshots (the name after `@`, its properties), in the order zfs printed them; other datasets' rows left out. */
export function snapshotRows(rows: PropertyRows, dataset: string): [string, Map<string, string>][] {
  const prefix = `${dataset}@`;
  return [...rows].filter(([full]) => full.startsWith(prefix)).map(([full, props]) => [full.slice(prefix.length), props]);
}

/** A numeric property; `-` (not applicable) and anything unparsable is null. */
export function numericProperty(props: Map<string, string> | undefined, key: string): number | null {
  const v = props?.get(key);
  if (v === undefined || v === '-' || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** A user property's value, or null where it is unset (`-`). */
export function userProperty(props: Map<string, string> | undefined, key: string): string | null {
  const v = props?.get(key);
  return v === undefined || v === '-' ? null : v;
}
