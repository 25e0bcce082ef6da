/**
 * `zbk init`: a job's dataset, made ready for `zbk run`. A missing one is created with the
 * properties backups want: nothing on it runs or is trusted (FreeBSD's daily security run
 * walks every mounted filesystem for setuid files), no atime writes that would make every
 * snapshot differ, compression, the job's recordsize, and `zbk:job`, which marks it as the
 * job's own. An existing one is adopted (given `zbk:job`, nothing else) only when asked,
 * and never when it is another job's or when `zbk run` could not pull into it.
 */
import type { Config, Job } from '../config/types.js';
import { createDatasetArgs, setPropertyArgs } from '../zfs/datasets.js';
import type { Dialect } from '../zfs/probe.js';
import { userProperty } from '../zfs/properties.js';
import type { Zfs } from '../zfs/zfs.js';
import { adoptCommand, listOnce, OWNER_PROPERTY, ownershipProblem, placeProblem } from './destination.js';

function datasetProperties(job: Job, caps: Dialect): Record<string, string> {
  return {
    atime: 'off',
    setuid: 'off',
    exec: 'off',
    devices: 'off',
    compression: caps.modern ? 'lz4' : 'on',
    ...(job.recordsize ? { recordsize: job.recordsize } : {}),
    [OWNER_PROPERTY]: job.name,
  };
}

interface InitOptions {
  readonly adopt: boolean;
  readonly dryRun: boolean;
}

/** What init did with one job's dataset: `ok` false when it refused or failed. */
interface InitOutcome {
  readonly ok: boolean;
  /** Left alone but needing the admin: an existing dataset not marked as the job's. */
  readonly attention: boolean;
  readonly text: string;
}

const done = (text: string, attention = false): InitOutcome => ({ ok: true, attention, text });
const refused = (text: string): InitOutcome => ({ ok: false, attention: false, text });

/** Creates or adopts the job's dataset. ZfsErrors reach the caller. */
export async function initDataset(zfs: Zfs, config: Config, job: Job, o: InitOptions): Promise<InitOutcome> {
  const ds = job.dataset;
  if (!(await zfs.exists(ds))) {
    const props = datasetProperties(job, await zfs.dialect());
    if (o.dryRun) return done(`${ds}: would run zfs ${createDatasetArgs(ds, props).join(' ')}`);
    await zfs.createDataset(ds, props);
    return done(`${ds}: created (${Object.entries(props).map(([k, v]) => `${k}=${v}`).join(' ')})`);
  }
  const props = (await zfs.getProperties([ds], [OWNER_PROPERTY, 'mountpoint', 'mounted'])).get(ds);
  const owner = userProperty(props, OWNER_PROPERTY);
  if (owner === job.name) return done(`${ds}: exists, job ${job.name}'s (${OWNER_PROPERTY}=${owner}), left as it is`);
  if (owner !== null) return refused(`${ownershipProblem(job, owner, new Set(config.jobs.map((j) => j.name)))}`);
  if (!o.adopt) {
    const why = job.source ? '`zbk run` will not pull into it' : 'a snapshot-only job needs no mark';
    return done(`${ds}: exists, not marked as job ${job.name}'s (${OWNER_PROPERTY} unset; ${why}), left as it is; ` +
      `if it is this job's, run \`${adoptCommand(job.name)}\``, job.source !== null);
  }
  const mountpoint = props?.get('mountpoint') ?? '';
  const problem = job.source ? await placeProblem(listOnce(zfs), config, job, mountpoint, props?.get('mounted') === 'yes') : null;
  if (problem) return refused(`${ds}: not adopted: ${problem}`);
  if (o.dryRun) return done(`${ds}: would run zfs ${setPropertyArgs(ds, OWNER_PROPERTY, job.name).join(' ')}`);
  await zfs.setProperty(ds, OWNER_PROPERTY, job.name);
  return done(`${ds}: adopted by job ${job.name} (${OWNER_PROPERTY}=${job.name}; nothing else changed)`);
}
