/**
 * `zbk diff`: what was added, removed or modified between two snapshots of a job's dataset
 * (TO: the live dataset when not given), with sizes. `zfs diff` where ZFS has it (modern
 * OpenZFS); elsewhere an itemized rsync dry run between the two views. Either way the answer
 * goes through changes.ts, so that it reads the same.
 */
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Job } from '../config/types.js';
import { runInGroup } from '../process/group.js';
import { itemizeArgs, parseItemized } from '../sync/itemize.js';
import type { Zfs } from '../zfs/zfs.js';
import { fromItemized, fromZfsDiff, type ChangeKind } from './changes.js';
import { hostPathOf, sourceRoot } from './host-path.js';
import type { ViewInUse } from './leftovers.js';
import { chooseSnapshot, type Choice } from './select.js';
import { withViews } from './views.js';
import { Refused } from './refused.js';

export interface DiffOptions {
  readonly job: Job;
  readonly stateDir: string;
  readonly prefix: string;
  readonly from: string;
  /** Null: the live dataset. */
  readonly to: string | null;
  /** The rsync program (default: rsync on PATH). */
  readonly rsync?: string;
}

export interface DiffChange {
  /** As on the host. */
  readonly path: string;
  readonly change: ChangeKind;
  /** Of the path in TO (in FROM where it was removed); null for a directory or where it cannot be read. */
  readonly size: number | null;
}

export interface Diff {
  readonly job: string;
  readonly from: Choice;
  /** Null: the live dataset. */
  readonly to: Choice | null;
  readonly method: 'zfs diff' | 'rsync';
  readonly changes: DiffChange[];
  readonly swept: readonly ViewInUse[];
}


async function sizeAt(dir: string, inner: string): Promise<number | null> {
  try {
    const st = await lstat(join(dir, inner));
    return st.isDirectory() ? null : st.size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

async function rsyncItemized(rsync: string, from: string, to: string, signal: AbortSignal): Promise<string> {
  let stdout = '';
  let stderr = '';
  const r = await runInGroup(rsync, itemizeArgs(from, to), {
    timeoutMs: 24 * 3600_000, killGraceMs: 5000, env: { LC_ALL: 'C' }, signal,
    onStdout: (c) => (stdout += c), onStderr: (c) => (stderr += c),
  });
  if (signal.aborted) throw new Error('diff: interrupted');
  if (r.code !== 0) {
    const why = r.spawnError ?? (r.signal ? `killed by ${r.signal}` : `exit ${r.code}: ${stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
    throw new Error(`rsync --dry-run between the snapshot views failed (${why})`);
  }
  return stdout;
}

export async function diff(zfs: Zfs, o: DiffOptions): Promise<Diff> {
  const listed = await zfs.listSnapshots(o.job.dataset);
  const names = listed.map((s) => s.name);
  const choose = (spec: string, what: string): Choice => {
    const c = chooseSnapshot(spec, names, o.prefix);
    if (typeof c === 'string') throw new Refused(`diff: ${what}: ${c}`);
    return c;
  };
  const from = choose(o.from, 'FROM');
  const to = o.to === null ? null : choose(o.to, 'TO');
  const modern = (await zfs.dialect()).modern;
  const root = sourceRoot(o.job.source);
  // On SIGINT/SIGTERM the rsync reading the views (its whole group) is stopped before they close.
  return withViews(zfs, { dataset: o.job.dataset, stateDir: o.stateDir, snapshots: listed }, async (views, signal) => {
    const [fromDir, toDir = views.live] = await views.open(to === null ? [from.snapshot] : [from.snapshot, to.snapshot]);
    const changes = modern
      ? fromZfsDiff(await zfs.diff(`${o.job.dataset}@${from.snapshot}`, to === null ? o.job.dataset : `${o.job.dataset}@${to.snapshot}`), views.live)
      : fromItemized(parseItemized(await rsyncItemized(o.rsync ?? 'rsync', fromDir!, toDir, signal)));
    const out: DiffChange[] = [];
    for (const c of changes) {
      out.push({ path: hostPathOf(root, c.inner), change: c.change, size: await sizeAt(c.change === 'removed' ? fromDir! : toDir, c.inner) });
    }
    return { job: o.job.name, from, to, method: modern ? 'zfs diff' as const : 'rsync' as const, changes: out, swept: views.swept };
  });
}
