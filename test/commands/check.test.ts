/** `zbk check` on recorded zfs answers: one line a check, a summary, the exit code of the worst. */
import test from 'ava';
import { run } from '../../src/commands/check.js';
import { configFile, runCommand } from '../helpers/command.js';
import { exchange, replay } from '../helpers/replay.js';

const pool = exchange('zpool list -H -o name,capacity,health -- tank', { stdout: 'tank\t12%\tONLINE\n' });
const props = (owner: string) =>
  exchange('zfs get -H -p -o name,property,value zbk:job,mountpoint,mounted tank/db', { stdout: `tank/db\tzbk:job\t${owner}\ntank/db\tmountpoint\t/tank/db\ntank/db\tmounted\tyes\n` });

test.serial('all well: ok lines, the count, exit 0', async (t) => {
  const { file } = await configFile(t, '[[job]]\nname = "db"\ndataset = "tank/db"\n');
  const out = await runCommand(t, run, { config: file }, replay(t, [pool, props('db')]).zfs);
  t.deepEqual([out.code, out.stdout, out.stderr], [0, "ok   db: pool tank is ONLINE\nok   db: dataset tank/db is job db's\n1 job: 2 ok, 0 warnings, 0 failed\n", '']);
});

test.serial('a failure: FAIL with the fix, exit 2; json holds the same', async (t) => {
  const { file } = await configFile(t, '[[job]]\nname = "db"\ndataset = "tank/db"\n[retention.unused]\ndaily = 1\n');
  const out = await runCommand(t, run, { config: file }, replay(t, [pool, props('-')]).zfs);
  t.is(out.code, 2);
  t.regex(out.stdout, /^FAIL db: dataset tank\/db has no zbk:job, .*`zbk init --adopt --job db`$/m);
  t.regex(out.stdout, /^WARN config: retention policy unused is used by no job/m);
  t.regex(out.stdout, /^1 job: 1 ok, 1 warning, 1 failed$/m);
  const json = await runCommand(t, run, { config: file, format: 'json' }, replay(t, [pool, props('-')]).zfs);
  const parsed = JSON.parse(json.stdout) as { checks: { status: string }[]; ok: number; warnings: number; failed: number };
  t.deepEqual([json.code, parsed.ok, parsed.warnings, parsed.failed, parsed.checks.map((c) => c.status)], [2, 1, 1, 1, ['ok', 'fail', 'warn']]);
});
