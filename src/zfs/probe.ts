/**
 * What the installed zfs/zpool accept, asked of the commands themselves (never configured).
 * Modern OpenZFS takes `zfs list -p`, comma-batched destroys, several datasets in one
 * `zfs snapshot` and user holds; older ZFS (zfs-fuse, pool v23) takes none of them.
 *
 * Two levels: the dialect (one command, what every zbk command needs) and the replication
 * capabilities (a few more, asked only by `zbk replicate`). Each feature probe runs a command
 * that changes nothing and fails either on option parsing (the feature is missing: `invalid
 * option`, `unrecognized command`, `invalid property`) or after it (the feature is there: the
 * dataset does not exist, an argument is missing). Any other answer (no zfs, no daemon, a
 * refusal of the forced-command wrapper) is an error, never a guess.
 */
import type { Runner } from './exec.js';
import { ZfsError } from './errors.js';

export interface Dialect {
  /** Modern OpenZFS: `zfs list -p`, `zfs destroy ds@a,b,c`, `zfs snapshot a@x b@x`. */
  readonly modern: boolean;
}

export interface Capabilities extends Dialect {
  /** `zfs receive -u`: receive without mounting. */
  readonly receiveUnmounted: boolean;
  /** `zfs receive -s` and the `receive_resume_token` property (`zfs send -t`). */
  readonly resumable: boolean;
  /** `zfs bookmark` and `zfs list -t bookmark`. */
  readonly bookmarks: boolean;
  /** `zfs holds -H`: the tags of a snapshot's holds can be read (else only their count, `userrefs`). */
  readonly listHolds: boolean;
  /** `zfs send -nP`: the size of a stream before sending it. */
  readonly sendEstimate: boolean;
}

/** A name no pool can have (pool names begin with a letter and have no such words): its answer is always "does not exist". */
export const NO_SUCH_DATASET = 'zbk-probe-no-such-pool';

/**
 * The dialect. `under`: a dataset (which need not exist) to probe with instead of listing the
 * pools, for a target behind the forced-command wrapper, which lets nothing outside it through.
 */
export async function probeZfs(run: Runner, under?: string): Promise<Dialect> {
  const args = ['list', '-H', '-p', '-o', 'name', '-d', '0', ...(under === undefined ? [] : [under])];
  return { modern: await supported(run, args, ['no-such-dataset']) };
}

/** One replication feature (a field of Capabilities but the dialect). */
export type Feature = Exclude<keyof Capabilities, keyof Dialect>;

/** Features only a source has: a target is never sent from, held or bookmarked by zbk. */
const SOURCE_ONLY: ReadonlySet<Feature> = new Set(['bookmarks', 'listHolds', 'sendEstimate']);

/**
 * Whether zfs has `feature`: one command. With `under` (a replication target, maybe behind the
 * forced-command wrapper): only what a target does, receiving (`-u`, `-s`), probed under that
 * dataset; the source-only features are false there, unasked.
 */
export async function probeFeature(run: Runner, feature: Feature, under?: string): Promise<boolean> {
  if (under !== undefined && SOURCE_ONLY.has(feature)) return false;
  const ds = under ?? NO_SUCH_DATASET;
  switch (feature) {
    case 'receiveUnmounted':
      // Option parsing comes first: with no dataset, zfs stops at "missing snapshot argument", reading no stream.
      return supported(run, ['receive', '-u'], ['missing-argument']);
    case 'resumable':
      return supported(run, ['get', '-H', '-o', 'value', 'receive_resume_token', ds], ['no-such-dataset']);
    case 'bookmarks':
      return supported(run, ['list', '-H', '-o', 'name', '-t', 'bookmark', ds], ['no-such-dataset']);
    case 'listHolds':
      return supported(run, ['holds', '-H', `${ds}@${NO_SUCH_DATASET}`], ['no-such-dataset']);
    case 'sendEstimate':
      return supported(run, ['send', '-n', '-v', '-P', `${ds}@${NO_SUCH_DATASET}`], ['no-such-dataset']);
  }
}

/**
 * Whether zfs takes `args`: it succeeds, or fails with one of `after` (a failure that comes
 * after the options were read); false when it refuses them as unsupported.
 */
async function supported(run: Runner, args: readonly string[], after: readonly string[]): Promise<boolean> {
  try {
    await run('zfs', args, { busyRetryMs: 0 });
    return true;
  } catch (e) {
    if (!(e instanceof ZfsError)) throw e;
    if (e.kind === 'unsupported') return false;
    if (after.includes(e.kind)) return true;
    throw e;
  }
}

/** Whether `zpool status -j` (OpenZFS 2.3+, FreeBSD 15) exists. */
export async function probeStatusJson(run: Runner): Promise<boolean> {
  try {
    await run('zpool', ['status', '-j', 'zbk-probe-no-such-pool'], { busyRetryMs: 0 });
    return true;
  } catch (e) {
    if (e instanceof ZfsError && e.kind === 'no-such-pool') return true;
    if (e instanceof ZfsError && e.kind === 'unsupported') return false;
    throw e;
  }
}
