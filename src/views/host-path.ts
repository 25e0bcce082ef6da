/**
 * Paths as the host sees them ⇄ paths inside the job's dataset (and so inside any snapshot
 * view of it). zbk copies the contents of the source directory into the dataset, so the
 * source directory is the dataset's root:
 *
 *   root@web:/srv/              /srv/www/index.html   → www/index.html
 *   /var/backups/src/           /var/backups/src/a    → a
 *   rsync://host/www/site/      /site/index.html      → index.html  (an rsync daemon's paths are
 *                                                       the module's: its root is /)
 *   (no source: snapshot-only)  /etc/rc.conf          → etc/rc.conf
 *
 * A relative PATH is taken relative to the source directory. What comes out is a relative path
 * of plain components ('' for the root), only ever joined under a view's absolute directory,
 * so that it can never be read as an option (a leading `-`) or climb out of the view.
 */
import type { Source } from '../sync/source.js';
import { hasControl } from '../util/control.js';

/** PATH is longer than any path a host could hold (PATH_MAX is 1024 on FreeBSD, 4096 on Linux). */
const MAX_PATH = 4096;

export interface InnerPath {
  /** As the host sees it, normalised: `/srv/www/index.html` (a directory keeps no trailing slash; the root is the source directory itself). */
  readonly host: string;
  /** Inside the dataset: `www/index.html`, or '' for the dataset's root. */
  readonly inner: string;
}

/** The host directory that the dataset's root holds, ending in `/`. */
export function sourceRoot(source: Source | null): string {
  if (source === null) return '/';
  return source.kind === 'daemon' ? `/${source.path}` : source.path;
}

/** `..` and `.` resolved, empty components dropped; null when a `..` climbs above the start. */
function components(path: string): string[] | null {
  const out: string[] = [];
  for (const c of path.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(c);
  }
  return out;
}

/** The path inside the dataset that `path` (absolute, or relative to `root`) names, or why it names none. */
export function mapHostPath(root: string, path: string): InnerPath | string {
  const shown = JSON.stringify(path);
  if (path === '') return 'an empty path';
  if (path.length > MAX_PATH) return `${shown.slice(0, 40)}…: longer than any path a host holds`;
  if (hasControl(path)) return `${shown}: a path with a control character (NUL, newline, escape…) is refused`;
  const base = components(root)!;
  const parts = components(path.startsWith('/') ? path : `${root}/${path}`);
  if (parts === null) return `${shown} climbs above / with ..`;
  const under = parts.length >= base.length && base.every((c, i) => parts[i] === c);
  if (!under) {
    return `${shown} is not under the job's source directory ${root}${path.startsWith('/') ? '' : ' (a relative path is taken from there)'}`;
  }
  const inner = parts.slice(base.length);
  return { host: `/${parts.join('/')}`, inner: inner.join('/') };
}

/** The host's spelling of a path inside the dataset. */
export function hostPathOf(root: string, inner: string): string {
  const base = components(root)!;
  const parts = [...base, ...inner.split('/').filter((c) => c !== '')];
  return `/${parts.join('/')}`;
}
