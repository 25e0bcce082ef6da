/** `zbk status [--format text|json]`: per job, how its backups stand; Nagios exit codes. */
import { clock, configFor, type CommonArgs } from '../cli/context.js';
import { worstAlert } from '../health/alert.js';
import { nagiosExitCode } from '../health/render/nagios.js';
import { formatAge, jobStatus, type JobStatus } from '../jobs/status.js';
import { readJobState } from '../state/jobs.js';
import { formatBytes } from '../util/size.js';
import { formatTable } from '../util/table.js';

export async function run(args: CommonArgs): Promise<number> {
  const now = clock(args);
  const config = await configFor(args);
  const statuses: JobStatus[] = [];
  for (const job of config.jobs) statuses.push(jobStatus(job, await readJobState(config.stateDir, job.name), now));
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
        ok ? `${ok.end} (${formatAge(s.ageSeconds ?? 0)} ago)` : 'never',
        ok?.snapshot?.split('@')[1] ?? '-',
        s.state?.lastAttempt?.outcome ?? '-',
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
