/**
 * `zbk restore`: PATH... as it was at a snapshot, copied into a directory or pushed back onto
 * the host over the job's own transport, through a snapshot view (src/views/views.ts).
 *
 * Order: every refusal of the arguments (paths, where DIR is, the snapshot) before any view is
 * made; the job's lock for a
 * real push onto the host (the nightly pull of the same job would otherwise read a half-restored
 * host, or the restore race the pull's --delete); a view of the chosen snapshot; each PATH must
 * exist in it, reached through directories only (a symlink on the way would make rsync read
 * zbk's own machine, outside the view); DIR is made, and must be the user's own; rsync in its own process group with the job's timeout,
 * stopped on SIGINT/SIGTERM before the view is closed.
 */
import { lstat, mkdir, realpath } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Job } from '../config/types.js';
import { acquireLock, type Lock } from '../jobs/lock.js';
import { syncJob } from '../jobs/sync-job.js';
import { runInGroup } from '../process/group.js';
import { classifyRsyncExit, interrupted, type Verdict } from '../sync/exit-policy.js';
import { parseItemized, unescapeRsyncName } from '../sync/itemize.js';
import { hostPathOf, sourceRoot } from '../views/host-path.js';
import type { ViewInUse } from '../views/leftovers.js';
import { chooseSnapshot, type Choice } from '../views/select.js';
import { liveMountpoint, withViews } from '../views/views.js';
import type { Zfs } from '../zfs/zfs.js';
import { destinationOperand, pushArgv, pushExtras, type Extras } from './argv.js';
import { directoryProblem, ownershipProblem, restorePaths } from './rules.js';
import { Refused } from '../views/refused.js';

export interface RestoreOptions {
  readonly job: Job;
  readonly stateDir: string;
  readonly prefix: string;
  /** A snapshot name or an ISO 8601 instant. */
  readonly at: string;
  readonly paths: readonly string[];
  /** A directory (absolute or relative to the working directory), or null: back onto the host. */
  readonly to: string | null;
  readonly dryRun: boolean;
  readonly delete: boolean;
  readonly wholeSource: boolean;
  /** The rsync program (default: rsync on PATH). */
  readonly rsync?: string;
  /** How long rsync has to stop after SIGTERM before SIGKILL. Default 10 s. */
  readonly killGraceMs?: number;
}

export type RestoreChange = 'created' | 'updated' | 'deleted';

export interface Restore {
  readonly job: string;
  readonly at: string;
  readonly choice: Choice;
  /** The absolute DIR, or null: the host. */
  readonly to: string | null;
  /** What rsync wrote to: DIR/, or the source as the job spells it. */
  readonly destination: string;
  readonly dryRun: boolean;
  readonly delete: boolean;
  /** Paths as on the host; in DIR, each lies where it lies under the source directory. */
  readonly changes: { readonly path: string; readonly change: RestoreChange }[];
  /** Lines of rsync's stdout that are no itemized change (reported, not guessed at). */
  readonly unread: readonly string[];
  readonly leftOut: Extras['dropped'];
  readonly verdict: Verdict;
  readonly swept: readonly ViewInUse[];
}


const CHANGE: Readonly<Record<'added' | 'modified' | 'removed', RestoreChange>> = { added: 'created', modified: 'updated', removed: 'deleted' };
const HARD_LINKED = /^h[fLDS] {9} (.+)$/;
/** rsync says so on stdout when it makes the destination directory itself. */
const CREATED_DIRECTORY = /^created directory /;

/** The path with the symlinks of its longest existing part resolved (the rest may be made later). */
async function resolveExisting(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(path) === path) throw e;
    return join(await resolveExisting(dirname(path)), path.slice(dirname(path).length + 1));
  }
}

/** Why `inner` cannot be read in the view (absent, or reached through a symlink), or null. */
async function innerProblem(view: string, root: string, inner: string, host: string, snapshot: string): Promise<string | null> {
  const parts = inner === '' ? [] : inner.split('/');
  for (let i = 0; i < parts.length; i++) {
    let st;
    try {
      st = await lstat(join(view, ...parts.slice(0, i + 1)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') {
        return `${JSON.stringify(host)} does not exist in ${snapshot}`;
      }
      throw e;
    }
    if (i < parts.length - 1 && !st.isDirectory()) {
      const what = st.isSymbolicLink() ? 'a symlink' : 'not a directory';
      return `${JSON.stringify(host)}: ${hostPathOf(root, parts.slice(0, i + 1).join('/'))} is ${what} in ${snapshot}; name the path the link points to instead`;
    }
  }
  return null;
}

/** rsync's itemized stdout as changes (paths as on the host), and the lines that are none. */
function readItemized(stdout: string, root: string): { changes: Restore['changes']; unread: string[] } {
  const changes: { path: string; change: RestoreChange }[] = [];
  const unread: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line === '' || CREATED_DIRECTORY.test(line)) continue;
    // `hf          name`: an existing file made a hard link of another, which itemize.ts (for
    // diff's comparison of two trees) does not count; on a destination it is a change.
    const relinked = HARD_LINKED.exec(line);
    if (relinked) {
      changes.push({ path: hostPathOf(root, unescapeRsyncName(relinked[1]!)), change: 'updated' });
      continue;
    }
    try {
      for (const c of parseItemized(line)) changes.push({ path: hostPathOf(root, c.path), change: CHANGE[c.change] });
    } catch {
      unread.push(line);
    }
  }
  return { changes, unread };
}

/** DIR made (unless a dry run), and checked to be the user's own directory. */
async function makeDirectory(given: string, dir: string, dryRun: boolean, refuse: (why: string) => never): Promise<void> {
  if (!dryRun) {
    await mkdir(dir, { recursive: true, mode: 0o700 }).catch((e: NodeJS.ErrnoException) => refuse(`--to ${JSON.stringify(given)} cannot be made: ${e.code ?? e.message}`));
  }
  const st = await lstat(dir).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : Promise.reject(e)));
  const problem = ownershipProblem(given, st && { isDirectory: st.isDirectory(), uid: st.uid, mode: st.mode }, process.getuid?.() ?? 0);
  if (problem !== null) refuse(problem);
}

export async function restore(zfs: Zfs, o: RestoreOptions): Promise<Restore> {
  const { job } = o;
  const refuse = (why: string): never => {
    throw new Refused(`restore: ${why}`);
  };
  if (o.to === null && job.source === null) refuse(`job ${job.name} has no source (snapshot-only): restore into a directory with --to DIR`);
  const root = sourceRoot(job.source);
  const paths = restorePaths(o.paths, { root, toSource: o.to === null, wholeSource: o.wholeSource });
  if (typeof paths === 'string') return refuse(paths);

  const sync = syncJob(job, job.source ?? { kind: 'local', path: '/' });
  let to: string | null = null;
  // With --to, the mountpoint is asked here, for the check, and the views are given it.
  let mountpoint: string | undefined;
  if (o.to !== null) {
    mountpoint = await liveMountpoint(zfs, job.dataset);
    const kept = [
      { what: `the job's state_dir`, path: await resolveExisting(resolve(o.stateDir)) },
      { what: `the mountpoint of ${job.dataset}`, path: await resolveExisting(mountpoint) },
    ];
    to = await resolveExisting(resolve(o.to));
    const problem = directoryProblem(o.to, to, kept);
    if (problem !== null) refuse(problem);
  }

  const listed = await zfs.listSnapshots(job.dataset);
  const choice = chooseSnapshot(o.at, listed.map((s) => s.name), o.prefix);
  if (typeof choice === 'string') return refuse(`--at: ${choice}`);

  const lock: Lock | null = o.to === null && !o.dryRun ? await acquireLock(o.stateDir, job.name, `zbk restore --job ${job.name}`) : null;
  // On SIGINT/SIGTERM withViews stops the rsync (its group, through `signal`) and waits for it;
  // the lock goes next, before the views close and the process exits (a second release does nothing).
  const release = async () => {
    await lock?.release();
  };
  try {
    return await withViews(zfs, { dataset: job.dataset, stateDir: o.stateDir, snapshots: listed, ...(mountpoint ? { mountpoint } : {}) }, async (views, signal) => {
      const [view] = await views.open([choice.snapshot]);
      for (const p of paths) {
        const problem = await innerProblem(view!, root, p.inner, p.host, choice.snapshot);
        if (problem !== null) refuse(problem);
      }
      if (o.to !== null && to !== null) await makeDirectory(o.to, to, o.dryRun, refuse);
      const argv = pushArgv(sync, { view: view!, inner: paths.map((p) => p.inner), to, dryRun: o.dryRun, delete: o.delete });
      let stdout = '';
      let stderr = '';
      const r = await runInGroup(o.rsync ?? 'rsync', argv, {
        env: { LC_ALL: 'C' },
        timeoutMs: sync.timeoutMs,
        killGraceMs: o.killGraceMs ?? 10_000,
        signal,
        onStdout: (c) => (stdout += c),
        onStderr: (c) => (stderr += c),
        ...(lock ? { tracker: lock } : {}),
      });
      if (signal.aborted) throw new Error('restore: interrupted');
      const verdict = r.spawnError !== null
        ? { outcome: 'failed' as const, message: `could not run ${o.rsync ?? 'rsync'}: ${r.spawnError}` }
        : r.stopped === 'timeout' && r.code !== 0 ? interrupted(`timed out after the job's timeout`) : classifyRsyncExit(r.code, r.signal, stderr);
      const { changes, unread } = readItemized(stdout, root);
      return {
        job: job.name, at: o.at, choice, to, destination: destinationOperand(sync, to), dryRun: o.dryRun, delete: o.delete,
        changes, unread, leftOut: pushExtras(job.rsyncArgs).dropped, verdict, swept: views.swept,
      };
    }, release);
  } finally {
    await release();
  }
}
