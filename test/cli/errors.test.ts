/** How a failure reaches the admin: one message on stderr, and the exit code of its kind. */
import test from 'ava';
import { ExitError, report, usageError } from '../../src/cli/errors.js';
import { EXIT } from '../../src/cli/exit.js';
import { ConfigError } from '../../src/config/problems.js';
import { Refused } from '../../src/views/refused.js';
import { ZfsError } from '../../src/zfs/errors.js';
import { runCommand } from '../helpers/command.js';

const reported = (t: import('ava').ExecutionContext, e: unknown, failedCode?: number) =>
  runCommand(t, async () => (failedCode === undefined ? report(e) : report(e, failedCode)), undefined);

test.serial('a config error: 78, its lines under one heading', async (t) => {
  const e = new ConfigError('/etc/zbk.toml', [{ line: 4, key: 'job "a".shedule', message: 'unknown key' }, { line: null, key: '', message: 'no job' }]);
  t.deepEqual(await reported(t, e), { code: EXIT.config, stdout: '', stderr: 'zbk: config error\n/etc/zbk.toml:4: job "a".shedule: unknown key\n/etc/zbk.toml: no job\n' });
});

test.serial('a usage error or a held lock: its own code and one line', async (t) => {
  t.deepEqual(await reported(t, usageError('--now yesterday: not an ISO 8601 instant')), { code: 64, stdout: '', stderr: 'zbk: --now yesterday: not an ISO 8601 instant\n' });
  t.is((await reported(t, new ExitError('job web is locked', EXIT.locked))).code, 75);
});

test.serial('a request history, diff or restore turn down (Refused): a usage error, one line', async (t) => {
  t.deepEqual(await reported(t, new Refused('diff: FROM: "x" is neither a snapshot nor an instant')), { code: 64, stdout: '', stderr: 'zbk: diff: FROM: "x" is neither a snapshot nor an instant\n' });
});

test.serial('zfs failing: its words, and the command\'s failure code (UNKNOWN for the Nagios commands)', async (t) => {
  const e = new ZfsError('not-installed', 'zpool not found (set [zbk] zpool in the config to its absolute path)', ['zpool', 'status']);
  t.deepEqual(await reported(t, e), { code: EXIT.failed, stdout: '', stderr: 'zbk: zpool not found (set [zbk] zpool in the config to its absolute path)\n' });
  t.is((await reported(t, e, EXIT.unknown)).code, 3);
});

test.serial('anything unexpected is not swallowed: its stack goes to stderr', async (t) => {
  const r = await reported(t, new TypeError('cannot read x of undefined'));
  t.is(r.code, EXIT.failed);
  t.regex(r.stderr, /^zbk: TypeError: cannot read x of undefined\n\s+at /);
  t.deepEqual(await reported(t, 'a string thrown'), { code: EXIT.failed, stdout: '', stderr: 'zbk: a string thrown\n' });
});
