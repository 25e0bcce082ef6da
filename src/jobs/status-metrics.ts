/**
 * `zbk status --format prometheus`: the jobs' and their replicas' standing as gauges for the
 * node_exporter textfile collector (beside `zbk scrub-report --format prometheus`, whose pool
 * families these do not repeat). Ages are +Inf when there is nothing to measure from (no
 * success, no copy), so that a `> threshold` rule fires on them too.
 */
import { nagiosExitCode } from '../health/alert.js';
import { renderGauges } from '../health/render/prometheus.js';
import type { JobStatus, ReplicaStatus } from './status.js';

const age = (seconds: number | null) => seconds ?? Infinity;

export function renderStatusMetrics(jobs: readonly JobStatus[], replicas: readonly ReplicaStatus[]): string {
  const perJob = (name: string, help: string, value: (s: JobStatus) => number) =>
    ({ name, help, samples: jobs.map((s) => ({ labels: { job: s.job }, value: value(s) })) });
  const perReplica = (name: string, help: string, value: (r: ReplicaStatus) => number) =>
    ({ name, help, samples: replicas.map((r) => ({ labels: { job: r.job, target: r.target }, value: value(r) })) });
  return renderGauges([
    perJob('zbk_job_alert', "zbk's verdict on the job, as Nagios codes: 0 ok, 1 warning, 2 critical, 3 unknown.", (s) => nagiosExitCode(s.alert)),
    perJob(
      'zbk_job_last_success_age_seconds',
      "Seconds since the job's last success (its --now when simulated); +Inf when it never succeeded or its state cannot be read.",
      (s) => age(s.ageSeconds),
    ),
    perReplica(
      'zbk_replica_lag_seconds',
      'Age of the newest copy of the job on the target, by the instant in its name; +Inf when the target has no copy yet.',
      (r) => age(r.lagSeconds),
    ),
    perReplica(
      'zbk_replica_alert',
      "zbk's verdict on the job's copies on the target, as Nagios codes: 0 ok, 1 warning (past stale_after), 3 unknown.",
      (r) => nagiosExitCode(r.alert),
    ),
  ]);
}
