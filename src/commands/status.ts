/**
 * `zbk status [--format text|json|prometheus] [--now T]`: per job, how its backups stand, and
 * per job and each of its targets, the newest copy there and its age; Nagios exit codes over
 * both. A run made under `--now` counts at its simulated instant and is marked as simulated;
 * under `--now` the ages are measured from it, and the output says so.
 */
import { clock, configFor, type CommonArgs } from '../cli/context.js';
import { nagiosExitCode, worstAlert } from '../health/alert.js';
import { renderStatusMetrics } from '../jobs/status-metrics.js';
import {
  formatAge, jobStatus, replicaStatus, unreadableReplica, unreadableStatus, type JobStatus, type ReplicaStatus,
} from '../jobs/status.js';
import { replicationLabel } from '../replicate/progress.js';
import { readJobState, StateUnreadable, type Attempt } from '../state/jobs.js';
import { readReplicaState } from '../state/replicas.js';
import { counted } from '../util/plural.js';
import { formatBytes } from '../util/size.js';
import { formatTable } from '../util/table.js';
import { isoSeconds } from '../time/iso.js';

export async function run(args: CommonArgs): Promise<number> {
  const now = clock(args);
  const config = await configFor(args);
  const statuses: JobStatus[] = [];
  const replicas: ReplicaStatus[] = [];
  for (const job of config.jobs) {
    // One unreadable state file makes its own job (or job and target) UNKNOWN, not the whole report.
    const state = await orUnreadable(readJobState(config.stateDir, job.name));
    const status = state instanceof StateUnreadable ? unreadableStatus(job, state.message) : jobStatus(job, state, now);
    statuses.push(status);
    for (const target of config.targets.filter((t) => job.replicate.includes(t.name))) {
      const replica = await orUnreadable(readReplicaState(config.stateDir, job.name, target.name));
      replicas.push(replica instanceof StateUnreadable ? unreadableReplica(job, target, replica.message) : replicaStatus(job, target, replica, status.state, now));
    }
  }
  const alert = statuses.length === 0 ? 'unknown' : worstAlert([...statuses, ...replicas].map((s) => s.alert));
  if (args.format === 'prometheus') {
    process.stdout.write(renderStatusMetrics(statuses, replicas));
  } else if (args.format === 'json') {
    process.stdout.write(`${JSON.stringify({
      alert,
      now: isoSeconds(now),
      now_simulated: args.now !== undefined,
      jobs: statuses.map((s) => ({
        job: s.job, dataset: s.dataset, alert: s.alert, reason: s.reason, age_seconds: s.ageSeconds,
        last_success_at: s.lastSuccessAt,
        last_attempt: s.state?.lastAttempt ?? null, last_success: s.state?.lastSuccess ?? null,
        replicas: replicas.filter((r) => r.job === s.job).map((r) => ({
          target: r.target, destination: r.destination, alert: r.alert, reason: r.reason,
          newest_copy: r.newest?.name ?? null, newest_copy_time: r.newest?.time ?? null, lag_seconds: r.lagSeconds,
          last_attempt: r.state?.lastAttempt ?? null, last_success: r.state?.lastSuccess ?? null,
        })),
      })),
    })}\n`);
  } else if (statuses.length === 0) {
    process.stdout.write(`UNKNOWN: no jobs in ${config.file}\n`);
  } else {
    const rows = statuses.map((s) => {
      const ok = s.state?.lastSuccess;
      return [
        s.job,
        s.alert.toUpperCase(),
        ok ? `${s.lastSuccessAt} (${formatAge(s.ageSeconds ?? 0)} ago${mark(ok)})` : s.unreadable ? '?' : 'never',
        ok?.snapshot?.split('@')[1] ?? '-',
        s.state?.lastAttempt ? `${s.state.lastAttempt.outcome}${s.state.lastAttempt.simulated ? ' (simulated)' : ''}` : s.unreadable ? '?' : '-',
        ok?.stats ? formatBytes(ok.stats.literalData) : '-',
      ];
    });
    process.stdout.write(`${formatTable([['JOB', 'STATUS', 'LAST SUCCESS', 'LAST SNAPSHOT', 'LAST RUN', 'CHANGED'], ...rows])}\n`);
    // Why, for every job that is not OK or whose last run failed: the message's first line is zbk's diagnosis.
    for (const s of statuses.filter((x) => x.alert !== 'ok' || x.state?.lastAttempt?.outcome === 'failed')) {
      process.stdout.write(`${s.job}: ${s.reason.replaceAll('\n', '\n  ')}\n`);
    }
    if (replicas.length > 0) process.stdout.write(`\n${replicaTable(replicas)}\n`);
    for (const r of replicas.filter((x) => x.alert !== 'ok' || x.state?.lastAttempt?.outcome === 'failed')) {
      process.stdout.write(`${replicationLabel(r.job, r.target)}: ${r.reason.replaceAll('\n', '\n  ')}\n`);
    }
    if (args.now !== undefined) process.stdout.write(`ages as of --now ${isoSeconds(now)}\n`);
    if (statuses.some((s) => s.state?.lastAttempt?.simulated || s.state?.lastSuccess?.simulated)) {
      process.stdout.write('simulated: a run under --now, at the instant it was given\n');
    }
  }
  return nagiosExitCode(alert);
}

const mark = (a: Attempt) => (a.simulated ? ', simulated' : '');

/** A state that cannot be read, as a value: it makes its own row UNKNOWN. */
const orUnreadable = <T>(read: Promise<T>): Promise<T | StateUnreadable> =>
  read.catch((e: unknown) => {
    if (e instanceof StateUnreadable) return e;
    throw e;
  });

function replicaTable(replicas: readonly ReplicaStatus[]): string {
  const rows = replicas.map((r) => {
    const last = r.state?.lastAttempt;
    return [
      r.job,
      r.target,
      r.alert.toUpperCase(),
      r.newest ? `${r.newest.name} (${formatAge(r.lagSeconds ?? 0)} old)` : r.unreadable ? '?' : 'none',
      last ? [last.outcome, last.mode, last.sent.length ? counted(last.sent.length, 'snapshot') : null].filter(Boolean).join(', ') : r.unreadable ? '?' : 'never',
    ];
  });
  return formatTable([['JOB', 'TARGET', 'STATUS', 'NEWEST COPY', 'LAST REPLICATION'], ...rows]);
}
