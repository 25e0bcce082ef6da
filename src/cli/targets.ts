/** Which datasets a command works on, and the retention policy of each (zbk(8)). */
import type { Config, Job } from '../config/types.js';
import type { Policy } from '../retention/policy.js';
import { usageError } from './errors.js';
import { datasetNameProblem } from '../zfs/names.js';

interface Target {
  readonly dataset: string;
  readonly policy: Policy;
  readonly policyName: string;
  /** The job that owns the dataset, if one does. */
  readonly job: Job | null;
}

/**
 * `--job` names and DATASET arguments, else every job. A dataset keeps the policy of the job
 * that owns it, else `[retention.default]`.
 */
export function targets(config: Config, jobNames: readonly string[] | undefined, datasets: readonly string[] | undefined): Target[] {
  const named = checkedDatasets(datasets ?? []);
  const jobs = named.length > 0 && !jobNames?.length ? [] : selectJobs(config, jobNames);
  const out: Target[] = jobs.map((job) => ({ dataset: job.dataset, policy: job.retention, policyName: job.retentionName, job }));
  for (const dataset of named) {
    if (out.some((t) => t.dataset === dataset)) continue;
    const job = config.jobs.find((j) => j.dataset === dataset) ?? null;
    out.push(job
      ? { dataset, policy: job.retention, policyName: job.retentionName, job }
      : { dataset, policy: config.policies.get('default')!, policyName: 'default', job: null });
  }
  if (out.length === 0) throw usageError('name a dataset or a --job (no jobs are configured)');
  return out;
}

/** The jobs named by --job, in config order; all of them when none is named. */
export function selectJobs(config: Config, names: readonly string[] | undefined): Job[] {
  if (!names || names.length === 0) return [...config.jobs];
  const known = new Set(config.jobs.map((j) => j.name));
  const missing = names.filter((n) => !known.has(n));
  if (missing.length > 0) {
    const where = config.file ?? 'the config (no config file was found)';
    throw usageError(`no job ${missing.map((n) => `"${n}"`).join(', ')} in ${where}${known.size ? ` (jobs: ${[...known].join(', ')})` : ''}`);
  }
  return config.jobs.filter((j) => names.includes(j.name));
}

/** DATASET arguments, each checked as a config's dataset is: a bad one is a usage error. */
export function checkedDatasets(datasets: readonly string[]): readonly string[] {
  for (const dataset of datasets) {
    const problem = datasetNameProblem(dataset);
    if (problem !== null) throw usageError(problem);
  }
  return datasets;
}
