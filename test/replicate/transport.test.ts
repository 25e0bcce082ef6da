/** The target's transport: plain words only to a remote shell, ssh's hardening, what "away" is. */
import { mkdtemp, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import test from 'ava';
import { remoteWords, sshArgs, sshAway, sshControlPath, transportFor } from '../../src/replicate/transport.js';
import { ZfsError } from '../../src/zfs/errors.js';

const remote = { name: 'offsite', host: 'zbk@vault.example.com', sshKey: '/root/.ssh/k', sshPort: 2222, knownHosts: '/root/.ssh/kh', zfs: 'zfs' };

test('remote words: plain words pass as they are; anything a shell would read is refused, never quoted', (t) => {
  t.deepEqual(remoteWords(['zfs', 'receive', '-u', 'vault/zbk/web', 'readonly=on', 'a@zbk_2026-11-26T030000Z']), ['zfs', 'receive', '-u', 'vault/zbk/web', 'readonly=on', 'a@zbk_2026-11-26T030000Z']);
  for (const bad of ['a b', 'x;rm', '$(id)', '`id`', "it's", 'a"b', 'a\nb', '', 'a*', 'a|b', 'a&b', '~root', 'a#b', 'a>b']) {
    const e = t.throws(() => remoteWords(['zfs', 'list', bad]), { instanceOf: ZfsError });
    t.true(e!.message.startsWith(`refusing to send ${JSON.stringify(bad)} to a remote shell`), bad);
  }
});

test('ssh gets the pulls\' hardening, then --, then the destination', (t) => {
  t.deepEqual(sshArgs(remote), [
    '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=30', '-o', 'ServerAliveInterval=60',
    '-i', '/root/.ssh/k', '-p', '2222', '-o', 'UserKnownHostsFile="/root/.ssh/kh"', '--', 'zbk@vault.example.com',
  ]);
  t.throws(() => sshArgs({ ...remote, host: '-oProxyCommand=x' }), { message: /not a plain ssh destination/ });
  t.throws(() => sshArgs({ ...remote, host: 'a b' }), { message: /not a plain ssh destination/ });
});

test('the receive side of the pipe: ssh … -- host zfs receive …, or the local zfs', (t) => {
  const tools = { zfs: 'zfs', zpool: 'zpool' };
  const cmd = transportFor(remote, tools).command(['receive', '-u', 'vault/zbk/web']);
  t.is(cmd.file, 'ssh');
  t.deepEqual(cmd.args.slice(-6), ['--', 'zbk@vault.example.com', 'zfs', 'receive', '-u', 'vault/zbk/web']);
  t.throws(() => transportFor(remote, tools).command(['receive', 'vault/zbk/we b']), { message: /refusing/ });
  t.deepEqual(transportFor({ ...remote, host: null, zfs: '/usr/local/sbin/zfs' }, tools).command(['receive', 'a/b']), { file: '/usr/local/sbin/zfs', args: ['receive', 'a/b'] });
});

test('away: ssh could not reach the host (exit 255 and a connection error); other ssh failures are failures', (t) => {
  t.is(sshAway(255, 'ssh: connect to host 127.0.0.1 port 1: Connection refused\n'), 'ssh: connect to host 127.0.0.1 port 1: Connection refused');
  t.truthy(sshAway(255, 'ssh: connect to host 10.9.9.9 port 22: Connection timed out'));
  t.truthy(sshAway(255, 'ssh: connect to host 10.9.9.9 port 22: No route to host'));
  t.truthy(sshAway(255, 'ssh: Could not resolve hostname vault: Name or service not known'));
  t.is(sshAway(255, 'Host key verification failed.'), null);
  t.is(sshAway(255, 'root@127.0.0.1: Permission denied (publickey).'), null);
  t.is(sshAway(1, 'Connection refused'), null);
  const local = transportFor({ ...remote, host: null }, { zfs: 'zfs', zpool: 'zpool' });
  t.regex(local.away(new ZfsError('no-such-pool', "cannot create 'usb/zbk': no such pool 'usb'"))!, /^target offsite: cannot create/);
  t.is(local.away(new ZfsError('failed', 'x')), null);
});

test('ssh connection sharing: a private socket per target and host under <state_dir>/ssh; none where ssh would misread its path', async (t) => {
  const state = await mkdtemp(join(tmpdir(), 'zbk-ctl-'));
  t.teardown(() => rm(state, { recursive: true, force: true }));
  const path = await sshControlPath(state, remote);
  t.is(dirname(path!), join(state, 'ssh'));
  t.is((await stat(join(state, 'ssh'))).mode & 0o777, 0o700);
  const others = await Promise.all([{ ...remote, name: 'other' }, { ...remote, host: 'zbk@elsewhere' }, { ...remote, sshPort: 22 }].map((x) => sshControlPath(state, x)));
  t.is(new Set([path, ...others]).size, 4, 'another target or host never shares a master');
  t.deepEqual(sshArgs({ ...remote, host: 'h' }, path).slice(-8), ['-o', 'ControlMaster=auto', '-o', `ControlPath=${path}`, '-o', 'ControlPersist=5', '--', 'h']);
  t.is(await sshControlPath(join(state, 'x'.repeat(80)), remote), null, 'too long for a socket');
  t.is(await sshControlPath(join(state, '%h'), remote), null, 'ssh expands %');
  const linked = await mkdtemp(join(tmpdir(), 'zbk-ctl-'));
  t.teardown(() => rm(linked, { recursive: true, force: true }));
  await symlink(tmpdir(), join(linked, 'ssh'));
  await t.throwsAsync(sshControlPath(linked, remote), { message: /ssh/ });
});
