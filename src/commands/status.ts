/** `zbk status [--format text|json]`: per job, how its backups stand; Nagios exit codes. */
import { clock, configFor, type CommonArgs } from '../cli/context.js';
import { worstAlert } from '../health/alert.js';
import { nagiosExitCode } from '../health/render/nagios.js';
import { formatAge, jobStatus, unreadableStatus, type JobStatus } from '../jobs/status.js';
import { readJobState, StateUnreadable } from '../state/jobs.js';
import { formatBytes } from '../util/size.js';
import { formatTable } from '../util/table.js';

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
      jobs: statuses.map((s) => ({
        job: s.job, dataset: s.dataset, alert: s.alert, reason: s.reason, age_seconds: s.ageSeconds,
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
        ok ? `${ok.end} (${formatAge(s.ageSeconds ?? 0)} ago)` : s.unreadable ? '?' : 'never',
        ok?.snapshot?.split('@')[1] ?? '-',
        s.state?.lastAttempt?.outcome ?? (s.unreadable ? '?' : '-'),
        ok?.stats ? formatBytes(ok.stats.literalData) : '-',
      ];
    });
    process.stdout.write(`${formatTable([['JOB', 'STATUS', 'LAST SUCCESS', 'LAST SNAPSHOT', 'LAST RUN', 'CHANGED'], ...rows])}\n`);
    // Why, for every job that is not OK or whose last run failed: the message's first line is zbk's diagnosis.
    for (const s of statuses.filter((x) => x.alert !== 'ok' || x.state?.lastAttempt?.outcome === 'failed')) {
      process.stdout.write(`${s.job}: ${s.reason.replaceAll('\n', '\n  ')}\n`);
    }
  }
  return nagiosExitCode(alert);
}
