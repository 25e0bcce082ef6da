/** `zbk snapshot [--job N]... [DATASET]... [--now T]`: dated snapshots, atomic per pool where ZFS allows. */
import { clock, configFor, zfsFor, type CommonArgs } from '../cli/context.js';
import { EXIT } from '../cli/exit.js';
import { takeSnapshots } from '../jobs/snapshot.js';
import { targets } from '../jobs/targets.js';

interface SnapshotArgs extends CommonArgs {
  readonly datasets?: string[];
}

export async function run(args: SnapshotArgs): Promise<number> {
  const now = clock(args);
  const config = await configFor(args, { optional: true });
  const datasets = targets(config, args.job, args.datasets).map((t) => t.dataset);
  const r = await takeSnapshots(zfsFor(config), datasets, config.prefix, now);
  if (args.format === 'json') {
    process.stdout.write(`${JSON.stringify({ snapshot: r.name, taken: r.taken, failed: r.failed })}\n`);
  } else {
    for (const ds of r.taken) process.stdout.write(`${ds}@${r.name}\n`);
  }
  for (const f of r.failed) process.stderr.write(`zbk: snapshot of ${f.dataset} failed: ${f.reason}\n`);
  return r.failed.length > 0 ? EXIT.failed : EXIT.ok;
}
