/**
 * What `zbk restore` refuses before it touches anything, and why. Pure.
 *
 * - A PATH that host-path.ts refuses (empty, a control character, climbing above / with `..`,
 *   not under the source directory).
 * - The whole source directory said any other way than literally: `/srv` or `/srv/` for a source
 *   `web:/srv/`, never `.`, `www/..` or `/srv/www/..`: a slip in a relative path must not grow
 *   into a restore of everything. Said literally, it may be restored `--to DIR`; back onto the
 *   host (`--to-source`) it also needs `--whole-source`, the one flag that says "all of it".
 * - `--whole-source` where no PATH is the whole source directory, or without `--to-source`.
 * - `--to-source` for a job without a source (snapshot-only): there is no host to push to.
 * - A DIR inside the job's dataset (its mountpoint: the live copy, or `.zfs/snapshot`) or inside
 *   the state_dir (locks, state, the views): a restore never writes into what zbk keeps.
 * - A DIR that is not a directory of the user zbk runs as, writable by nobody else: rsync (as
 *   root) follows the symlinks it finds in DIR, so a link planted in a shared directory (`/tmp`)
 *   would send the restore elsewhere. A DIR zbk makes is made mode 0700.
 */
import { hasControl } from '../util/control.js';
import { mapHostPath, type InnerPath } from '../views/host-path.js';

export interface PathRules {
  /** The host directory the dataset's root holds (host-path.ts' sourceRoot). */
  readonly root: string;
  readonly toSource: boolean;
  readonly wholeSource: boolean;
}

const bare = (p: string) => p.replace(/\/+$/, '') || '/';

/** PATH... as paths inside the dataset (duplicates once, in the order given), or why not. */
export function restorePaths(paths: readonly string[], r: PathRules): InnerPath[] | string {
  if (paths.length === 0) return 'name at least one PATH to restore';
  if (r.wholeSource && !r.toSource) return '--whole-source goes with --to-source (a restore --to DIR takes the source directory without it)';
  const out = new Map<string, InnerPath>();
  let whole = false;
  for (const path of paths) {
    const p = mapHostPath(r.root, path);
    if (typeof p === 'string') return p;
    if (p.inner === '') {
      if (bare(path) !== bare(r.root)) {
        return `${JSON.stringify(path)} is the whole source directory ${r.root}, said indirectly: to restore all of it, write ${bare(r.root)}`;
      }
      if (r.toSource && !r.wholeSource) {
        return `${JSON.stringify(path)} is the whole source directory ${r.root}: restoring all of it onto the host needs --whole-source (or restore it into a directory with --to DIR)`;
      }
      whole = true;
    }
    if (!out.has(p.inner)) out.set(p.inner, p);
  }
  if (r.wholeSource && !whole) return `--whole-source: no PATH is the whole source directory ${r.root} (write ${bare(r.root)} to restore all of it)`;
  return [...out.values()];
}

/** Whether `path` is `dir` or inside it (both absolute and resolved). */
export function isInside(path: string, dir: string): boolean {
  const d = bare(dir);
  return d === '/' || path === d || path.startsWith(`${d}/`);
}

/**
 * Why DIR (resolved: symlinks of its existing part followed) cannot take a restore, or null.
 * `kept` names what zbk keeps: the dataset's mountpoint and the state_dir, resolved likewise.
 */
export function directoryProblem(dir: string, resolved: string, kept: ReadonlyArray<{ readonly what: string; readonly path: string }>): string | null {
  if (hasControl(dir)) return `--to ${JSON.stringify(dir)}: a path with a control character is refused`;
  for (const k of kept) {
    if (isInside(resolved, k.path)) {
      return `--to ${JSON.stringify(dir)} is inside ${k.what} ${k.path}: a restore never writes into what zbk keeps; name a directory outside it`;
    }
  }
  return null;
}

export interface DirectoryStat {
  readonly isDirectory: boolean;
  readonly uid: number;
  readonly mode: number;
}

/** Why DIR (as lstat sees it once resolved and made) may not take a restore by user `uid`, or null. */
export function ownershipProblem(dir: string, st: DirectoryStat | null, uid: number): string | null {
  if (st === null) return null; // a dry run into a DIR yet to be made
  const shown = JSON.stringify(dir);
  if (!st.isDirectory) return `--to ${shown} is not a directory`;
  if (st.uid !== uid || (st.mode & 0o022) !== 0) {
    return `--to ${shown} is ${st.uid !== uid ? `owned by uid ${st.uid}, not ${uid}` : 'writable by others than its owner'}: a link planted in it would send the restore elsewhere; name a directory of your own, or a new one (zbk makes it, mode 0700)`;
  }
  return null;
}
