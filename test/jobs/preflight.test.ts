import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { parseConfig } from '../../src/config/load.js';
import { passwordFileProblem, pullFileProblems } from '../../src/jobs/preflight.js';

async function jobWith(lines: string) {
  const config = await parseConfig(`[[job]]\nname = "a"\ndataset = "tank/a"\n${lines}\n`, '/etc/zbk.toml');
  return config.jobs[0]!;
}

test('password_file: must exist as a regular file that only its owner reads (0600 or 0400)', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-preflight-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const secret = join(dir, 'a.secret');
  const job = await jobWith(`source = "rsync://zbk@nas/m/"\npassword_file = "${secret}"`);
  t.is(await passwordFileProblem(job), `password_file ${secret} does not exist: write the module's password into it, and \`chmod 600 ${secret}\``);
  await writeFile(secret, 'pw\n');
  for (const mode of [0o644, 0o604, 0o606]) {
    await chmod(secret, mode);
    t.is(await passwordFileProblem(job), `password_file ${secret} is readable by others, and rsync refuses it: run \`chmod 600 ${secret}\` (mode 0${mode.toString(8)})`);
  }
  for (const [mode, how] of [[0o640, 'readable'], [0o660, 'readable'], [0o620, 'writable']] as const) {
    await chmod(secret, mode);
    t.is(await passwordFileProblem(job), `password_file ${secret} is ${how} by its group (mode 0${mode.toString(8)}): run \`chmod 600 ${secret}\``);
  }
  for (const mode of [0o600, 0o400]) {
    await chmod(secret, mode);
    t.is(await passwordFileProblem(job), null);
  }
  const sub = join(dir, 'dir.secret');
  await mkdir(sub);
  t.is(await passwordFileProblem(await jobWith(`source = "rsync://nas/m/"\npassword_file = "${sub}"`)), `password_file ${sub} is not a regular file`);
  const link = join(dir, 'link.secret');
  await symlink(secret, link);
  t.is(await passwordFileProblem(await jobWith(`source = "rsync://nas/m/"\npassword_file = "${link}"`)), null, 'a link is judged by what rsync opens');
  t.is(await passwordFileProblem(await jobWith('source = "vds:/"')), null, 'no password_file, nothing to check');
});

test('before a pull, ssh_key and known_hosts must exist too', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-preflight-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const key = join(dir, 'id key');
  const job = await jobWith(`source = "vds:/"\nssh_key = "${key}"\nknown_hosts = "${dir}/known hosts"`);
  t.deepEqual(await pullFileProblems(job), [`ssh_key ${key}: does not exist`, `known_hosts ${dir}/known hosts: does not exist`]);
  await writeFile(key, 'k');
  await writeFile(join(dir, 'known hosts'), '');
  t.deepEqual(await pullFileProblems(job), []);
});
