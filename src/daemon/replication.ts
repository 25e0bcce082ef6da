/**
 * When the daemon replicates (pure). A target with a `schedule` receives, on that schedule,
 * every job that names it in `replicate`; a target without one receives a job's snapshots right
 * after each run of that job that took a snapshot. Replications run in their own queue beside
 * the jobs' (commands/daemon.ts): a transfer to a slow or distant target never delays a pull,
 * and the service takes the target's lock, so a `zbk replicate` by hand and the daemon never
 * send to one target at once.
 *
 * At start, what was missed while the daemon was not running is caught up: a scheduled target
 * whose jobs were not all attempted since its previous fire, and a job whose last success came
 * after its last attempt toward an unscheduled target.
 */
import type { Config, Job, Target } from '../config/types.js';
import { previousFire } from './schedule.js';

export interface Pair {
  readonly job: Job;
  readonly target: Target;
}

export interface ScheduledTarget {
  readonly target: Target;
  readonly schedule: string;
  /** The jobs that name it, in the config's order. */
  readonly jobs: readonly Job[];
}

export interface ReplicationSchedule {
  readonly scheduled: readonly ScheduledTarget[];
  /** Per job name: the targets without a schedule, replicated right after each of its runs. */
  readonly afterRun: ReadonlyMap<string, readonly Target[]>;
}

export function replicationSchedule(config: Config): ReplicationSchedule {
  const jobsOf = (t: Target) => config.jobs.filter((j) => j.replicate.includes(t.name));
  const scheduled = config.targets.flatMap((target) =>
    target.schedule === null ? [] : [{ target, schedule: target.schedule, jobs: jobsOf(target) }],
  ).filter((s) => s.jobs.length > 0);
  const afterRun = new Map(config.jobs.map((job) => [job.name, config.targets.filter((t) => t.schedule === null && job.replicate.includes(t.name))]));
  return { scheduled, afterRun };
}

/** The id of a scheduled target's task, and of a job's replication to a target after its run. */
export const targetTaskId = (target: string): string => `target ${target}`;
export const pairTaskId = (job: string, target: string): string => `target ${target}: ${job}`;

/** What the catch-up reads: per job and target, when the last replication attempt ended; per job, its last success. */
export interface ReplicationHistory {
  lastAttemptEnd(job: string, target: string): Date | null;
  lastJobSuccess(job: string): Date | null;
}

/** Whether a scheduled target missed its last fire: some job of it was not attempted since. */
export function missedTargetRun(s: ScheduledTarget, timeZone: string, history: ReplicationHistory, now: Date): boolean {
  const fired = previousFire(s.schedule, timeZone, now).getTime();
  return s.jobs.some((job) => {
    if (history.lastJobSuccess(job.name) === null) return false; // nothing to send yet
    const last = history.lastAttemptEnd(job.name, s.target.name);
    return last === null || last.getTime() < fired;
  });
}

/** The job×target pairs without a schedule whose last job success is newer than their last attempt. */
export function missedAfterRun(schedule: ReplicationSchedule, jobs: readonly Job[], history: ReplicationHistory): Pair[] {
  return jobs.flatMap((job) => {
    const success = history.lastJobSuccess(job.name);
    if (success === null) return [];
    return (schedule.afterRun.get(job.name) ?? []).flatMap((target) => {
      const last = history.lastAttemptEnd(job.name, target.name);
      return last === null || last.getTime() < success.getTime() ? [{ job, target }] : [];
    });
  });
}
