import test from 'ava';
import type { FileStat } from '../../src/util/stat.js';
import {
  exitCodeOf, judgeDataset, judgeKeyFile, judgeKnownHosts, judgePasswordFile, judgePool, judgeSsh, NO_SUCH_DIR, planChecks,
  remoteCommand, unsafeRemotePath, unusedPolicies,
} from '../../src/check/plan.js';
import { parseConfig } from '../../src/config/load.js';
import { transportFacts } from '../../src/sync/diagnose.js';
import { fixture } from '../helpers/fixtures.js';
import { parsedSource } from '../helpers/config.js';

const config = (jobs: string, extra = '') => parseConfig(`${extra}\n${jobs}`, '/etc/zbk.toml');
const file = (mode: number, uid = 0): FileStat => ({ isFile: true, isDirectory: false, mode: 0o100000 | mode, uid });
const facts = transportFacts({ source: parsedSource('root@web:/srv/www/'), sshKey: '/k', sshPort: 2222, knownHosts: '/kh', passwordFile: null }, '/root')!;

test('an ssh job: key file, known_hosts, host key, then ssh; then pool and dataset — each after what it needs', async (t) => {
  const c = await config('[[job]]\nname = "web"\ndataset = "tank/b/web"\nsource = "root@web:/srv/www"\nssh_key = "/k"\nssh_port = 2222\nknown_hosts = "/kh"\n');
  const plan = planChecks(c.jobs, '/root');
  t.deepEqual(plan.map((c) => [c.kind, c.needs]), [
    ['ssh-key', []],
    ['known-hosts', []],
    ['host-key', ['web/known-hosts']],
    ['ssh', ['web/ssh-key', 'web/host-key']],
    ['pool', []],
    ['dataset', ['web/pool']],
  ]);
  const hostKey = plan.find((c) => c.kind === 'host-key');
  t.deepEqual(hostKey?.kind === 'host-key' ? hostKey.files : null, ['/kh']);
});

test('no known_hosts in the job: ~/.ssh/known_hosts of the user, and the system-wide file for the host key', async (t) => {
  const c = await config('[[job]]\nname = "web"\ndataset = "tank/web"\nsource = "web:/"\n');
  const plan = planChecks(c.jobs, '/root');
  t.deepEqual(plan.map((c) => c.kind), ['known-hosts', 'host-key', 'ssh', 'pool', 'dataset'], 'no ssh_key: nothing to stat');
  const hostKey = plan.find((c) => c.kind === 'host-key');
  t.deepEqual(hostKey?.kind === 'host-key' ? hostKey.files : null, ['/root/.ssh/known_hosts', '/etc/ssh/ssh_known_hosts']);
});

test('rsync://, local and snapshot-only jobs', async (t) => {
  const c = await config([
    '[[job]]\nname = "fs"\ndataset = "tank/fs"\nsource = "rsync://zbk@fs/share/"\npassword_file = "/p"',
    '[[job]]\nname = "loc"\ndataset = "tank/loc"\nsource = "/home/"',
    '[[job]]\nname = "db"\ndataset = "tank/db"',
  ].join('\n'));
  t.deepEqual(planChecks(c.jobs, '/root').map((c) => `${c.job}:${c.kind}`), [
    'fs:password-file', 'fs:daemon', 'fs:pool', 'fs:dataset', 'loc:local-source', 'loc:pool', 'loc:dataset', 'db:pool', 'db:dataset',
  ]);
  const db = planChecks(c.jobs, '/root').find((c) => c.job === 'db' && c.kind === 'dataset');
  t.false(db?.kind === 'dataset' && db.mounted, 'a snapshot-only job\'s dataset need not be mounted');
});

test('a policy no job uses is a warning, a likely misspelling named; the built-in default is exempt', async (t) => {
  const c = await config('[[job]]\nname = "a"\ndataset = "tank/a"\n', '[retention.defualt]\ndaily = 3\n[retention.offsite]\ndaily = 30\n');
  t.deepEqual(unusedPolicies(c).map((r) => [r.status, r.message]), [
    ['warn', 'retention policy defualt is used by no job (a misspelling of default?): remove [retention.defualt], or name it in a job\'s retention'],
    ['warn', 'retention policy offsite is used by no job: remove [retention.offsite], or name it in a job\'s retention'],
  ]);
  const used = await config('[[job]]\nname = "a"\ndataset = "tank/a"\nretention = "offsite"\n', '[retention.offsite]\ndaily = 30\n');
  t.deepEqual(unusedPolicies(used), []);
});

test('key files: missing, or readable by group or others, fail (ssh ignores them)', (t) => {
  t.deepEqual(judgeKeyFile('/k', file(0o600)), ['ok', 'ssh_key /k (mode 0600)']);
  t.deepEqual(judgeKeyFile('/k', file(0o400)), ['ok', 'ssh_key /k (mode 0400)']);
  for (const mode of [0o640, 0o604, 0o644]) t.is(judgeKeyFile('/k', file(mode))[0], 'fail', mode.toString(8));
  t.regex(judgeKeyFile('/k', null)[1], /^ssh_key \/k does not exist: make one with `ssh-keygen -t ed25519/);
  t.is(judgeKeyFile('/k', { ...file(0o700), isFile: false })[0], 'fail');
});

test('known_hosts: missing gives the ssh-keyscan line; writable by group or others fails', (t) => {
  t.regex(judgeKnownHosts(facts, true, null)[1], /^known_hosts \/kh does not exist: run `ssh-keyscan -p 2222 web >> \/kh`/);
  t.is(judgeKnownHosts(facts, true, file(0o644))[0], 'ok');
  t.deepEqual(judgeKnownHosts(facts, true, file(0o664)), ['fail', 'known_hosts /kh is writable by its group (mode 0664), who could slip in a host key: run `chmod 644 /kh`']);
  t.deepEqual(judgeKnownHosts(facts, true, file(0o646)), ['fail', 'known_hosts /kh is writable by others (mode 0646), who could slip in a host key: run `chmod 644 /kh`']);
  t.deepEqual(judgeKnownHosts(facts, false, null), ['ok', 'no /kh (and no known_hosts in the job): the host key must be in /etc/ssh/ssh_known_hosts'], 'ssh\'s default file may be missing');
});

test('password files: others fail (rsync refuses), group warns, root wants it its own', (t) => {
  t.is(judgePasswordFile('/p', file(0o600), 0)[0], 'ok');
  t.is(judgePasswordFile('/p', file(0o400), 0)[0], 'ok');
  t.is(judgePasswordFile('/p', file(0o640), 0)[0], 'fail', 'as configtest and run judge it');
  t.is(judgePasswordFile('/p', file(0o604), 0)[0], 'fail');
  t.regex(judgePasswordFile('/p', file(0o600, 1000), 0)[1], /must be owned by root.*chown root \/p/);
  t.is(judgePasswordFile('/p', file(0o600, 1000), 1000)[0], 'ok', 'not root: rsync does not ask');
  t.is(judgePasswordFile('/p', null, 0)[0], 'fail');
});

test('the remote command quotes the path for the login shell; control characters are refused', (t) => {
  t.is(remoteCommand('/srv/www/'), `test -d /srv/www/ || echo '${NO_SUCH_DIR}'; rsync --version`);
  t.is(remoteCommand("/srv/it's; rm -rf /"), `test -d '/srv/it'\\''s; rm -rf /' || echo '${NO_SUCH_DIR}'; rsync --version`);
  t.true(unsafeRemotePath('/srv/a\nb/'));
  t.false(unsafeRemotePath('/srv/a b/'));
});

test('what ssh said: ok with rsync\'s version; the path missing; rsync missing; ssh\'s own failures diagnosed', (t) => {
  t.deepEqual(judgeSsh(facts, { code: 0, stdout: 'rsync  version 3.2.7  protocol version 31\n', stderr: '' }),
    ['ok', 'ssh root@web port 2222: logged in; /srv/www/ exists; rsync 3.2.7 there']);
  t.deepEqual(judgeSsh(facts, { code: 0, stdout: `${NO_SUCH_DIR}\nrsync  version 3.2.7\n`, stderr: '' }),
    ['fail', 'the source path /srv/www does not exist on web: fix the path in source (web:/path/)']);
  t.regex(judgeSsh(facts, { code: 127, stdout: '', stderr: 'sh: rsync: not found\n' })[1], /^rsync is not installed on web/);
  t.regex(judgeSsh(facts, { code: 255, stdout: '', stderr: fixture('rsync/ssh-host-key-changed.stderr') })[1], /has CHANGED/);
  t.deepEqual(judgeSsh(facts, { code: 255, stdout: '', stderr: 'something new\n' }), ['fail', 'ssh root@web port 2222 failed (exit 255): something new']);
});

test('pools and datasets: missing, unmarked, another job\'s, unmounted', (t) => {
  t.regex(judgePool('tank', null)[1], /^pool tank does not exist/);
  t.is(judgePool('tank', 'DEGRADED')[0], 'warn');
  t.is(judgePool('tank', 'ONLINE')[0], 'ok');
  const props = { owner: 'web', mountpoint: '/tank/web', mounted: 'yes' };
  t.regex(judgeDataset('web', 'tank/web', true, null)[1], /does not exist: create it with `zbk init --job web`$/);
  t.regex(judgeDataset('web', 'tank/web', true, { ...props, owner: null })[1], /has no zbk:job.*`zbk init --adopt --job web`$/);
  t.regex(judgeDataset('web', 'tank/web', true, { ...props, owner: 'db' })[1], /belongs to job db/);
  t.regex(judgeDataset('web', 'tank/web', true, { ...props, mounted: 'no' })[1], /is not mounted .*`zfs mount tank\/web`$/);
  t.is(judgeDataset('web', 'tank/web', false, { ...props, mounted: 'no' })[0], 'ok');
  t.is(judgeDataset('web', 'tank/web', true, props)[0], 'ok');
});

test('exit code: 2 on any failure, 1 on warnings, else 0', (t) => {
  const r = (status: 'ok' | 'warn' | 'fail') => ({ job: null, check: 'retention' as const, status, message: '' });
  t.is(exitCodeOf([]), 0);
  t.is(exitCodeOf([r('ok'), r('warn')]), 1);
  t.is(exitCodeOf([r('warn'), r('fail'), r('ok')]), 2);
});
