import test from 'ava';
import { parseConfig } from '../../src/config/load.js';
import { renderStatusMetrics } from '../../src/jobs/status-metrics.js';
import { jobStatus, replicaStatus } from '../../src/jobs/status.js';
import type { JobState } from '../../src/state/jobs.js';
import { copyOf, replicaState, webConfig } from '../helpers/replica-state.js';

test('zbk_replica_lag_seconds per job and target, +Inf without a copy; the jobs\' own gauges beside', async (t) => {
  const c = await parseConfig(webConfig(), '/test/zbk.toml');
  const job = c.jobs[0]!;
  const now = new Date('2026-11-26T06:00:00Z');
  const jobState: JobState = {
    job: 'web', dataset: job.dataset, lastAttempt: null,
    lastSuccess: { start: '2026-11-26T03:00:00Z', end: '2026-11-26T03:00:00Z', simulated: null, outcome: 'ok', message: null, snapshot: null, stats: null },
  };
  const copy = copyOf('zbk_2026-11-26T030000Z');
  const offsite = replicaState('web', 'offsite', { base: copy, delivered: [copy] });
  const text = renderStatusMetrics([jobStatus(job, jobState, now)], [
    replicaStatus(job, c.targets[0]!, offsite, jobState, now),
    replicaStatus(job, c.targets[1]!, null, jobState, now),
  ]);
  t.true(text.includes('# TYPE zbk_replica_lag_seconds gauge\nzbk_replica_lag_seconds{job="web",target="offsite"} 10800\nzbk_replica_lag_seconds{job="web",target="usb"} +Inf\n'), text);
  t.true(text.includes('zbk_replica_alert{job="web",target="usb"} 1\n'), text);
  t.true(text.includes('zbk_job_last_success_age_seconds{job="web"} 10800\n'), text);
  t.true(text.includes('zbk_job_alert{job="web"} 0\n'), text);
  t.is(text.match(/^# HELP /gm)?.length, 4);
});
