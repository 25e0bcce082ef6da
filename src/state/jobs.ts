/** What zbk remembers of each job's runs: `<state_dir>/jobs/<job>.json`. */
import { join } from 'node:path';
import type { Outcome } from '../sync/exit-policy.js';
import type { RsyncStats } from '../sync/stats.js';
import { checkStateDir } from './dir.js';
import { readStateFile } from './read-state.js';
import { writeJson } from './store.js';

export interface Attempt {
  /** Wall-clock times, always real. */
  readonly start: string;
  readonly end: string;
  /**
   * The `--now` instant of a simulated run (which named its snapshot and anchored its
   * retention), or null for a run on the clock. Absent in files written before zbk recorded it:
   * read as null.
   */
  readonly simulated: string | null;
  readonly outcome: Outcome;
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

// Where the commands import it from since before replica states: one class for every state file.
export { StateUnreadable } from './read-state.js';

export const jobStateFile = (stateDir: string, job: string) => join(stateDir, 'jobs', `${job}.json`);

/** The job's state; null when it never ran. Throws StateUnreadable, naming the file, for anything else. */
export async function readJobState(stateDir: string, job: string): Promise<JobState | null> {
  if (!(await checkStateDir(stateDir))) return null; // refused (exit 78) before anything in it is read
  const state = await readStateFile<JobState>(jobStateFile(stateDir, job), 'job state', stateProblem);
  return state && withSimulated(state);
}

/** The instant an attempt stands for: its --now when simulated, else when it ended. */
export const attemptTime = (a: Attempt): string => a.simulated ?? a.end;

/** States written before `simulated` existed read as runs on the clock. */
function withSimulated(state: JobState): JobState {
  const fill = (a: Attempt | null) => (a === null ? null : { ...a, simulated: a.simulated ?? null });
  return { ...state, lastAttempt: fill(state.lastAttempt), lastSuccess: fill(state.lastSuccess) };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const stringOrNull = (v: unknown) => v === null || typeof v === 'string';
const instant = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v));

/**
 * What is wrong with the shape of a parsed state file, or null. Checked, not trusted: a
 * state whose last success had no readable end would make `zbk status` say nothing is wrong.
 */
function stateProblem(data: unknown): string | null {
  if (!isObject(data)) return 'not an object';
  if (typeof data.job !== 'string' || typeof data.dataset !== 'string') return 'job or dataset missing';
  for (const key of ['lastAttempt', 'lastSuccess'] as const) {
    const a = data[key];
    if (a === null) continue;
    if (!isObject(a)) return `${key} is not an object`;
    if (!instant(a.start) || !instant(a.end)) return `${key} has no start or end instant`;
    if (a.outcome !== 'ok' && a.outcome !== 'warning' && a.outcome !== 'failed') return `${key} has no outcome`;
    if (!stringOrNull(a.message) || !stringOrNull(a.snapshot)) return `${key} has a wrong message or snapshot`;
    if (a.simulated !== undefined && a.simulated !== null && !instant(a.simulated)) return `${key} has a wrong simulated instant`;
    if (a.stats !== null && !(isObject(a.stats) && typeof a.stats.literalData === 'number')) return `${key} has wrong stats`;
  }
  return null;
}

/**
 * Records an attempt over `previous` (what readJobState gave at the start of the run, under
 * the job's lock); the last success is kept across failures.
 */
export async function recordAttempt(stateDir: string, job: string, dataset: string, attempt: Attempt, previous: JobState | null): Promise<JobState> {
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
