/**
 * `zbk configtest`: OK with the counts, or the config error (78, as src/cli.ts reports it) naming
 * file, line and key; password files checked; warnings on stderr leave it 0.
 */
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { report } from '../../src/cli/errors.js';
import { run } from '../../src/commands/configtest.js';
import { configFile, runCommand } from '../helpers/command.js';

/** The command as the CLI runs it: a thrown error becomes its exit code and message. */
const configtest = (args: { config?: string }) => run(args).catch((e: unknown) => report(e));

test.serial('configtest: 0 for a good file, 78 naming file, line and key for a bad one', async (t) => {
  const { dir, file: good } = await configFile(t, '[[job]]\nname = "a"\ndataset = "tank/a"\n');
  const ok = await runCommand(t, configtest, { config: good });
  t.deepEqual(ok, { code: 0, stdout: `${good}: OK (1 job, 1 retention policy)\n`, stderr: '' });

  const bad = join(dir, 'bad.toml');
  await writeFile(bad, '[[job]]\nname = "a"\ndataset = "tank/a"\nshedule = "0 3 * * *"\n');
  const r = await runCommand(t, configtest, { config: bad });
  t.is(r.code, 78);
  t.regex(r.stderr, new RegExp(`^zbk: config error\\n${bad}:4: job "a"\\.shedule: unknown key`));

  const env = process.env.ZBK_CONFIG;
  process.env.ZBK_CONFIG = bad;
  t.teardown(() => {
    if (env === undefined) delete process.env.ZBK_CONFIG;
    else process.env.ZBK_CONFIG = env;
  });
  t.is((await runCommand(t, configtest, {})).code, 78, 'ZBK_CONFIG names the file when --config does not');
  const missing = await runCommand(t, configtest, { config: join(dir, 'none.toml') });
  t.is(missing.code, 78);
  t.regex(missing.stderr, /none.toml: no such file/);
});

test.serial('schedules are checked; a password file others can read is a config error naming the job', async (t) => {
  const { dir, file } = await configFile(t, '[[job]]\nname = "a"\ndataset = "tank/a"\nschedule = "0 3 * *"\n');
  const r = await runCommand(t, configtest, { config: file });
  t.is(r.code, 78);
  t.regex(r.stderr, /:7: job "a"\.schedule: "0 3 \* \*" has 4 fields/);
  const secret = join(dir, 'a.secret');
  await writeFile(secret, 'pw\n');
  await chmod(secret, 0o644);
  const { file: withSecret } = await configFile(t, `[[job]]\nname = "fs"\ndataset = "tank/fs"\nsource = "rsync://zbk@nas/m/"\npassword_file = "${secret}"\n`);
  const p = await runCommand(t, configtest, { config: withSecret });
  t.is(p.code, 78);
  t.is(p.stderr, `zbk: config error\n${withSecret}: job fs: password_file ${secret} is readable by others, and rsync refuses it: run \`chmod 600 ${secret}\` (mode 0644)\n`);
});
