/**
 * A real rsync daemon on 127.0.0.1 for tests of rsync:// sources: `rsync --daemon
 * --no-detach` on a free high port with a temporary rsyncd.conf, one read-only module
 * that only user `zbk` may read (secrets file), and the client's password file. Stopped,
 * and its files removed, in teardown, also when the test fails.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { execa, type ResultPromise } from 'execa';
import { freePort, stopProcess, waitForPort } from './sshd.js';

export interface TestRsyncd {
  readonly port: number;
  readonly module: string;
  readonly user: string;
  readonly password: string;
  /** The client's password file (mode 600), for the job's `password_file`. */
  readonly passwordFile: string;
  /** The daemon's log file (rsync writes each connection's errors there). */
  readonly log: string;
  readonly pid: number;
  /** `rsync://zbk@127.0.0.1:PORT/MODULE/`. */
  readonly url: string;
}

export async function startRsyncd(t: ExecutionContext, path: string, module = 'backup'): Promise<TestRsyncd> {
  if (process.getuid?.() !== 0) throw new Error('the rsync daemon tests run rsyncd as root (uid/gid = root): run them as root');
  const dir = await mkdtemp(join(tmpdir(), 'zbk-rsyncd-'));
  let child: ResultPromise | undefined;
  t.teardown(async () => {
    if (child) await stopProcess(child);
    await rm(dir, { recursive: true, force: true });
  });
  const user = 'zbk';
  const password = `pw-${process.pid}-${Date.now()}`;
  const secrets = join(dir, 'rsyncd.secrets');
  await writeFile(secrets, `${user}:${password}\n`, { mode: 0o600 });
  await chmod(secrets, 0o600);
  const passwordFile = join(dir, 'client.password');
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  await chmod(passwordFile, 0o600);
  const log = join(dir, 'rsyncd.log');

  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const config = join(dir, 'rsyncd.conf');
    await writeFile(config, [
      `pid file = ${join(dir, 'rsyncd.pid')}`,
      'use chroot = no',
      '',
      `[${module}]`,
      `    path = ${path}`,
      '    read only = yes',
      `    auth users = ${user}`,
      `    secrets file = ${secrets}`,
      '    uid = root',
      '    gid = root',
      '',
    ].join('\n'));
    await rm(join(dir, 'rsyncd.pid'), { force: true });
    const daemon = execa('rsync', ['--daemon', '--no-detach', '--address=127.0.0.1', `--port=${port}`, `--config=${config}`, `--log-file=${log}`], {
      reject: false, stdin: 'ignore', all: true, buffer: true, env: { LC_ALL: 'C' },
    });
    child = daemon;
    if (await waitForPort(port, daemon)) {
      return { port, module, user, password, passwordFile, log, pid: daemon.pid!, url: `rsync://${user}@127.0.0.1:${port}/${module}/` };
    }
    const r = await daemon;
    lastError = `${String(r.all ?? '').trim()}\n${await readFile(log, 'utf8').catch(() => '')}`.trim();
    child = undefined;
    if (!/Address already in use/i.test(lastError)) break;
  }
  throw new Error(`rsync --daemon did not start: ${lastError || 'no output'}`);
}

