/** `zbk status`: each job's last success from the state files, as a table or JSON, with Nagios exit codes. */
import test from 'ava';
import { run } from '../../src/commands/status.js';
import { recordAttempt } from '../../src/state/jobs.js';
import { configFile, runCommand } from '../helpers/command.js';

const JOBS = '[[job]]\nname = "web"\ndataset = "tank/web"\n[[job]]\nname = "db"\ndataset = "tank/db"\n';
const attempt = (end: string, outcome: 'ok' | 'failed', snapshot: string | null) =>
  ({ start: end, end, simulated: null, outcome, message: outcome === 'failed' ? 'rsync failed with code 23' : null, snapshot, stats: null });

test.serial('a job never run is critical; a fresh one is OK; the table says when and what', async (t) => {
  const { dir, file } = await configFile(t, JOBS);
  await recordAttempt(`${dir}/state`, 'web', 'tank/web', attempt('2026-11-26T03:05:00Z', 'ok', 'tank/web@zbk_2026-11-26T030000Z'), null);
  const out = await runCommand(t, run, { config: file, now: '2026-11-26T12:00:00Z' });
  const lines = out.stdout.split('\n');
  t.regex(lines[0]!, /^JOB\s+STATUS\s+LAST SUCCESS\s+LAST SNAPSHOT\s+LAST RUN\s+CHANGED$/);
  t.regex(lines[1]!, /^web\s+OK\s+2026-11-26T03:05:00Z \(8h\d* ?\w* ago\)\s+zbk_2026-11-26T030000Z\s+ok\s+-$/);
  t.regex(lines[2]!, /^db\s+CRITICAL\s+never\s+-\s+-\s+-$/);
  t.true(lines.includes('ages as of --now 2026-11-26T12:00:00Z'));
  t.is(out.code, 2);
});

test.serial('json: the alert, the clock, each job with its last attempt; a failed last run is said', async (t) => {
  const { dir, file } = await configFile(t, JOBS);
  await recordAttempt(`${dir}/state`, 'web', 'tank/web', attempt('2026-11-26T03:05:00Z', 'ok', 'tank/web@zbk_2026-11-26T030000Z'), null);
  const previous = await recordAttempt(`${dir}/state`, 'db', 'tank/db', attempt('2026-11-26T03:05:00Z', 'ok', 'tank/db@zbk_2026-11-26T030000Z'), null);
  await recordAttempt(`${dir}/state`, 'db', 'tank/db', attempt('2026-11-27T03:05:00Z', 'failed', null), previous);
  const out = await runCommand(t, run, { config: file, now: '2026-11-27T04:00:00Z', format: 'json' });
  const s = JSON.parse(out.stdout) as { alert: string; now: string; now_simulated: boolean; jobs: { job: string; alert: string; last_attempt: { outcome: string } | null }[] };
  t.deepEqual([s.now, s.now_simulated], ['2026-11-27T04:00:00Z', true]);
  t.deepEqual(s.jobs.map((j) => [j.job, j.alert, j.last_attempt?.outcome]), [['web', 'ok', 'ok'], ['db', 'ok', 'failed']]);
  t.is(out.code, 0, 'the last success of db is within stale_after');
  const text = await runCommand(t, run, { config: file, now: '2026-11-27T04:00:00Z' });
  t.regex(text.stdout, /^db: .*rsync failed with code 23/m);
});

test.serial('no jobs: UNKNOWN, exit 3', async (t) => {
  const { file } = await configFile(t);
  t.deepEqual(await runCommand(t, run, { config: file }), { code: 3, stdout: `UNKNOWN: no jobs in ${file}\n`, stderr: '' });
});
