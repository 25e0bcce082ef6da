/** What zbk remembers of a job's runs: the last attempt, and the last success kept across failures. */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { jobStateFile, readJobState, recordAttempt, type Attempt } from '../../src/state/jobs.js';

async function stateDir(t: ExecutionContext): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'zbk-state-'));
  t.teardown(() => rm(d, { recursive: true, force: true }));
  return d;
}

const DS = 'tank/backup/usa-vds';
const attempt = (day: number, outcome: Attempt['outcome'], message: string | null = null): Attempt => ({
  start: `2026-11-${day}T03:00:00Z`,
  end: `2026-11-${day}T03:20:00Z`,
  outcome,
  message,
  snapshot: outcome === 'failed' ? null : `${DS}@zbk_2026-11-${day}T030000Z`,
  stats: null,
});

test('a job that never ran has no state', async (t) => {
  t.is(await readJobState(await stateDir(t), 'usa-vds'), null);
});

test('the state lives in <state_dir>/jobs/<job>.json', (t) => {
  t.is(jobStateFile('/var/db/zbk', 'usa-vds'), '/var/db/zbk/jobs/usa-vds.json');
});

test('a success is the last attempt and the last success', async (t) => {
  const d = await stateDir(t);
  const ok = attempt(24, 'ok');
  t.deepEqual(await recordAttempt(d, 'usa-vds', DS, ok), { job: 'usa-vds', dataset: DS, lastAttempt: ok, lastSuccess: ok });
  t.deepEqual(await readJobState(d, 'usa-vds'), { job: 'usa-vds', dataset: DS, lastAttempt: ok, lastSuccess: ok });
});

test('the last success is kept across failed attempts', async (t) => {
  const d = await stateDir(t);
  const ok = attempt(24, 'ok');
  await recordAttempt(d, 'usa-vds', DS, ok);
  const failed = attempt(25, 'failed', 'rsync failed with code 255 (unexplained error): ssh: connect to host vds port 22: Connection refused; no snapshot taken');
  await recordAttempt(d, 'usa-vds', DS, failed);
  const again = attempt(26, 'failed', 'pre_hook failed (exit 1); the pull was skipped');
  const s = await recordAttempt(d, 'usa-vds', DS, again);
  t.deepEqual(s.lastAttempt, again);
  t.deepEqual(s.lastSuccess, ok);
  t.deepEqual(await readJobState(d, 'usa-vds'), s);
});

test('a warning is a success (its snapshot was taken); a failure with no success before keeps none', async (t) => {
  const d = await stateDir(t);
  const failed = attempt(24, 'failed', 'dataset tank/backup/usa-vds does not exist');
  t.is((await recordAttempt(d, 'usa-vds', DS, failed)).lastSuccess, null);
  const warned = attempt(25, 'warning', 'rsync completed with code 24 (partial transfer due to vanished source files)');
  t.deepEqual((await recordAttempt(d, 'usa-vds', DS, warned)).lastSuccess, warned);
});

test('jobs have their own files and do not disturb each other', async (t) => {
  const d = await stateDir(t);
  await recordAttempt(d, 'usa-vds', DS, attempt(24, 'ok'));
  await recordAttempt(d, 'office', 'tank/backup/office', attempt(24, 'failed', 'x'));
  t.deepEqual((await readdir(join(d, 'jobs'))).sort(), ['office.json', 'usa-vds.json']);
  t.is((await readJobState(d, 'usa-vds'))!.lastAttempt!.outcome, 'ok');
  t.is((await readJobState(d, 'office'))!.lastSuccess, null);
});
