/**
 * The properties `zbk init` gives a job's dataset: nothing on it runs or is trusted (FreeBSD's
 * daily security run walks every mounted filesystem for setuid files), no atime writes that
 * would make every snapshot differ, compression, and the job's recordsize.
 */
import type { Job } from '../config/types.js';
import type { Capabilities } from '../zfs/probe.js';

export function datasetProperties(job: Job, caps: Capabilities): Record<string, string> {
  return {
    atime: 'off',
    setuid: 'off',
    exec: 'off',
    devices: 'off',
    compression: caps.modern ? 'lz4' : 'on',
    ...(job.recordsize ? { recordsize: job.recordsize } : {}),
    'zbk:job': job.name,
  };
}
