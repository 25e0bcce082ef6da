/** What zbk remembers of a job's runs: the last attempt, and the last success kept across failures. */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { attemptTime, jobStateFile, readJobState, recordAttempt as recordOver, StateUnreadable, type Attempt } from '../../src/state/jobs.js';

async function stateDir(t: ExecutionContext): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'zbk-state-'));
  t.teardown(() => rm(d, { recursive: true, force: true }));
  return d;
}

const DS = 'tank/backup/usa-vds';

/** As a run does it: read the state (under the job's lock), then record over what was read. */
const recordAttempt = async (d: string, job: string, ds: string, a: Attempt) => recordOver(d, job, ds, a, await readJobState(d, job));
const attempt = (day: number, outcome: Attempt['outcome'], message: string | null = null): Attempt => ({
  start: `2026-11-${day}T03:00:00Z`,
  end: `2026-11-${day}T03:20:00Z`,
  simulated: null,
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

test('an unreadable or corrupt state file is an error naming the file, never taken for "never ran"', async (t) => {
  const d = await stateDir(t);
  const file = jobStateFile(d, 'usa-vds');
  await mkdir(join(d, 'jobs'));
  const cases: [string, string | null, RegExp][] = [
    ['{"job": "usa-vds", "lastAtt', '{', /: not valid JSON \(.*\); move it aside to start afresh$/],
    ['a directory', null, /: cannot be read \(EISDIR\); move it aside to start afresh$/],
    ['[]', '[]', /: not a zbk job state \(not an object\)/],
    ['no success end', JSON.stringify({ job: 'usa-vds', dataset: DS, lastAttempt: null, lastSuccess: { ...attempt(24, 'ok'), end: 'yesterday' } }), /lastSuccess has no start or end instant/],
    ['a made-up outcome', JSON.stringify({ job: 'usa-vds', dataset: DS, lastAttempt: { ...attempt(24, 'ok'), outcome: 'great' }, lastSuccess: null }), /lastAttempt has no outcome/],
    ['stats of a string', JSON.stringify({ job: 'usa-vds', dataset: DS, lastAttempt: { ...attempt(24, 'ok'), stats: 'lots' }, lastSuccess: null }), /lastAttempt has wrong stats/],
    ['a simulated instant that is not one', JSON.stringify({ job: 'usa-vds', dataset: DS, lastAttempt: { ...attempt(24, 'ok'), simulated: 'last night' }, lastSuccess: null }), /lastAttempt has a wrong simulated instant/],
    ['no lastSuccess key', JSON.stringify({ job: 'usa-vds', dataset: DS, lastAttempt: null }), /lastSuccess is not an object/],
  ];
  for (const [what, content, reason] of cases) {
    await rm(file, { recursive: true, force: true });
    if (content === null) await mkdir(file);
    else await writeFile(file, content);
    const e = await t.throwsAsync(readJobState(d, 'usa-vds'), { instanceOf: StateUnreadable }, what);
    t.true(e?.message.startsWith(`${file}: `), e?.message);
    t.regex(e?.message ?? '', reason, what);
  }
  t.is(await readFile(file, 'utf8'), JSON.stringify({ job: 'usa-vds', dataset: DS, lastAttempt: null }), 'reading never rewrites the file');
});

test('a run under --now records its simulated instant beside the real times', async (t) => {
  const d = await stateDir(t);
  const simulated = { ...attempt(24, 'ok'), simulated: '2026-03-01T03:00:00Z' };
  await recordAttempt(d, 'usa-vds', DS, simulated);
  const s = await readJobState(d, 'usa-vds');
  t.deepEqual(s?.lastSuccess, simulated);
  t.is(attemptTime(s!.lastSuccess!), '2026-03-01T03:00:00Z', 'it counts at its --now');
  t.is(attemptTime(attempt(24, 'ok')), '2026-11-24T03:20:00Z', 'a run on the clock counts when it ended');
});

test('a state file written before simulated runs were recorded reads as runs on the clock', async (t) => {
  const d = await stateDir(t);
  await mkdir(join(d, 'jobs'));
  const { simulated: _, ...old } = attempt(24, 'ok');
  await writeFile(jobStateFile(d, 'usa-vds'), JSON.stringify({ job: 'usa-vds', dataset: DS, lastAttempt: old, lastSuccess: old }));
  const s = await readJobState(d, 'usa-vds');
  t.deepEqual(s, { job: 'usa-vds', dataset: DS, lastAttempt: attempt(24, 'ok'), lastSuccess: attempt(24, 'ok') });
  t.is(s!.lastSuccess!.simulated, null);
});
