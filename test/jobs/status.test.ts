/**
 * How a job stands (pure): OK, WARNING past stale_after, CRITICAL past twice that or never a success;
 * and how its copies on a target stand: OK, WARNING past the target's stale_after, never a copy, unreadable.
 */
import test from 'ava';
import { parseConfig } from '../../src/config/load.js';
import type { Config, Job } from '../../src/config/types.js';
import { formatAge, jobStatus, replicaStatus, unreadableReplica, unreadableStatus } from '../../src/jobs/status.js';
import type { Attempt, JobState } from '../../src/state/jobs.js';
import type { ReplicaAttempt, ReplicaState } from '../../src/state/replicas.js';

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

async function replicaConfig(targetExtra = ''): Promise<Config> {
  return parseConfig(`[[job]]
name = "web"
dataset = "tank/backup/web"
replicate = ["offsite"]

[[target]]
name = "offsite"
host = "zbk@vault.example.com"
dataset = "vault/zbk"
${targetExtra}
`, '/test/zbk.toml');
}

const jobOk: JobState = {
  job: 'web', dataset: 'tank/backup/web', lastAttempt: null,
  lastSuccess: { start: '2026-11-26T03:00:00Z', end: '2026-11-26T03:05:00Z', simulated: null, outcome: 'ok', message: null, snapshot: 'tank/backup/web@zbk_2026-11-26T030000Z', stats: null },
};

const replicaAttempt = (outcome: ReplicaAttempt['outcome'], message: string | null = null, sent: string[] = []): ReplicaAttempt => ({
  start: '2026-11-26T05:30:00Z', end: '2026-11-26T05:31:00Z', outcome, message, mode: sent.length ? 'incremental' : null, sent, bytes: sent.length ? 1234 : null,
});

function replica(baseName: string | null, lastAttempt: ReplicaAttempt | null): ReplicaState {
  const base = baseName ? { name: baseName, guid: '123', time: `${baseName.slice(4, 17)}:${baseName.slice(17, 19)}:${baseName.slice(19, 21)}Z` } : null;
  return {
    job: 'web', target: 'offsite', source: 'tank/backup/web', destination: 'vault/zbk/web', base,
    delivered: base ? [base] : [], holds: [], lastAttempt, lastSuccess: lastAttempt?.outcome === 'ok' ? lastAttempt : null,
  };
}


test('the lag is the age of the newest copy by its name; the default stale_after is 48h: OK before, WARNING from it', async (t) => {
  const c = await replicaConfig();
  const [job, target] = [c.jobs[0]!, c.targets[0]!];
  const s = replica('zbk_2026-11-26T030000Z', replicaAttempt('ok', null, ['zbk_2026-11-26T030000Z']));
  t.like(replicaStatus(job, target, s, jobOk, at('2026-11-26T06:00:00Z')), {
    alert: 'ok', lagSeconds: 3 * 3600, reason: 'newest copy zbk_2026-11-26T030000Z, 3h old', destination: 'vault/zbk/web',
  });
  t.like(replicaStatus(job, target, s, jobOk, at('2026-11-28T02:59:59Z')), { alert: 'ok', lagSeconds: 48 * 3600 - 1 });
  t.like(replicaStatus(job, target, s, jobOk, at('2026-11-28T03:00:00Z')), {
    alert: 'warning', reason: 'newest copy zbk_2026-11-26T030000Z, 2d old (over stale_after 48h)',
  });
});

test('a target away for weeks stays a WARNING (never CRITICAL), with the last attempt\'s words', async (t) => {
  const c = await replicaConfig('stale_after = "36h"');
  const away = replicaAttempt('warning', 'target offsite away: pool vault is not imported');
  const r = replicaStatus(c.jobs[0]!, c.targets[0]!, replica('zbk_2026-11-01T030000Z', away), jobOk, at('2026-11-26T06:00:00Z'));
  t.is(r.alert, 'warning');
  t.is(r.reason, 'newest copy zbk_2026-11-01T030000Z, 25d old (over stale_after 36h); last attempt warning: target offsite away: pool vault is not imported');
});

test('a failed attempt after a fresh copy is said, and stays OK', async (t) => {
  const c = await replicaConfig();
  const s = { ...replica('zbk_2026-11-26T030000Z', replicaAttempt('failed', 'zfs receive failed: out of space')) };
  const r = replicaStatus(c.jobs[0]!, c.targets[0]!, s, jobOk, at('2026-11-26T06:00:00Z'));
  t.is(r.alert, 'ok');
  t.regex(r.reason, /; last attempt failed: zfs receive failed: out of space$/);
});

test('never a copy: OK while the job has nothing to send, WARNING once it has succeeded', async (t) => {
  const c = await replicaConfig();
  const [job, target] = [c.jobs[0]!, c.targets[0]!];
  const now = at('2026-11-26T06:00:00Z');
  t.like(replicaStatus(job, target, null, null, now), { alert: 'ok', newest: null, lagSeconds: null, destination: 'vault/zbk/web' });
  t.like(replicaStatus(job, target, null, jobOk, now), { alert: 'warning', reason: 'no copy on offsite yet; zbk replicate never ran for it' });
  t.like(replicaStatus(job, target, replica(null, replicaAttempt('warning', 'host vault.example.com does not answer')), jobOk, now), {
    alert: 'warning', reason: 'no copy on offsite yet; last attempt warning: host vault.example.com does not answer',
  });
});

test('an unreadable replica state is UNKNOWN with the reason, which ranks above the job\'s OK', async (t) => {
  const c = await replicaConfig();
  const r = unreadableReplica(c.jobs[0]!, c.targets[0]!, '/var/db/zbk/replicas/web@offsite.json: not a zbk replica state');
  t.like(r, { alert: 'unknown', unreadable: true, newest: null, destination: 'vault/zbk/web' });
  t.is(jobStatus(c.jobs[0]!, jobOk, at('2026-11-26T06:00:00Z')).alert, 'ok');
});
