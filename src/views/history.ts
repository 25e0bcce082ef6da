/**
 * `zbk history`: every distinct version of a host path across a job's snapshots and the live
 * dataset, read through snapshot views (views.ts). Where views are clones, one is made, read
 * and destroyed a snapshot at a time, so a killed run leaves at most one behind.
 */
import type { Job } from '../config/types.js';
import type { Zfs } from '../zfs/zfs.js';
import { hostPathOf, mapHostPath, sourceRoot } from './host-path.js';
import { observe, walk } from './observe.js';
import { zbkSnapshotsInOrder } from './select.js';
import { deleted, versions, type Entry, type Observation, type Version } from './versions.js';
import { withViews, type Views } from './views.js';
import type { ViewInUse } from './leftovers.js';
import { Refused } from './refused.js';

export interface HistoryOptions {
  readonly job: Job;
  readonly stateDir: string;
  readonly prefix: string;
  /** As the user gave it: absolute on the host, or relative to the source directory. */
  readonly path: string;
  readonly checksum: boolean;
  readonly deleted: boolean;
}

export interface PathHistory {
  /** As on the host. */
  readonly path: string;
  readonly versions: Version[];
}

export interface History extends PathHistory {
  readonly job: string;
  /** The snapshots read, oldest first. */
  readonly snapshots: readonly string[];
  /** Where PATH is a directory in some view: each path under it, by path. */
  readonly entries: PathHistory[] | null;
  readonly swept: readonly ViewInUse[];
}


/** Observations of each inner path, in the order of the views read. */
type Seen = Map<string, Map<string | null, Entry>>;

async function readView(dir: string, inner: string, label: string | null, checksum: boolean, seen: Seen, tree: { isDir: boolean }, signal: AbortSignal): Promise<void> {
  const record = (path: string, entry: Entry | null) => {
    if (entry === null) return;
    let m = seen.get(path);
    if (!m) seen.set(path, (m = new Map()));
    m.set(label, entry);
  };
  const top = await observe(dir, inner, checksum, signal);
  record(inner, top);
  if (top?.type !== 'directory') return;
  tree.isDir = true;
  for (const child of await walk(dir, inner, signal)) record(child, await observe(dir, child, checksum, signal));
}

/** `signal`: stop before the next view and the next file (aborted by SIGINT or SIGTERM). */
async function readAll(views: Views, order: readonly string[], inner: string, checksum: boolean, seen: Seen, tree: { isDir: boolean }, signal: AbortSignal): Promise<void> {
  if (views.kind === 'snapdir') {
    const dirs = await views.open(order);
    for (let i = 0; i < order.length; i++) await readView(dirs[i]!, inner, order[i]!, checksum, seen, tree, signal);
  } else {
    for (const name of order) {
      signal.throwIfAborted();
      const [dir] = await views.open([name]);
      await readView(dir!, inner, name, checksum, seen, tree, signal);
      await views.release([name]);
    }
  }
  await readView(views.live, inner, null, checksum, seen, tree, signal);
}

export async function history(zfs: Zfs, o: HistoryOptions): Promise<History> {
  const root = sourceRoot(o.job.source);
  const mapped = mapHostPath(root, o.path);
  if (typeof mapped === 'string') throw new Refused(`history: ${mapped}`);
  const listed = await zfs.listSnapshots(o.job.dataset);
  const order = zbkSnapshotsInOrder(listed.map((s) => s.name), o.prefix);
  const seen: Seen = new Map();
  const tree = { isDir: false };
  // On SIGINT/SIGTERM the reading stops after the file it is on, before the views close.
  const swept = await withViews(zfs, { dataset: o.job.dataset, stateDir: o.stateDir, snapshots: listed }, async (views, signal) => {
    await readAll(views, order, mapped.inner, o.checksum, seen, tree, signal);
    return views.swept;
  });
  const labels: (string | null)[] = [...order, null];
  const historyOf = (inner: string): { obs: Observation[]; h: PathHistory } => {
    const m = seen.get(inner);
    const obs = labels.map((snapshot) => ({ snapshot, entry: m?.get(snapshot) ?? null }));
    return { obs, h: { path: hostPathOf(root, inner), versions: versions(obs) } };
  };
  const top = historyOf(mapped.inner);
  const keep = (x: { obs: Observation[] }) => !o.deleted || deleted(x.obs);
  const entries = tree.isDir
    ? [...seen.keys()].filter((k) => k !== mapped.inner).sort().map(historyOf).filter(keep).map((x) => x.h)
    : null;
  return {
    job: o.job.name,
    path: mapped.host,
    versions: keep(top) ? top.h.versions : [],
    snapshots: order,
    entries,
    swept,
  };
}
