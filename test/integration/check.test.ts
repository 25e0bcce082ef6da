/**
 * `zbk check`, the pre-flight, as a new user meets it: a real sshd on 127.0.0.1 with a
 * throwaway key (test/helpers/sshd.ts), a real pool, the real CLI. Each problem that
 * `configtest` let through is caught, with the fix; the fix, applied, makes check pass.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import test from '../helpers/zfs-test.js';
import { execa } from 'execa';
import { zbk } from '../helpers/cli.js';
import { makePool, sh } from '../helpers/pool.js';
import { freePort, startSshd } from '../helpers/sshd.js';

async function setup(t: ExecutionContext) {
  const pool = await makePool(t);
  const src = join(pool.dir, 'remote-root');
  await mkdir(src);
  const config = join(pool.dir, 'zbk.toml');
  const dataset = `${pool.name}/vds`;
  const write = (job: Record<string, string | number>, extra = '') => writeFile(config, `[zbk]
timezone = "UTC"
state_dir = "${join(pool.dir, 'state')}"
${extra}
[[job]]
name = "vds"
dataset = "${dataset}"
${Object.entries(job).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join('\n')}
`);
  return { pool, src, config, dataset, write };
}

const lines = (stdout: string, status: string) => stdout.split('\n').filter((l) => l.startsWith(status));

test.serial('an ssh job: each problem found with its fix — key file, host key (the ssh-keyscan line, run, makes it pass), port, source path', async (t) => {
  const sshd = await startSshd(t);
  const { src, config, write, pool } = await setup(t);
  const job = { source: `root@127.0.0.1:${src}/`, ssh_key: sshd.key, ssh_port: sshd.port, known_hosts: sshd.knownHosts };
  await write(job);
  t.is((await zbk(['init', '--config', config])).exitCode, 0);

  const ok = await zbk(['check', '--config', config]);
  t.is(ok.exitCode, 0, ok.stdout + ok.stderr);
  t.deepEqual(lines(ok.stdout, 'FAIL').concat(lines(ok.stdout, 'WARN')), []);
  t.regex(ok.stdout, new RegExp(`^ok   vds: ssh root@127\\.0\\.0\\.1 port ${sshd.port}: logged in; ${src}/ exists; rsync 3\\.\\S+ there$`, 'm'));
  t.regex(ok.stdout, /^ok   vds: the host key of .* is in /m);
  t.regex(ok.stdout, /^1 job: 6 ok, 0 warnings, 0 failed$/m);

  const missingKey = join(pool.dir, 'no_such_key');
  await write({ ...job, ssh_key: missingKey });
  const noKey = await zbk(['check', '--config', config]);
  t.is(noKey.exitCode, 2, noKey.stdout);
  t.deepEqual(lines(noKey.stdout, 'FAIL'), [`FAIL vds: ssh_key ${missingKey} does not exist: make one with \`ssh-keygen -t ed25519 -N '' -f ${missingKey}\` and add ${missingKey}.pub to the host's authorized_keys`]);
  t.notRegex(noKey.stdout, /logged in/, 'ssh is not tried without its key');

  const emptyHosts = join(pool.dir, 'known_hosts');
  await writeFile(emptyHosts, '', { mode: 0o644 });
  await write({ ...job, known_hosts: emptyHosts });
  const noHostKey = await zbk(['check', '--config', config]);
  t.is(noHostKey.exitCode, 2, noHostKey.stdout);
  const keyscan = `ssh-keyscan -p ${sshd.port} 127.0.0.1 >> ${emptyHosts}`;
  t.deepEqual(lines(noHostKey.stdout, 'FAIL'), [
    `FAIL vds: the host key of 127.0.0.1:${sshd.port} is not in ${emptyHosts}: run \`${keyscan}\`, then check that \`ssh-keygen -lf ${emptyHosts}\` shows the fingerprint the host itself shows (\`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\` there)`,
  ]);
  await execa('sh', ['-c', keyscan]);
  const scanned = await zbk(['check', '--config', config]);
  t.is(scanned.exitCode, 0, scanned.stdout);

  const port = await freePort();
  await write({ ...job, ssh_port: port, known_hosts: emptyHosts });
  await execa('sh', ['-c', `ssh-keyscan -p ${sshd.port} 127.0.0.1 | sed 's/:${sshd.port}/:${port}/' >> ${emptyHosts}`]);
  const wrongPort = await zbk(['check', '--config', config]);
  t.is(wrongPort.exitCode, 2, wrongPort.stdout);
  t.deepEqual(lines(wrongPort.stdout, 'FAIL'), [`FAIL vds: nothing accepts connections on 127.0.0.1 port ${port} (connection refused): check ssh_port, and that sshd runs on 127.0.0.1`]);

  await write({ ...job, source: `root@127.0.0.1:${src}/no such'dir/` });
  const noPath = await zbk(['check', '--config', config, '--format', 'json']);
  t.is(noPath.exitCode, 2, noPath.stdout);
  const json = JSON.parse(noPath.stdout) as { checks: { job: string; check: string; status: string; message: string }[]; failed: number };
  t.deepEqual(json.checks.filter((c) => c.status !== 'ok'), [{
    job: 'vds', check: 'ssh', status: 'fail', message: `the source path ${src}/no such'dir does not exist on 127.0.0.1: fix the path in source (127.0.0.1:/path/)`,
  }]);
  t.is(json.failed, 1);

  // The path goes through the login's shell on the host: quoted, it stays a path.
  const marker = join(pool.dir, 'injected');
  await write({ ...job, source: `root@127.0.0.1:${src}/x'; touch ${marker}; '$(touch ${marker})\`touch ${marker}\`/` });
  const hostile = await zbk(['check', '--config', config]);
  t.is(hostile.exitCode, 2, hostile.stdout);
  t.regex(lines(hostile.stdout, 'FAIL').join('\n'), /^FAIL vds: the source path .*x'; touch .* does not exist on 127\.0\.0\.1/);
  t.false(existsSync(marker), 'nothing the path said was run');
});

test.serial('the dataset: missing (zbk init), without zbk:job (zbk init --adopt), another job\'s; an unused policy warns; a config error is 78', async (t) => {
  const { src, config, dataset, write } = await setup(t);
  await write({ source: `${src}/` }, '[retention.defualt]\ndaily = 3\n');

  const missing = await zbk(['check', '--config', config]);
  t.is(missing.exitCode, 2, missing.stdout);
  t.deepEqual(lines(missing.stdout, 'FAIL'), [`FAIL vds: dataset ${dataset} does not exist: create it with \`zbk init --job vds\``]);
  t.deepEqual(lines(missing.stdout, 'WARN'), ['WARN config: retention policy defualt is used by no job (a misspelling of default?): remove [retention.defualt], or name it in a job\'s retention']);
  t.regex(missing.stdout, new RegExp(`^ok   vds: the source directory ${src}/ exists$`, 'm'));

  await sh('zfs', ['create', dataset]);
  const unmarked = await zbk(['check', '--config', config]);
  t.deepEqual(lines(unmarked.stdout, 'FAIL'), [`FAIL vds: dataset ${dataset} has no zbk:job, and zbk run will not pull into it: if it is this job's, mark it with \`zbk init --adopt --job vds\``]);

  await sh('zfs', ['set', 'zbk:job=web', dataset]);
  const other = await zbk(['check', '--config', config]);
  t.deepEqual(lines(other.stdout, 'FAIL'), [`FAIL vds: dataset ${dataset} belongs to job web (zbk:job), not vds: fix the job's dataset`]);

  await sh('zfs', ['set', 'zbk:job=vds', dataset]);
  const warnOnly = await zbk(['check', '--config', config]);
  t.is(warnOnly.exitCode, 1, warnOnly.stdout);
  t.deepEqual(lines(warnOnly.stdout, 'FAIL'), []);

  await write({ source: `${src}/` });
  t.is((await zbk(['check', '--config', config])).exitCode, 0);

  await write({ source: `${src}/`, retention: 'nope' });
  const bad = await zbk(['check', '--config', config]);
  t.is(bad.exitCode, 78, bad.stderr);
});

test.serial('an rsync:// source: the daemon, the module and the password file are tried as the run would', async (t) => {
  const { startRsyncd } = await import('../helpers/rsyncd.js');
  const { pool, src, config, write } = await setup(t);
  const daemon = await startRsyncd(t, src, 'share');
  await write({ source: daemon.url, password_file: daemon.passwordFile });
  t.is((await zbk(['init', '--config', config])).exitCode, 0);
  const ok = await zbk(['check', '--config', config]);
  t.is(ok.exitCode, 0, ok.stdout);

  const wrong = join(pool.dir, 'wrong.secret');
  await writeFile(wrong, 'nope\n', { mode: 0o644 });
  await write({ source: daemon.url, password_file: wrong });
  const open = await zbk(['check', '--config', config]);
  t.deepEqual(lines(open.stdout, 'FAIL'), [`FAIL vds: password_file ${wrong} is readable by others, and rsync refuses it: run \`chmod 600 ${wrong}\` (mode 0644)`]);
  await sh('chmod', ['600', wrong]);
  const refused = await zbk(['check', '--config', config]);
  t.deepEqual(lines(refused.stdout, 'FAIL'), [`FAIL vds: the rsync daemon on 127.0.0.1:${daemon.port} refused the password of zbk for module share: the first line of password_file ${wrong} must be that user's password in the daemon's secrets file`]);

  await write({ source: `rsync://zbk@127.0.0.1:${daemon.port}/nope/`, password_file: daemon.passwordFile });
  const module = await zbk(['check', '--config', config]);
  t.regex(lines(module.stdout, 'FAIL').join('\n'), /^FAIL vds: the rsync daemon on 127\.0\.0\.1:\d+ has no module "nope"/);
});
