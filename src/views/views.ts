/**
 * Read-only views of a job's snapshots, one directory each (the API `history`, `diff` and
 * `restore` read through):
 *
 *   const views = await openViews(zfs, { dataset, stateDir, snapshots });
 *   try { const [dir] = await views.open(['zbk_2026-11-21T030000Z']); … } finally { await views.close(); }
 *
 * or `withViews(zfs, options, (views) => …)`, which also closes them on SIGINT and SIGTERM.
 *
 * Where the dataset has `<mountpoint>/.zfs/snapshot/` (FreeBSD, OpenZFS: it is there whatever
 * `snapdir` says), a view is that directory, and the snapshot is kept from being destroyed by a
 * user hold `zbk-view:<pid>` (where ZFS has holds), released by close(). Elsewhere (zfs-fuse)
 * a view is a clone (see naming.ts): readonly, mounted under `<state_dir>/views/`, made one at a
 * time across processes, destroyed by release() or close(); while it exists, the snapshot
 * cannot be destroyed (zfs refuses: the snapshot has dependent clones; prune skips it).
 * Opening views first removes what a killed zbk left (leftovers.ts). The live dataset is its
 * mountpoint (`live`).
 */
import { stat, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePrivateDir } from '../state/dir.js';
import { VIEW_PROPERTY } from '../zfs/clone.js';
import { ZfsError } from '../zfs/errors.js';
import { userProperty } from '../zfs/properties.js';
import type { Snapshot } from '../zfs/snapshots.js';
import type { Zfs } from '../zfs/zfs.js';
import { withCreateLock } from './create-lock.js';
import { sweepLeftovers, type ViewInUse } from './leftovers.js';
import { cloneName, cloneOwner, holdTag, viewMountpoint } from './naming.js';

export interface ViewOptions {
  readonly dataset: string;
  readonly stateDir: string;
  /** The dataset's snapshots as listed (for the leftover sweep: which hold something). */
  readonly snapshots: readonly Snapshot[];
  /** Whose views these are (default: this process). */
  readonly pid?: number;
  /** The dataset's mountpoint, where the caller has already asked for it (liveMountpoint). */
  readonly mountpoint?: string;
}

export interface Views {
  /** `.zfs/snapshot` directories, or clones. */
  readonly kind: 'snapdir' | 'clone';
  /** The live dataset: its mountpoint. */
  readonly live: string;
  /** What a killed zbk had left, removed on opening. */
  readonly swept: readonly ViewInUse[];
  /** The directory of each snapshot (names after the `@`), in order, made where not yet open. */
  open(snapshots: readonly string[]): Promise<string[]>;
  /** Ends these views before close() (a clone is destroyed; a hold released). */
  release(snapshots: readonly string[]): Promise<void>;
  /** Ends every view. Safe to call more than once, and while open() is under way (it waits). */
  close(): Promise<void>;
}

/** The dataset's mountpoint, which must be mounted to be read. */
export async function liveMountpoint(zfs: Zfs, dataset: string): Promise<string> {
  const props = (await zfs.getProperties([dataset], ['mountpoint', 'mounted'])).get(dataset);
  const mountpoint = userProperty(props, 'mountpoint');
  if (mountpoint === null || !mountpoint.startsWith('/') || props?.get('mounted') !== 'yes') {
    throw new ZfsError('failed', `${dataset} is not mounted (mountpoint ${mountpoint ?? 'none'}): zbk reads snapshots through it (zfs mount ${dataset})`);
  }
  return mountpoint;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

export async function openViews(zfs: Zfs, o: ViewOptions): Promise<Views> {
  const pid = o.pid ?? process.pid;
  const live = o.mountpoint ?? (await liveMountpoint(zfs, o.dataset));
  const swept = await sweepLeftovers(zfs, o.dataset, o.snapshots);
  const snapdir = join(live, '.zfs', 'snapshot');
  return (await isDirectory(snapdir))
    ? snapdirViews(zfs, o.dataset, live, snapdir, pid, swept)
    : cloneViews(zfs, o, live, pid, swept);
}

function snapdirViews(zfs: Zfs, dataset: string, live: string, snapdir: string, pid: number, swept: readonly ViewInUse[]): Views {
  const tag = holdTag(pid);
  const held = new Set<string>();
  let holds: Promise<boolean> | undefined;
  let closed = false;
  const full = (names: Iterable<string>) => [...names].map((n) => `${dataset}@${n}`);
  return {
    kind: 'snapdir',
    live,
    swept,
    async open(snapshots) {
      if (closed) throw interrupted();
      if (await (holds ??= zfs.dialect().then((d) => d.modern))) {
        const fresh = [...new Set(snapshots)].filter((n) => !held.has(n));
        await zfs.hold(tag, full(fresh));
        for (const n of fresh) held.add(n);
      }
      return snapshots.map((n) => join(snapdir, n));
    },
    async release(snapshots) {
      const mine = snapshots.filter((n) => held.delete(n));
      await zfs.release(tag, full(mine));
    },
    async close() {
      closed = true;
      const all = [...held];
      held.clear();
      await zfs.release(tag, full(all));
    },
  };
}

function cloneViews(zfs: Zfs, o: ViewOptions, live: string, pid: number, swept: readonly ViewInUse[]): Views {
  const viewsDir = join(o.stateDir, 'views');
  let dirs: Promise<void> | undefined;
  const made = new Map<string, string>();
  let closed = false;
  let closing: Promise<void> | undefined;
  /** Every creation and destruction, one after the other. */
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const next = queue.then(f);
    queue = next.catch(() => undefined);
    return next;
  };
  const destroy = async (snapshot: string) => {
    const name = cloneName(o.dataset, pid, snapshot);
    await zfs.destroyFilesystem(name);
    made.delete(snapshot);
    await rmdir(viewMountpoint(o.stateDir, pid, snapshot)).catch(ignoreGoneOrFull);
  };
  return {
    kind: 'clone',
    live,
    swept,
    open(snapshots) {
      return serial(async () => {
        if (closed) throw interrupted();
        const missing = snapshots.filter((n) => !made.has(n));
        if (missing.length > 0) {
          // Once per Views: history opens one snapshot at a time (close() removes the directory only once closed).
          await (dirs ??= ensurePrivateDir(viewsDir).then(() => ensurePrivateDir(join(viewsDir, String(pid)))));
          await withCreateLock(viewsDir, async () => {
            for (const n of missing) {
              const mountpoint = viewMountpoint(o.stateDir, pid, n);
              await zfs.clone(`${o.dataset}@${n}`, cloneName(o.dataset, pid, n), {
                readonly: 'on', mountpoint, [VIEW_PROPERTY]: String(pid),
              });
              made.set(n, mountpoint);
            }
          });
        }
        return snapshots.map((n) => made.get(n)!);
      });
    },
    release(snapshots) {
      return serial(async () => {
        for (const n of snapshots) if (made.has(n)) await destroy(n);
      });
    },
    close() {
      closed = true;
      return (closing ??= serial(async () => {
        // Every view gets its destroy even when one fails; the first failure is reported.
        const failures: unknown[] = [];
        for (const n of [...made.keys()]) await destroy(n).catch((e: unknown) => failures.push(e));
        // A clone whose `zfs clone` failed or a signal cut short may exist without zbk knowing: ask zfs.
        for (const c of await zfs.listViewClones(o.dataset)) {
          if (cloneOwner(o.dataset, c.name, c.owner) === pid) await zfs.destroyFilesystem(c.name).catch((e: unknown) => failures.push(e));
        }
        if (failures.length > 0) throw failures[0];
        await rmdir(join(viewsDir, String(pid))).catch(ignoreGoneOrFull);
      }));
    },
  };
}

const interrupted = () => new Error('the snapshot views were closed (interrupted)');

/** A mountpoint directory left after its clone went: removed when empty, else left (something wrote into it, and it is not zbk's to delete). */
function ignoreGoneOrFull(e: NodeJS.ErrnoException): void {
  if (e.code !== 'ENOENT' && e.code !== 'ENOTEMPTY') throw e;
}

/**
 * Runs `f` on views of the dataset, and closes them when it ends, also on SIGINT or SIGTERM
 * (then the process exits 130 or 143, as a shell reports such a death). On a signal, `f`'s
 * `signal` is aborted and `f` is awaited before the views close: what it runs on them (an rsync,
 * a file being read) must end first, as a clone with a file open cannot be destroyed. Then
 * `beforeClose` (e.g. releasing a lock) is awaited.
 */
export async function withViews<T>(zfs: Zfs, o: ViewOptions, f: (views: Views, signal: AbortSignal) => Promise<T>, beforeClose?: () => Promise<unknown>): Promise<T> {
  let views: Views | null = null;
  let working: Promise<T> | null = null;
  const abort = new AbortController();
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const code = signal === 'SIGINT' ? 130 : 143;
    abort.abort();
    const stopped = Promise.resolve(working)
      .catch(() => undefined)
      .then(() => beforeClose?.())
      .catch(() => undefined);
    const closing = stopped.then(() => views?.close());
    closing.then(
      () => process.exit(code),
      (e: unknown) => {
        process.stderr.write(`zbk: ${signal}: could not remove every view: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(code);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    views = await openViews(zfs, o);
    return await (working = f(views, abort.signal));
  } catch (e) {
    // A signal closed the views under f: the handler ends the process once they are gone.
    if (stopping) await new Promise<never>(() => undefined);
    throw e;
  } finally {
    if (views && !stopping) await views.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
