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
  const job = (s: JobStatus) => ({ job: s.job });
  const pair = (r: ReplicaStatus) => ({ job: r.job, target: r.target });
  return renderGauges([
    {
      name: 'zbk_job_alert',
      help: "zbk's verdict on the job, as Nagios codes: 0 ok, 1 warning, 2 critical, 3 unknown.",
      samples: jobs.map((s) => ({ labels: job(s), value: nagiosExitCode(s.alert) })),
    },
    {
      name: 'zbk_job_last_success_age_seconds',
      help: "Seconds since the job's last success (its --now when simulated); +Inf when it never succeeded or its state cannot be read.",
      samples: jobs.map((s) => ({ labels: job(s), value: age(s.ageSeconds) })),
    },
    {
      name: 'zbk_replica_lag_seconds',
      help: "Age of the newest copy of the job on the target, by the instant in its name; +Inf when the target has no copy yet.",
      samples: replicas.map((r) => ({ labels: pair(r), value: age(r.lagSeconds) })),
    },
    {
      name: 'zbk_replica_alert',
      help: "zbk's verdict on the job's copies on the target, as Nagios codes: 0 ok, 1 warning (past stale_after), 3 unknown.",
      samples: replicas.map((r) => ({ labels: pair(r), value: nagiosExitCode(r.alert) })),
    },
  ]);
}
