/** Taking zbk's dated snapshots: `<prefix>_YYYY-MM-DDTHHMMSSZ`, one instant for all datasets. */
import { formatSnapshotName } from '../retention/naming.js';
import type { Zfs } from '../zfs/zfs.js';

export interface SnapshotOutcome {
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
