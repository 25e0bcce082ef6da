/** When the daemon replicates (pure): target schedules, right after a job's run, and the catch-up at start. */
import test from 'ava';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import {
  missedAfterRun, missedTargetRun, pairTaskId, replicationSchedule, targetTaskId, type ReplicationHistory,
} from '../../src/daemon/replication.js';
import type { Log } from '../../src/daemon/log.js';
import { Scheduler } from '../../src/daemon/scheduler.js';
import { webConfig } from '../helpers/replica-state.js';

const config = (): Promise<Config> => parseConfig(webConfig({
  head: '[zbk]\ntimezone = "Europe/Athens"\n',
  jobs: '\n[[job]]\nname = "db"\ndataset = "tank/backup/db"\nreplicate = ["offsite"]\n\n[[job]]\nname = "local"\ndataset = "tank/backup/local"\n',
  offsite: 'schedule = "30 5 * * *"\n',
}), '/test/zbk.toml');

/** Replica attempts and job successes as the state files would give them. */
function history(attempts: Record<string, string>, successes: Record<string, string>): ReplicationHistory {
  return {
    lastAttemptEnd: (job, target) => (attempts[`${job}@${target}`] ? new Date(attempts[`${job}@${target}`]!) : null),
    lastJobSuccess: (job) => (successes[job] ? new Date(successes[job]!) : null),
  };
}

test('a target with a schedule gets its jobs on it; one without gets each job right after its run', async (t) => {
  const plan = replicationSchedule(await config());
  t.deepEqual(plan.scheduled.map((s) => ({ target: s.target.name, schedule: s.schedule, jobs: s.jobs.map((j) => j.name) })), [
    { target: 'offsite', schedule: '30 5 * * *', jobs: ['web', 'db'] },
  ]);
  t.deepEqual([...plan.afterRun].map(([job, targets]) => [job, targets.map((x) => x.name)]), [['web', ['usb']], ['db', []], ['local', []]]);
  t.is(targetTaskId('offsite'), 'target offsite');
  t.is(pairTaskId('web', 'usb'), 'target usb: web');
});

test('a scheduled target that no job names has no task', async (t) => {
  const c = await parseConfig('[[job]]\nname = "web"\ndataset = "tank/backup/web"\n\n[[target]]\nname = "spare"\ndataset = "spare/zbk"\nschedule = "0 6 * * *"\n', '/test/zbk.toml');
  t.deepEqual(replicationSchedule(c).scheduled, []);
});

test('catch-up of a scheduled target: a job not attempted since the last fire (05:30 Athens) runs it at start', async (t) => {
  const [offsite] = replicationSchedule(await config()).scheduled;
  const now = new Date('2026-11-26T10:00:00Z'); // 12:00 in Athens: the last fire was 03:30Z
  const successes = { web: '2026-11-26T01:10:00Z', db: '2026-11-26T01:20:00Z' };
  t.false(missedTargetRun(offsite!, 'Europe/Athens', history({ 'web@offsite': '2026-11-26T03:31:00Z', 'db@offsite': '2026-11-26T03:32:00Z' }, successes), now));
  t.true(missedTargetRun(offsite!, 'Europe/Athens', history({ 'web@offsite': '2026-11-26T03:31:00Z', 'db@offsite': '2026-11-25T03:32:00Z' }, successes), now));
  t.true(missedTargetRun(offsite!, 'Europe/Athens', history({ 'web@offsite': '2026-11-26T03:31:00Z' }, successes), now), 'db never attempted');
  t.false(missedTargetRun(offsite!, 'Europe/Athens', history({ 'web@offsite': '2026-11-26T03:31:00Z' }, { web: successes.web }), now),
    'db never succeeded: nothing to send, nothing missed');
});

test('catch-up right after a run: a job whose last success is newer than its last attempt toward the target', async (t) => {
  const c = await config();
  const plan = replicationSchedule(c);
  const pairs = (h: ReplicationHistory) => missedAfterRun(plan, c.jobs, h).map((p) => `${p.job.name}@${p.target.name}`);
  t.deepEqual(pairs(history({}, {})), [], 'no job ever succeeded');
  t.deepEqual(pairs(history({}, { web: '2026-11-26T01:10:00Z' })), ['web@usb']);
  t.deepEqual(pairs(history({ 'web@usb': '2026-11-26T01:11:00Z' }, { web: '2026-11-26T01:10:00Z' })), []);
  t.deepEqual(pairs(history({ 'web@usb': '2026-11-25T01:11:00Z' }, { web: '2026-11-26T01:10:00Z' })), ['web@usb']);
});

test('the target\'s next run is logged in the configured zone, on the injected clock', async (t) => {
  const lines: string[] = [];
  const log: Log = (level, subject, message) => lines.push(`${level} ${subject ?? '-'} ${message}`);
  const s = new Scheduler(log, () => new Date('2026-12-01T12:34:56Z'));
  const [offsite] = replicationSchedule(await config()).scheduled;
  s.setTasks([{ id: targetTaskId('offsite'), schedule: offsite!.schedule, run: async () => undefined }], 'Europe/Athens');
  await s.stop(0);
  t.deepEqual(lines, ['info target offsite next run 2026-12-02 05:30:00+02:00 (30 5 * * *, Europe/Athens)']);
});

test('a replication that runs long never holds up a job: the two queues run side by side', async (t) => {
  const lines: string[] = [];
  const log: Log = (level, subject, message) => lines.push(`${level} ${subject ?? '-'} ${message}`);
  const jobs = new Scheduler(log);
  const replications = new Scheduler(log, undefined, undefined, 'the target keeps its last complete snapshot');
  let jobRan = false;
  let transferAborted = false;
  replications.enqueue({
    id: targetTaskId('offsite'),
    run: (signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => { transferAborted = true; resolve(); })),
  });
  jobs.enqueue({ id: 'job web', run: async () => { jobRan = true; } });
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.true(jobRan, 'the job ran while the transfer was still going');
  await Promise.all([jobs.stop(50), replications.stop(50)]);
  t.true(transferAborted, 'the transfer is stopped at stop_timeout like a pull');
  t.true(lines.includes('warning target offsite still running at stop_timeout: stopping it (the target keeps its last complete snapshot)'), lines.join('\n'));
});
