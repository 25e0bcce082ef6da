/**
 * How each job stands (pure): WARNING when its last success is older than `stale_after`,
 * CRITICAL at twice that or when it never succeeded; OK otherwise. UNKNOWN when its state
 * file cannot be read: when it last succeeded is not known.
 *
 * A run under `--now` counts at its simulated instant (attemptTime), so that `zbk status --now`
 * after nights simulated with `zbk run --now` compares like with like; the reason says so.
 */
import type { Job } from '../config/types.js';
import { attemptTime, type JobState } from '../state/jobs.js';
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

/** A job whose state file cannot be read: UNKNOWN, with the reason (which names the file). */
export function unreadableStatus(job: Job, reason: string): JobStatus {
  return { job: job.name, dataset: job.dataset, state: null, unreadable: true, alert: 'unknown', reason, ageSeconds: null, lastSuccessAt: null };
}
