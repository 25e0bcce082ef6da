/**
 * How each job stands (pure): WARNING when its last success is older than `stale_after`,
 * CRITICAL at twice that or when it never succeeded; OK otherwise. UNKNOWN when its state
 * file cannot be read: when it last succeeded is not known.
 *
 * A run under `--now` counts at its simulated instant (attemptTime), so that `zbk status --now`
 * after nights simulated with `zbk run --now` compares like with like; the reason says so.
 */
import type { Job, Target } from '../config/types.js';
import { attemptTime, type JobState } from '../state/jobs.js';
import type { ReplicaCopy, ReplicaState } from '../state/replicas.js';
import type { Alert } from '../health/alert.js';
import { durationMs } from '../util/duration.js';

export interface JobStatus {
  readonly job: string;
  readonly dataset: string;
  readonly alert: Alert;
  readonly reason: string;
  /** Seconds since the last success, or null when there was none. */
  readonly ageSeconds: number | null;
  /** The instant the last success stands for (its --now when simulated), or null. */
  readonly lastSuccessAt: string | null;
  readonly state: JobState | null;
  /** True when the state file could not be read (the reason says why). */
  readonly unreadable: boolean;
}

export function formatAge(seconds: number): string {
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

export function jobStatus(job: Job, state: JobState | null, now: Date): JobStatus {
  const base = { job: job.name, dataset: job.dataset, state, unreadable: false };
  const success = state?.lastSuccess;
  if (!success) {
    const why = state?.lastAttempt ? `never succeeded; last attempt ${state.lastAttempt.outcome}: ${state.lastAttempt.message ?? ''}`.trim() : 'never ran';
    return { ...base, alert: 'critical', reason: why, ageSeconds: null, lastSuccessAt: null };
  }
  const lastSuccessAt = attemptTime(success);
  const ageSeconds = Math.max(0, Math.round((now.getTime() - Date.parse(lastSuccessAt)) / 1000));
  const stale = durationMs(job.staleAfter) / 1000;
  const failedSince = state.lastAttempt && state.lastAttempt.outcome === 'failed' ? `; last attempt failed: ${state.lastAttempt.message ?? ''}` : '';
  const age = `last ${success.simulated ? 'simulated ' : ''}success ${formatAge(ageSeconds)} ago`;
  const aged = { ...base, ageSeconds, lastSuccessAt };
  if (ageSeconds >= 2 * stale) return { ...aged, alert: 'critical', reason: `${age} (over twice stale_after ${job.staleAfter.text})${failedSince}` };
  if (ageSeconds >= stale) return { ...aged, alert: 'warning', reason: `${age} (over stale_after ${job.staleAfter.text})${failedSince}` };
  return { ...aged, alert: 'ok', reason: `${age}${failedSince}` };
}

export interface ReplicaStatus {
  readonly job: string;
  readonly target: string;
  readonly destination: string;
  readonly alert: Alert;
  readonly reason: string;
  /** The newest copy on the target (the base of the next send), or null when it has none yet. */
  readonly newest: ReplicaCopy | null;
  /** Seconds from the newest copy's instant (its name's) to now; null without a copy. */
  readonly lagSeconds: number | null;
  readonly state: ReplicaState | null;
  readonly unreadable: boolean;
}

/**
 * How a job's copies on one target stand (pure). The lag is the age of the newest copy there,
 * by the instant in its name, so that it reads like the job's own snapshots (and like them
 * under `--now`). WARNING once the lag passes the target's stale_after — never CRITICAL: a
 * target that is away (a USB pool on the shelf, a host down) leaves the source's history
 * whole, and the catch-up is one incremental stream.
 *
 * A target that never received a copy is a WARNING as soon as the job has succeeded: the
 * job's history is then on one box only, and zbk keeps no instant to count stale_after from
 * (the job's last success moves every night). Before the job's first success it is OK:
 * there is nothing to send, and the job's own row says why.
 */
export function replicaStatus(job: Job, target: Target, state: ReplicaState | null, jobState: JobState | null, now: Date): ReplicaStatus {
  const base = { job: job.name, target: target.name, destination: state?.destination ?? `${target.dataset}/${job.name}`, state, unreadable: false };
  const last = state?.lastAttempt;
  const lastSaid = last && last.outcome !== 'ok' ? `; last attempt ${last.outcome}${last.message ? `: ${last.message}` : ''}` : '';
  const newest = state?.base ?? null;
  if (!newest) {
    if (!jobState?.lastSuccess) return { ...base, alert: 'ok', reason: 'no copy yet: the job has no snapshot to send', newest, lagSeconds: null };
    const never = last ? lastSaid || '; the last attempt sent nothing' : '; zbk replicate never ran for it';
    return { ...base, alert: 'warning', reason: `no copy on ${target.name} yet${never}`, newest, lagSeconds: null };
  }
  const lagSeconds = Math.max(0, Math.round((now.getTime() - Date.parse(newest.time)) / 1000));
  const age = `newest copy ${newest.name}, ${formatAge(lagSeconds)} old`;
  const aged = { ...base, newest, lagSeconds };
  if (lagSeconds >= durationMs(target.staleAfter) / 1000) {
    return { ...aged, alert: 'warning', reason: `${age} (over stale_after ${target.staleAfter.text})${lastSaid}` };
  }
  return { ...aged, alert: 'ok', reason: `${age}${lastSaid}` };
}

/** A replica state file that cannot be read: UNKNOWN (the reason names the file). */
export function unreadableReplica(job: Job, target: Target, reason: string): ReplicaStatus {
  return {
    job: job.name, target: target.name, destination: `${target.dataset}/${job.name}`,
    state: null, unreadable: true, alert: 'unknown', reason, newest: null, lagSeconds: null,
  };
}

/** A job whose state file cannot be read: UNKNOWN, with the reason (which names the file). */
export function unreadableStatus(job: Job, reason: string): JobStatus {
  return { job: job.name, dataset: job.dataset, state: null, unreadable: true, alert: 'unknown', reason, ageSeconds: null, lastSuccessAt: null };
}
