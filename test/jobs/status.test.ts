/** How a job stands (pure): OK, WARNING past stale_after, CRITICAL past twice that or never a success. */
import test from 'ava';
import { parseConfig } from '../../src/config/load.js';
import type { Job } from '../../src/config/types.js';
import { formatAge, jobStatus, unreadableStatus } from '../../src/jobs/status.js';
import type { Attempt, JobState } from '../../src/state/jobs.js';

async function job(staleAfter?: string): Promise<Job> {
  const config = await parseConfig(`[[job]]
name = "usa-vds"
dataset = "tank/backup/usa-vds"
${staleAfter ? `stale_after = "${staleAfter}"` : ''}
`, '/test/zbk.toml');
  return config.jobs[0]!;
}

const attempt = (end: string, outcome: Attempt['outcome'], message: string | null = null): Attempt => ({
  start: end, end, simulated: null, outcome, message, snapshot: outcome === 'failed' ? null : 'tank/backup/usa-vds@zbk_x', stats: null,
});

const state = (lastAttempt: Attempt | null, lastSuccess: Attempt | null): JobState => ({
  job: 'usa-vds', dataset: 'tank/backup/usa-vds', lastAttempt, lastSuccess,
});

const at = (iso: string) => new Date(iso);
const okAt3 = attempt('2026-11-26T03:00:00Z', 'ok');

test('never ran: CRITICAL', async (t) => {
  const s = jobStatus(await job(), null, at('2026-11-26T12:00:00Z'));
  t.like(s, { job: 'usa-vds', dataset: 'tank/backup/usa-vds', alert: 'critical', reason: 'never ran', ageSeconds: null, state: null });
});

test('ran but never succeeded: CRITICAL, with the last attempt\'s words', async (t) => {
  const failed = attempt('2026-11-26T03:00:05Z', 'failed', 'rsync failed with code 255 (unexplained error): ssh: connect to host vds port 22: Connection refused; no snapshot taken');
  const s = jobStatus(await job(), state(failed, null), at('2026-11-26T04:00:00Z'));
  t.is(s.alert, 'critical');
  t.is(s.reason, `never succeeded; last attempt failed: ${failed.message}`);
});

test('the default stale_after is 36h: OK before, WARNING from 36h, CRITICAL from 72h', async (t) => {
  const j = await job();
  const s = state(okAt3, okAt3);
  t.like(jobStatus(j, s, at('2026-11-26T03:00:00Z')), { alert: 'ok', reason: 'last success 0m ago', ageSeconds: 0 });
  t.like(jobStatus(j, s, at('2026-11-27T14:59:59Z')), { alert: 'ok', ageSeconds: 36 * 3600 - 1 });
  t.like(jobStatus(j, s, at('2026-11-27T15:00:00Z')), { alert: 'warning', reason: 'last success 36h ago (over stale_after 36h)' });
  t.like(jobStatus(j, s, at('2026-11-29T02:59:59Z')), { alert: 'warning' });
  t.like(jobStatus(j, s, at('2026-11-29T03:00:00Z')), { alert: 'critical', reason: 'last success 3d ago (over twice stale_after 36h)' });
});

test('a failed attempt after the last success is said, whatever the alert', async (t) => {
  const j = await job('1d');
  const failed = attempt('2026-11-27T03:00:10Z', 'failed', 'pre_hook failed (exit 1); the pull was skipped');
  const s = state(failed, okAt3);
  t.like(jobStatus(j, s, at('2026-11-27T04:00:00Z')), {
    alert: 'warning', reason: 'last success 25h ago (over stale_after 1d); last attempt failed: pre_hook failed (exit 1); the pull was skipped',
  });
  t.like(jobStatus(j, s, at('2026-11-26T20:00:00Z')), { alert: 'ok', reason: 'last success 17h ago; last attempt failed: pre_hook failed (exit 1); the pull was skipped' });
});

test('a warning outcome counts as a success; a clock behind the last success reads as age 0', async (t) => {
  const warned = attempt('2026-11-26T03:00:00Z', 'warning', 'rsync completed with code 24 (partial transfer due to vanished source files): file has vanished: "/tmp/x"');
  const s = jobStatus(await job(), state(warned, warned), at('2026-11-25T00:00:00Z'));
  t.like(s, { alert: 'ok', ageSeconds: 0 });
});

test('ages read as minutes, hours up to two days, then days', (t) => {
  t.is(formatAge(0), '0m');
  t.is(formatAge(3599), '59m');
  t.is(formatAge(3600), '1h');
  t.is(formatAge(172_799), '47h');
  t.is(formatAge(172_800), '2d');
});

test('a state file that cannot be read: UNKNOWN with the reason, no age, no state', async (t) => {
  const reason = '/var/db/zbk/jobs/usa-vds.json: not valid JSON (Unexpected end of JSON input); move it aside to start afresh';
  t.deepEqual(unreadableStatus(await job(), reason), {
    job: 'usa-vds', dataset: 'tank/backup/usa-vds', alert: 'unknown', reason, ageSeconds: null, lastSuccessAt: null, state: null, unreadable: true,
  });
});

test('a success under --now counts at its simulated instant, not at the real time it ran, and says so', async (t) => {
  const j = await job('2d');
  // Simulated on 1 March, run for real on 1 December.
  const simulated: Attempt = { ...attempt('2026-12-01T04:00:00Z', 'ok'), simulated: '2026-03-01T03:00:00Z' };
  const s = state(simulated, simulated);
  t.like(jobStatus(j, s, at('2026-03-01T04:00:00Z')), {
    alert: 'ok', reason: 'last simulated success 1h ago', ageSeconds: 3600, lastSuccessAt: '2026-03-01T03:00:00Z',
  });
  t.like(jobStatus(j, s, at('2026-03-04T03:00:00Z')), { alert: 'warning', reason: 'last simulated success 3d ago (over stale_after 2d)' });
  t.like(jobStatus(j, s, at('2026-12-01T05:00:00Z')), { alert: 'critical' }, 'the real clock months later: the simulated night is old');
  t.like(jobStatus(j, state(okAt3, okAt3), at('2026-11-26T04:00:00Z')), { reason: 'last success 1h ago', lastSuccessAt: '2026-11-26T03:00:00Z' });
});
