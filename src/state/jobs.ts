/** What zbk remembers of each job's runs: `<state_dir>/jobs/<job>.json`. */
import { join } from 'node:path';
import type { RsyncStats } from '../sync/stats.js';
import { checkStateDir } from './dir.js';
import { readJson, writeJson } from './store.js';

export type JobOutcome = 'ok' | 'warning' | 'failed';

export interface Attempt {
  readonly start: string;
  readonly end: string;
  readonly outcome: JobOutcome;
  /** Why it failed or warned, in rsync's, zfs's or the hook's own words. */
  readonly message: string | null;
  readonly snapshot: string | null;
  readonly stats: RsyncStats | null;
}

export interface JobState {
  readonly job: string;
  readonly dataset: string;
  readonly lastAttempt: Attempt | null;
  /** The last attempt that took its snapshot (ok or warning). */
  readonly lastSuccess: Attempt | null;
}

export const jobStateFile = (stateDir: string, job: string) => join(stateDir, 'jobs', `${job}.json`);

/** A state_dir zbk must not trust is refused (exit 78) before anything in it is read. */
export async function readJobState(stateDir: string, job: string): Promise<JobState | null> {
  if (!(await checkStateDir(stateDir))) return null;
  return readJson<JobState>(jobStateFile(stateDir, job));
}

export async function recordAttempt(stateDir: string, job: string, dataset: string, attempt: Attempt): Promise<JobState> {
  const previous = await readJobState(stateDir, job);
  const next: JobState = {
    job,
    dataset,
    lastAttempt: attempt,
    lastSuccess: attempt.outcome === 'failed' ? (previous?.lastSuccess ?? null) : attempt,
  };
  await checkStateDir(stateDir, { create: true });
  await writeJson(jobStateFile(stateDir, job), next);
  return next;
}
