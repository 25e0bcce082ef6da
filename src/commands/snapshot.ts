/**
 * `zbk snapshot [--job N]... [DATASET]... [--now T] [--force]`: dated snapshots, atomic per pool
 * where ZFS allows. A `--now` more than a day ahead of the clock is refused on a dataset with
 * real snapshots unless `--force` (src/jobs/snapshot.ts); the other datasets are still taken.
 */
import { clock, configFor, zfsFor, type CommonArgs } from '../cli/context.js';
import { EXIT } from '../cli/exit.js';
import { futureNowRefusal, takeSnapshots } from '../jobs/snapshot.js';
import { targets } from '../cli/targets.js';
import { ZfsError } from '../zfs/errors.js';
import type { Zfs } from '../zfs/zfs.js';

interface SnapshotArgs extends CommonArgs {
  readonly datasets?: string[];
  readonly force?: boolean;
}

export async function run(args: SnapshotArgs): Promise<number> {
  const now = clock(args);
  const config = await configFor(args, { optional: true });
  const zfs = zfsFor(config);
  const datasets = targets(config, args.job, args.datasets).map((t) => t.dataset);
  const refused = args.force ? [] : await refusals(zfs, datasets, config.prefix, now);
  const r = await takeSnapshots(zfs, datasets.filter((ds) => !refused.some((f) => f.dataset === ds)), config.prefix, now);
  const failed = [...refused, ...r.failed];
  if (args.format === 'json') {
    process.stdout.write(`${JSON.stringify({ snapshot: r.name, taken: r.taken, failed })}\n`);
  } else {
    for (const ds of r.taken) process.stdout.write(`${ds}@${r.name}\n`);
  }
  for (const f of failed) process.stderr.write(`zbk: snapshot of ${f.dataset} failed: ${f.reason}\n`);
  return failed.length > 0 ? EXIT.failed : EXIT.ok;
}

/** The datasets a `--now` from the future must not touch, with why (a listing that fails counts too). */
async function refusals(zfs: Zfs, datasets: readonly string[], prefix: string, now: Date) {
  const out: { dataset: string; reason: string }[] = [];
  const clockNow = new Date();
  for (const dataset of datasets) {
    try {
      const reason = await futureNowRefusal(zfs, dataset, prefix, now, clockNow);
      if (reason) out.push({ dataset, reason });
    } catch (e) {
      if (!(e instanceof ZfsError)) throw e;
      out.push({ dataset, reason: `cannot tell whether it holds real snapshots: ${e.message}` });
    }
  }
  return out;
}
