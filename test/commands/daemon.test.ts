/**
 * `zbk daemon` in this process (ava gives each test file one of its own), on recorded zfs
 * answers: a job that missed its run is caught up at once and logged; SIGHUP reloads (a broken
 * file is refused and the running config kept); SIGTERM stops it with exit 0.
 */
import { writeFile } from 'node:fs/promises';
import test from 'ava';
import { ExitError } from '../../src/cli/errors.js';
import { run } from '../../src/commands/daemon.js';
import { readJobState } from '../../src/state/jobs.js';
import { configFile, runCommand } from '../helpers/command.js';
import { exchange, replay } from '../helpers/replay.js';

const until = async (done: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 2000 && !(await done()); i++) await new Promise((resolve) => setTimeout(resolve, 5));
};

test.serial('--syslog with a facility zbk does not log to is a usage error, before anything starts', async (t) => {
  const e = await t.throwsAsync(runCommand(t, run, { syslog: 'kern' }), { instanceOf: ExitError });
  t.is(e?.code, 64);
  t.regex(e?.message ?? '', /^--syslog kern: not a facility zbk logs to \(daemon, user, local0/);
});

test.serial('a missed run is caught up and logged; SIGHUP with a broken file keeps the running config; SIGTERM stops it', async (t) => {
  const { dir, file } = await configFile(t, '[[job]]\nname = "web"\ndataset = "tank/web"\n');
  // The job's dataset is marked as another job's: the caught-up run fails before it would snapshot (at a name only the clock knows).
  const r = replay(t, [exchange('zfs get -H -p -o name,property,value mountpoint,mounted,recordsize,zbk:job tank/web', {
    stdout: 'tank/web\tmountpoint\t/tank/web\ntank/web\tmounted\tyes\ntank/web\trecordsize\t131072\ntank/web\tzbk:job\tmail\n',
  })]);
  const daemon = runCommand(t, run, { config: file }, r.zfs);
  await until(async () => (await readJobState(`${dir}/state`, 'web'))?.lastAttempt?.outcome === 'failed');
  await writeFile(file, '[zbk]\ntimezone = "Mars/Olympus"\n');
  process.kill(process.pid, 'SIGHUP');
  await new Promise((resolve) => setTimeout(resolve, 100));
  process.kill(process.pid, 'SIGTERM');
  const out = await daemon;
  t.is(out.code, 0);
  const lines = out.stderr.split('\n');
  t.true(lines.includes('info: job web: missed its last scheduled run (last success: never): running it now'), out.stderr);
  t.true(lines.some((l) => /^error: job web: failed: dataset tank\/web is marked as job mail's/.test(l)), out.stderr);
  t.true(lines.some((l) => l.startsWith(`error: reload failed, keeping the running config: ${file}:2: zbk.timezone`)), out.stderr);
  t.deepEqual(lines.slice(-3), ['info: SIGTERM: stopping', 'info: stopped', '']);
});
