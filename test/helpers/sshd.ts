/**
 * A real sshd on 127.0.0.1 for tests of ssh sources: its own host key, a client key made for
 * the test, a temporary sshd_config, `sshd -D -e` in the background on a free high port.
 * Root logs in with the client key only. Stopped (and its files removed) in teardown, also
 * when the test fails. No root, no sshd or no ssh-keygen: the test fails, saying so.
 */
import { existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { execa, type ResultPromise } from 'execa';

export const SSHD = '/usr/sbin/sshd';

export interface TestSshd {
  readonly port: number;
  /** The client's private key (root may log in with it). */
  readonly key: string;
  /** A known_hosts file that holds `[127.0.0.1]:PORT <host key>`. */
  readonly knownHosts: string;
  /** The sshd process's pid. */
  readonly pid: number;
  /** With `{ log: true }`: the file sshd logs each accepted connection in (LogLevel INFO). */
  readonly log: string | null;
}

function requireRootAndSshd(): void {
  if (process.getuid?.() !== 0) throw new Error('the ssh tests run sshd as root and log in as root: run them as root (make test does)');
  if (!existsSync(SSHD)) throw new Error(`${SSHD} is missing: install openssh-server (apt-get install openssh-server)`);
}

export async function startSshd(t: Pick<ExecutionContext, 'teardown'>, options: { log?: boolean } = {}): Promise<TestSshd> {
  requireRootAndSshd();
  const dir = await mkdtemp(join(tmpdir(), 'zbk-sshd-'));
  let child: ResultPromise | undefined;
  t.teardown(async () => {
    if (child) await stopProcess(child);
    await rm(dir, { recursive: true, force: true });
  });
  // sshd's privilege separation chroots into /run/sshd and refuses to start without it.
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });

  const hostKey = join(dir, 'ssh_host_ed25519_key');
  const key = join(dir, 'client_ed25519');
  for (const [file, comment] of [[hostKey, 'zbk-test-host'], [key, 'zbk-test-client']] as const) {
    await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  }
  const authorizedKeys = join(dir, 'authorized_keys');
  await writeFile(authorizedKeys, await readFile(`${key}.pub`, 'utf8'), { mode: 0o600 });

  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const config = join(dir, 'sshd_config');
    await writeFile(config, [
      'ListenAddress 127.0.0.1',
      `Port ${port}`,
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      'PermitRootLogin prohibit-password',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      `PidFile ${join(dir, 'sshd.pid')}`,
      'StrictModes no',
      `LogLevel ${options.log ? 'INFO' : 'ERROR'}`,
      '',
    ].join('\n'));
    await chmod(config, 0o600);
    const log = options.log ? join(dir, 'sshd.log') : null;
    const sshd = execa(SSHD, ['-D', ...(log === null ? ['-e'] : ['-E', log]), '-f', config], { reject: false, stdin: 'ignore', all: true, buffer: true });
    child = sshd;
    if (await waitForPort(port, sshd)) {
      const hostPub = (await readFile(`${hostKey}.pub`, 'utf8')).trim().split(/\s+/).slice(0, 2).join(' ');
      const knownHosts = join(dir, 'known_hosts');
      await writeFile(knownHosts, `[127.0.0.1]:${port} ${hostPub}\n`, { mode: 0o600 });
      return { port, key, knownHosts, pid: sshd.pid!, log };
    }
    const r = await sshd;
    lastError = String(r.all ?? '').trim() || (log === null ? '' : await readFile(log, 'utf8').catch(() => '')).trim();
    child = undefined;
    if (!/Address already in use/i.test(lastError)) break; // another test took the port: try another
  }
  throw new Error(`sshd did not start: ${lastError || 'no output'}`);
}

// Shared with rsyncd.ts: a server started in the background for one test.

/** A port that nothing listened on a moment ago (the kernel's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/**
 * Waits until 127.0.0.1:port accepts connections: true; false when the server exited first.
 * Throws after timeoutMs.
 */
export async function waitForPort(port: number, server: ResultPromise, timeoutMs = 15_000): Promise<boolean> {
  let exited = false;
  void server.then(() => (exited = true), () => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) return false;
    if (await accepts(port)) return !exited;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing accepted connections on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

/** SIGTERM, then SIGKILL if it is still there after 5 s; resolves once it has exited. */
export async function stopProcess(child: ResultPromise): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await child.catch(() => undefined);
  clearTimeout(killer);
}
