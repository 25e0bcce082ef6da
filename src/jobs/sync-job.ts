/** What rsync needs of a job, for the pull (`zbk run`) and the push back (`zbk restore`) alike. */
import type { Job } from '../config/types.js';
import type { SyncJob } from '../sync/args.js';
import type { Source } from '../sync/source.js';
import { durationMs } from '../util/duration.js';

/** The job's `timeout`, in ms; no timeout is an infinite one. */
export const jobTimeoutMs = (job: Job): number => (job.timeout ? durationMs(job.timeout) : Number.POSITIVE_INFINITY);

/** The job's rsync settings with `source`; keys the job leaves unset are left out, not undefined. */
export function syncJob(job: Job, source: Source): SyncJob {
  return {
    source,
    exclude: job.exclude,
    rsyncArgs: job.rsyncArgs,
    timeoutMs: jobTimeoutMs(job),
    ...(job.sshKey ? { sshKey: job.sshKey } : {}),
    sshPort: job.sshPort,
    ...(job.knownHosts ? { knownHosts: job.knownHosts } : {}),
    ...(job.passwordFile ? { passwordFile: job.passwordFile } : {}),
  };
}
