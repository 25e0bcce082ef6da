/** `zbk init [--job N]... [--dry-run]`: create the jobs' missing datasets, parents too. */
import { configFor, zfsFor, type CommonArgs } from '../cli/context.js';
import { EXIT } from '../cli/exit.js';
import { usageError } from '../cli/errors.js';
import { datasetProperties } from '../jobs/init.js';
import { selectJobs } from '../jobs/targets.js';
import { createDatasetArgs } from '../zfs/datasets.js';
import { ZfsError } from '../zfs/errors.js';

interface InitArgs extends CommonArgs {
  readonly dryRun?: boolean;
}

export async function run(args: InitArgs): Promise<number> {
  const config = await configFor(args);
  const jobs = selectJobs(config, args.job);
  if (jobs.length === 0) throw usageError(`init: no jobs in ${config.file}`);
  const zfs = zfsFor(config);
  const caps = await zfs.capabilities();
  let code: number = EXIT.ok;
  for (const job of jobs) {
    if (await zfs.exists(job.dataset)) {
      process.stdout.write(`${job.dataset}: exists, left as it is\n`);
      continue;
    }
    const props = datasetProperties(job, caps);
    if (args.dryRun) {
      process.stdout.write(`${job.dataset}: would run zfs ${createDatasetArgs(job.dataset, props).join(' ')}\n`);
      continue;
    }
    try {
      await zfs.createDataset(job.dataset, props);
      process.stdout.write(`${job.dataset}: created (${Object.entries(props).map(([k, v]) => `${k}=${v}`).join(' ')})\n`);
    } catch (e) {
      if (!(e instanceof ZfsError)) throw e;
      process.stderr.write(`zbk: ${job.dataset}: ${e.message}\n`);
      code = EXIT.failed;
    }
  }
  return code;
}
