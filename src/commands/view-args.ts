/** What `history`, `diff` (and `restore`) share: the one job they read, the state_dir their views live under, notes on swept leftovers. */
import type { Config, Job } from '../config/types.js';
import { usageError } from '../cli/errors.js';
import { selectJobs } from '../cli/targets.js';
import { checkStateDir } from '../state/dir.js';
import { viewLabel, type ViewInUse } from '../views/leftovers.js';
import { printable } from '../util/printable.js';

/** Exactly one --job, which must be configured. */
export async function viewedJob(command: string, config: Config, job: string | string[] | undefined): Promise<Job> {
  if (job === undefined) throw usageError(`${command}: name the job with --job`);
  if (Array.isArray(job)) throw usageError(`${command}: --job given ${job.length} times; give it once`);
  const [found] = selectJobs(config, [job]);
  await checkStateDir(config.stateDir, { create: true });
  return found!;
}

export function noteSwept(swept: readonly ViewInUse[]): void {
  for (const v of swept) process.stderr.write(`zbk: removed the ${printable(viewLabel(v))} left by a zbk that was killed (pid ${v.pid})\n`);
}
