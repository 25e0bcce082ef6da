/**
 * `zbk init [--job N]... [--adopt] [--dry-run]`: create the jobs' missing datasets (parents
 * too); with --adopt, mark existing ones as the jobs' own. Exit 0 done, 1 an existing
 * dataset was left unmarked (run will not pull into it), 2 something was refused or failed.
 */
import { configFor, zfsFor, type CommonArgs } from '../cli/context.js';
import { EXIT } from '../cli/exit.js';
import { usageError } from '../cli/errors.js';
import { initDataset } from '../jobs/init.js';
import { selectJobs } from '../cli/targets.js';
import { ZfsError } from '../zfs/errors.js';

interface InitArgs extends CommonArgs {
  readonly adopt?: boolean;
  readonly dryRun?: boolean;
}

export async function run(args: InitArgs): Promise<number> {
  const config = await configFor(args);
  const jobs = selectJobs(config, args.job);
  if (jobs.length === 0) throw usageError(`init: no jobs in ${config.file}`);
  const zfs = zfsFor(config);
  let failed = false;
  let attention = false;
  for (const job of jobs) {
    try {
      const r = await initDataset(zfs, config, job, { adopt: args.adopt === true, dryRun: args.dryRun === true });
      if (r.ok) process.stdout.write(`${r.text}\n`);
      else process.stderr.write(`zbk: ${r.text}\n`);
      failed ||= !r.ok;
      attention ||= r.attention;
    } catch (e) {
      if (!(e instanceof ZfsError)) throw e;
      process.stderr.write(`zbk: ${job.dataset}: ${e.message}\n`);
      failed = true;
    }
  }
  return failed ? EXIT.failed : attention ? EXIT.warning : EXIT.ok;
}
