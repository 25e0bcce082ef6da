/** `zbk scrub` on recorded zpool answers: which pools are due, which scrubs started, and the exit code. */
import test from 'ava';
import { ExitError } from '../../src/cli/errors.js';
import { run } from '../../src/commands/scrub.js';
import { fixture } from '../helpers/fixtures.js';
import { configFile, runCommand } from '../helpers/command.js';
import { exchange, replay } from '../helpers/replay.js';

const R = 'zfs/replay/';
const status = (pool: string, file: string) => exchange(`zpool status -v -- ${pool}`, { stdout: fixture(`zpool-status/${file}`) });
const capacity = (pool: string) => exchange(`zpool list -H -o name,capacity,health -- ${pool}`, { stdout: `${pool}\t1%\tONLINE\n` });

test.serial('a pool never scrubbed gets its scrub; one scrubbed the day before does not', async (t) => {
  const { file } = await configFile(t);
  const never = replay(t, `${R}legacy-probe-status-j.txt`, [status('zbkh_m', 'fuse-mirror-healthy-never-scrubbed.txt'), capacity('zbkh_m'), exchange('zpool scrub -- zbkh_m')]);
  const out = await runCommand(t, run, { config: file, pools: ['zbkh_m'], now: '2026-11-28T06:00:00Z' }, never.zfs);
  t.is(out.code, 0);
  t.regex(out.stdout, /^zbkh_m: scrub started: /);
  const recent = replay(t, `${R}legacy-probe-status-j.txt`, [status('zbkh_m', 'fuse-mirror-scrub-completed-clean.txt'), capacity('zbkh_m')]);
  const no = await runCommand(t, run, { config: file, pools: ['zbkh_m'], now: '2026-11-28T06:00:00Z' }, recent.zfs);
  t.is(no.code, 0);
  t.regex(no.stdout, /^zbkh_m: not scrubbed: /);
});

test.serial('--dry-run says what it would start and starts nothing; a scrub zpool refuses is exit 2', async (t) => {
  const { file } = await configFile(t);
  const dry = replay(t, `${R}legacy-probe-status-j.txt`, [status('zbkh_m', 'fuse-mirror-healthy-never-scrubbed.txt'), capacity('zbkh_m')]);
  const out = await runCommand(t, run, { config: file, pools: ['zbkh_m'], dryRun: true }, dry.zfs);
  t.deepEqual([out.code, out.stdout.startsWith('zbkh_m: would run zpool scrub zbkh_m: ')], [0, true]);
  const refused = replay(t, `${R}legacy-probe-status-j.txt`, [status('zbkh_m', 'fuse-mirror-healthy-never-scrubbed.txt'), capacity('zbkh_m'),
    exchange('zpool scrub -- zbkh_m', { exitCode: 1, stderr: "cannot scrub 'zbkh_m': pool is currently unavailable\n" })]);
  const bad = await runCommand(t, run, { config: file, pools: ['zbkh_m'] }, refused.zfs);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /^zbk: zbkh_m: could not start a scrub: .*currently unavailable\n$/);
});

test.serial('a pool argument that is no pool name, or a bad --max-age, is a usage error before zpool runs', async (t) => {
  const { file } = await configFile(t);
  const r = replay(t);
  await t.throwsAsync(runCommand(t, run, { config: file, pools: ['-f'] }, r.zfs), { instanceOf: ExitError, message: 'scrub: "-f": a pool name begins with a letter' });
  await t.throwsAsync(runCommand(t, run, { config: file, pools: ['tank'], maxAge: 'often' }, r.zfs), { instanceOf: ExitError, message: /^--max-age: "often" is not a duration/ });
});
