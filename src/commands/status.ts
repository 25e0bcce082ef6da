/**
 * `zbk status [--format text|json] [--now T]`: per job, how its backups stand; Nagios exit
 * codes. A run made under `--now` counts at its simulated instant and is marked as simulated;
 * under `--now` the ages are measured from it, and the output says so.
 */
import { clock, configFor, type CommonArgs } from '../cli/context.js';
import { nagiosExitCode, worstAlert } from '../health/alert.js';
import { formatAge, jobStatus, unreadableStatus, type JobStatus } from '../jobs/status.js';
import { readJobState, StateUnreadable, type Attempt } from '../state/jobs.js';
import { formatBytes } from '../util/size.js';
import { formatTable } from '../util/table.js';
import { isoSeconds } from '../time/iso.js';

export async function run(args: CommonArgs): Promise<number> {
  const now = clock(args);
  const config = await configFor(args);
  const statuses: JobStatus[] = [];
  for (const job of config.jobs) {
    // One unreadable state file makes its own job UNKNOWN, not the whole report.
    const state = await readJobState(config.stateDir, job.name).catch((e: unknown) => {
      if (e instanceof StateUnreadable) return e;
      throw e;
    });
    statuses.push(state instanceof StateUnreadable ? unreadableStatus(job, state.message) : jobStatus(job, state, now));
  }
  const alert = statuses.length === 0 ? 'unknown' : worstAlert(statuses.map((s) => s.alert));
  if (args.format === 'json') {
    process.stdout.write(`${JSON.stringify({
      alert,
      now: isoSeconds(now),
      now_simulated: args.now !== undefined,
      jobs: statuses.map((s) => ({
        job: s.job, dataset: s.dataset, alert: s.alert, reason: s.reason, age_seconds: s.ageSeconds,
        last_success_at: s.lastSuccessAt,
        last_attempt: s.state?.lastAttempt ?? null, last_success: s.state?.lastSuccess ?? null,
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
    if (args.now !== undefined) process.stdout.write(`ages as of --now ${isoSeconds(now)}\n`);
    if (statuses.some((s) => s.state?.lastAttempt?.simulated || s.state?.lastSuccess?.simulated)) {
      process.stdout.write('simulated: a run under --now, at the instant it was given\n');
    }
  }
  return nagiosExitCode(alert);
}

const mark = (a: Attempt) => (a.simulated ? ', simulated' : '');
