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
