/** Taking zbk's dated snapshots: `<prefix>_YYYY-MM-DDTHHMMSSZ`, one instant for all datasets. */
import { isReal, nowFromTheFuture } from '../retention/future-names.js';
import { formatSnapshotName } from '../retention/naming.js';
import { isoSeconds } from '../time/iso.js';
import type { Zfs } from '../zfs/zfs.js';

interface SnapshotOutcome {
  readonly name: string;
  /** Datasets whose snapshot was taken. */
  readonly taken: string[];
  readonly failed: { readonly dataset: string; readonly reason: string }[];
}

export async function takeSnapshots(zfs: Zfs, datasets: readonly string[], prefix: string, now: Date): Promise<SnapshotOutcome> {
  const name = formatSnapshotName(prefix, now);
  const result = await zfs.snapshot(datasets.map((ds) => `${ds}@${name}`));
  const datasetOf = (full: string) => full.slice(0, full.lastIndexOf('@'));
  return {
    name,
    taken: result.taken.map(datasetOf),
    failed: result.failed.flatMap(({ names, error }) =>
      names.map((full) => ({
        dataset: datasetOf(full),
        reason: error.kind === 'exists'
          ? `${full} already exists (zbk takes at most one snapshot a second; nothing was overwritten)`
          : error.message,
      })),
    ),
  };
}

/**
 * Why a snapshot of `dataset` named by `now` (a `--now`) must not be taken, or null. A name more
 * than a day after the clock would stop every prune of the dataset (src/jobs/prune.ts), so it is
 * refused where there is real history to prune (see isReal); an empty dataset, or one holding
 * only simulated snapshots, is a rehearsal and may live in any year. Lists the snapshots only
 * when `now` is that far ahead; a ZfsError of the listing is thrown.
 */
export async function futureNowRefusal(zfs: Zfs, dataset: string, prefix: string, now: Date, clock: Date): Promise<string | null> {
  if (!nowFromTheFuture(now, clock)) return null;
  const real = (await zfs.listSnapshots(dataset)).filter((s) => isReal(s, prefix));
  if (real.length === 0) return null;
  const count = real.length === 1 ? '1 real snapshot' : `${real.length} real snapshots`;
  return `--now ${isoSeconds(now)} is more than a day after the clock (${isoSeconds(clock)}), and ${dataset} holds ${count} ` +
    `(the last taken: ${real.at(-1)!.name}): a snapshot named in the future would stop every prune of it; ` +
    'rehearsals belong on a scratch pool (zpool create on a file); --force to do it anyway';
}
