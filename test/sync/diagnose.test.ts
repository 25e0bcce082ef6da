import test from 'ava';
import fc from 'fast-check';
import { diagnose, explainRsyncFailure, keyscanCommand, knownHostsName, transportFacts, type TransportFacts, type TransportJob } from '../../src/sync/diagnose.js';
import { classifyRsyncExit } from '../../src/sync/exit-policy.js';
import { fixture } from '../helpers/fixtures.js';
import { parsedSource } from '../helpers/config.js';

const stderr = (name: string): string => fixture(`rsync/${name}.stderr`);

const SSH_JOB: TransportJob = {
  source: parsedSource('root@127.0.0.1:/srv/'), sshKey: '/root/.ssh/zbk_ed25519', sshPort: 38822, knownHosts: '/root/.ssh/known_hosts', passwordFile: null,
};
const DAEMON_JOB: TransportJob = {
  source: parsedSource('rsync://zbk@127.0.0.1:38874/backup/'), sshKey: null, sshPort: 22, knownHosts: null, passwordFile: '/usr/local/etc/zbk/fs.secret',
};
const facts = (job: TransportJob): TransportFacts => transportFacts(job, '/root')!;
const ssh = facts(SSH_JOB);
const daemon = facts(DAEMON_JOB);

// Each captured failure (fixtures/README.md) and the diagnosis that leads its message.
const CASES: ReadonlyArray<readonly [string, TransportFacts, RegExp]> = [
  ['ssh-refused', ssh, /^nothing accepts connections on 127\.0\.0\.1 port 1 \(connection refused\): check ssh_port, and that sshd runs on 127\.0\.0\.1$/],
  ['ssh-host-key-unknown', ssh, /^the host key of 127\.0\.0\.1:38822 is not in \/root\/\.ssh\/known_hosts: run `ssh-keyscan -p 38822 127\.0\.0\.1 >> \/root\/\.ssh\/known_hosts`, then check/],
  ['ssh-host-key-changed', ssh, /^the host key of 127\.0\.0\.1:38822 has CHANGED .*verify the new key on the host itself .*`ssh-keygen -R '\[127\.0\.0\.1\]:38822' -f \/root\/\.ssh\/known_hosts`/],
  ['ssh-permission-denied', ssh, /^127\.0\.0\.1 refused the login of root \(Permission denied \(publickey\)\): add \/root\/\.ssh\/zbk_ed25519\.pub to ~root\/\.ssh\/authorized_keys on 127\.0\.0\.1/],
  ['ssh-key-missing', ssh, /^ssh_key \/tmp\/tmp\.\w+\/no_such_key does not exist: make one with `ssh-keygen -t ed25519 -N '' -f \/tmp\/tmp\.\w+\/no_such_key`/],
  ['ssh-key-unprotected', ssh, /^ssh_key open_key is open to others than its owner, and ssh ignores such a key: run `chmod 600 open_key`$/],
  ['ssh-unknown-host', ssh, /^cannot resolve the host name no-such-host\.invalid \(Name or service not known\): check the host in source/],
  ['ssh-timeout', ssh, /^127\.0\.0\.1:38822 took the connection but no ssh server answered: is 38822 the port sshd listens on \(ssh_port\)\?/],
  ['ssh-remote-rsync-missing', ssh, /^no-such-rsync is not installed on 127\.0\.0\.1 \(or not on the PATH of root there\): install rsync there/],
  ['ssh-missing-source', ssh, /^the source path \/tmp\/tmp\.\w+\/no\/such\/dir does not exist on 127\.0\.0\.1: fix the path in source/],
  ['missing-source', facts({ ...SSH_JOB, source: parsedSource('/nope/') }), /^the source directory \/nope does not exist: fix source, or create it$/],
  ['daemon-refused', facts({ ...DAEMON_JOB, source: parsedSource('rsync://127.0.0.1:1/backup/') }), /^nothing accepts rsync daemon connections on 127\.0\.0\.1:1 \(connection refused\)/],
  ['daemon-unknown-host', daemon, /^cannot resolve the host name no-such-host\.invalid \(Name or service not known\)/],
  ['daemon-unknown-module', daemon, /^the rsync daemon on 127\.0\.0\.1:38874 has no module "nope": list its modules with `rsync rsync:\/\/127\.0\.0\.1:38874\/`/],
  ['daemon-auth-failed', daemon, /^the rsync daemon on 127\.0\.0\.1:38874 refused the password of zbk for module backup: the first line of password_file \/usr\/local\/etc\/zbk\/fs\.secret/],
  ['daemon-access-denied', daemon, /^the rsync daemon on 127\.0\.0\.1:38874 does not let localhost \(127\.0\.0\.1\) into module closed: add this machine to the module's `hosts allow`/],
  ['daemon-max-connections', daemon, /^module backup on 127\.0\.0\.1:38874 is at its max connections \(-1\)/],
  ['daemon-password-file-open', daemon, /^password_file \/usr\/local\/etc\/zbk\/fs\.secret is readable or writable by others, and rsync refuses it: run `chmod 600 \/usr\/local\/etc\/zbk\/fs\.secret`$/],
  ['daemon-missing-path', daemon, /^the path \/no\/such\/dir does not exist in module backup on 127\.0\.0\.1: fix the path in source/],
];

for (const [name, f, expected] of CASES) {
  test(`${name}.stderr: ${expected.source.slice(1, 60)}…`, (t) => {
    const said = diagnose(stderr(name), f);
    t.not(said, null);
    t.regex(said!, expected);
    t.false(said!.includes('\n'), 'one line');
  });
}

test('outputs zbk does not recognise get no diagnosis: rsync\'s own words stand alone', (t) => {
  for (const name of ['vanished', 'sigterm', 'block-size-too-large']) t.is(diagnose(stderr(name), ssh), null, name);
});

test('a password the daemon refused, with no password_file: set one', (t) => {
  t.regex(diagnose(stderr('daemon-auth-failed'), facts({ ...DAEMON_JOB, passwordFile: null }))!, /wants a password for module backup: set password_file/);
});

test('a key refused when no ssh_key is set: the default keys were tried', (t) => {
  t.regex(diagnose(stderr('ssh-permission-denied'), facts({ ...SSH_JOB, sshKey: null }))!, /no ssh_key is set/);
});

test('FreeBSD\'s sh and csh say "not found" their own way', (t) => {
  t.regex(diagnose('sh: rsync: not found\nrsync: connection unexpectedly closed (0 bytes received so far) [Receiver]\n', ssh)!, /^rsync is not installed on 127\.0\.0\.1/);
  t.regex(diagnose('rsync: Command not found.\n', ssh)!, /^rsync is not installed on 127\.0\.0\.1/);
});

// Written by hand from ssh's `ssh: connect to host %s port %s: %s` (strerror): the sandbox
// this was captured in answers every address, so no real timeout or missing route.
test('a host that does not answer, or that no route reaches', (t) => {
  t.regex(diagnose('ssh: connect to host 192.0.2.1 port 22: Connection timed out\r\n', ssh)!, /^192\.0\.2\.1 port 22 did not answer \(connection timed out\)/);
  t.regex(diagnose('ssh: connect to host 192.0.2.1 port 22: Operation timed out\r\n', ssh)!, /did not answer/, 'FreeBSD\'s strerror');
  t.regex(diagnose('ssh: connect to host 10.1.1.1 port 22: No route to host\r\n', ssh)!, /^10\.1\.1\.1 cannot be reached \(no route to host\)/);
});

test('the known_hosts name and the keyscan line: [host]:port unless the port is 22, quoted for sh', (t) => {
  t.is(knownHostsName(ssh), '[127.0.0.1]:38822');
  t.is(knownHostsName(facts({ ...SSH_JOB, sshPort: 22 })), '127.0.0.1');
  t.is(knownHostsName(facts({ ...SSH_JOB, source: parsedSource('root@[::1]:/srv/'), sshPort: 2222 })), '[::1]:2222');
  t.is(keyscanCommand(facts({ ...SSH_JOB, knownHosts: null })), 'ssh-keyscan -p 38822 127.0.0.1 >> /root/.ssh/known_hosts');
  t.is(keyscanCommand(facts({ ...SSH_JOB, knownHosts: "/etc/zbk/known hosts'" })), "ssh-keyscan -p 38822 127.0.0.1 >> '/etc/zbk/known hosts'\\'''");
});

test('explainRsyncFailure: the diagnosis first, then rsync\'s message unchanged; unrecognised: the message alone', (t) => {
  const raw = stderr('ssh-refused');
  const verdict = classifyRsyncExit(255, null, raw);
  const said = explainRsyncFailure(verdict, raw, SSH_JOB, '/root');
  const [first, second, ...rest] = said.split('\n');
  t.regex(first!, /^nothing accepts connections on 127\.0\.0\.1 port 1/);
  t.is(second, verdict.message);
  t.deepEqual(rest, []);
  const other = classifyRsyncExit(20, null, stderr('sigterm'));
  t.is(explainRsyncFailure(other, stderr('sigterm'), SSH_JOB, '/root'), other.message);
  t.is(explainRsyncFailure(verdict, raw, { ...SSH_JOB, source: null }, '/root'), verdict.message, 'snapshot-only job');
});

test('hostile stderr never yields more than one line, and never throws', (t) => {
  t.notThrows(() => fc.assert(fc.property(fc.array(fc.oneof(
    fc.string(),
    fc.constantFrom('@ERROR: ', 'ssh: connect to host ', 'Permission denied (', 'change_dir "', ': command not found', '\n', '\r\n'),
  )), (parts) => {
    const said = diagnose(parts.join(''), ssh);
    return said === null || !said.includes('\n');
  })));
});
