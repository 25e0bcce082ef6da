/** The restore's rsync command line: flags, order, the job's extras a push keeps, operands after `--`. */
import test from 'ava';
import fc from 'fast-check';
import { pushArgv, pushExtras } from '../../src/restore/argv.js';
import type { SyncJob } from '../../src/sync/args.js';

const SSH: SyncJob = {
  source: { kind: 'ssh', user: 'root', host: 'web', path: '/srv/' },
  exclude: ['/proc/', '*.tmp'], rsyncArgs: [], timeoutMs: 3600_000,
  sshKey: '/root/.ssh/zbk', sshPort: 2222, knownHosts: '/root/.ssh/known_hosts',
};
const VIEW = '/var/db/zbk/views/42/web@zbk_2026-11-21T030000Z';

const operands = (argv: string[]) => argv.slice(argv.indexOf('--') + 1);

test('onto an ssh host: -aH --numeric-ids, --relative, the pull\'s excludes and hardened ssh, itemized, operands after --', (t) => {
  const argv = pushArgv(SSH, { view: VIEW, inner: ['www/index.html', 'etc'], to: null, dryRun: false, delete: false });
  t.deepEqual(argv, [
    '-aH', '--numeric-ids', '--relative', '--no-implied-dirs', '--timeout=600', '--exclude=/proc/', '--exclude=*.tmp',
    '-e', "ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o LogLevel=ERROR -o ConnectTimeout=30 -o ServerAliveInterval=60 -i /root/.ssh/zbk -p 2222 -o 'UserKnownHostsFile=\"/root/.ssh/known_hosts\"'",
    '--out-format=%i %n', '--',
    `${VIEW}/./www/index.html`, `${VIEW}/./etc`, 'root@web:/srv/',
  ]);
  t.false(argv.some((a) => a.startsWith('--delete')), 'nothing deleted without --delete');
});

test('--dry-run adds -n, --delete adds --delete (never --delete-excluded); the whole source is VIEW/./', (t) => {
  const argv = pushArgv(SSH, { view: `${VIEW}/`, inner: [''], to: null, dryRun: true, delete: true });
  t.true(argv.includes('-n'));
  t.true(argv.includes('--delete'));
  t.false(argv.includes('--delete-excluded'));
  t.deepEqual(operands(argv), [`${VIEW}/./`, 'root@web:/srv/']);
});

test('--to DIR: no transport, DIR/ as the destination; a daemon source gets its password file; a path with spaces gets --protect-args', (t) => {
  const dir = pushArgv(SSH, { view: VIEW, inner: ['a'], to: '/restore/here', dryRun: false, delete: false });
  t.false(dir.includes('-e'));
  t.deepEqual(operands(dir), [`${VIEW}/./a`, '/restore/here/']);
  const daemon: SyncJob = { ...SSH, source: { kind: 'daemon', user: 'zbk', host: 'nas', port: 8730, module: 'www', path: 'site/' }, passwordFile: '/etc/zbk.secret' };
  const d = pushArgv(daemon, { view: VIEW, inner: ['a'], to: null, dryRun: false, delete: false });
  t.true(d.includes('--password-file=/etc/zbk.secret'));
  t.is(d.at(-1), 'rsync://zbk@nas:8730/www/site/');
  const spaced = pushArgv({ ...SSH, source: { kind: 'ssh', user: null, host: 'web', path: '/srv/my files/' } }, { view: VIEW, inner: ['a'], to: null, dryRun: false, delete: false });
  t.true(spaced.includes('--protect-args'));
  const local = pushArgv({ ...SSH, source: { kind: 'local', path: '/var/src/' } }, { view: VIEW, inner: ['a'], to: null, dryRun: false, delete: false });
  t.is(local.at(-1), '/var/src/');
  t.false(local.includes('-e'));
});

test('-A and -X of the job (also inside -aAX, or long) come as --acls --xattrs after the job\'s extras', (t) => {
  for (const args of [['-aAXz'], ['--acls', '--xattrs', '-z'], ['-X', '-A', '--compress']]) {
    const argv = pushArgv({ ...SSH, rsyncArgs: args }, { view: VIEW, inner: ['a'], to: null, dryRun: false, delete: false });
    const acls = argv.indexOf('--acls');
    const xattrs = argv.indexOf('--xattrs');
    t.true(acls > argv.indexOf('-aH') && xattrs > acls, args.join(' '));
    t.true(acls > Math.max(argv.indexOf('-az'), argv.indexOf('-z'), argv.indexOf('--compress')), args.join(' '));
  }
  const none = pushArgv(SSH, { view: VIEW, inner: ['a'], to: null, dryRun: false, delete: false });
  t.false(none.includes('--acls') || none.includes('--xattrs'));
});

test('the job\'s extras: transfer and filter options kept, deletion, pull-side writing, output and metadata changes left out with why', (t) => {
  const e = pushExtras(['--bwlimit=1000', '-z', '--rsync-path=sudo rsync', '--exclude=*.iso', '-f- *.bak', '--timeout=60',
    '--delete-excluded', '--inplace', '--no-whole-file', '-v', '--stats', '--chmod=D700', '--update', '-vP', '-B65536', '-M--fake-super']);
  t.deepEqual(e.kept, ['--bwlimit=1000', '-z', '--rsync-path=sudo rsync', '--exclude=*.iso', '-f- *.bak', '--timeout=60']);
  t.deepEqual(e.dropped.map((d) => d.arg), ['--delete-excluded', '--inplace', '--no-whole-file', '-v', '--stats', '--chmod=D700', '--update', '-v', '-P', '-B65536', '-M--fake-super']);
  const why = new Map(e.dropped.map((d) => [d.arg, d.why]));
  t.regex(why.get('--delete-excluded')!, /deletes only with --delete/);
  t.regex(why.get('--inplace')!, /renames it into place/);
  t.regex(why.get('--stats')!, /what rsync prints/);
  t.regex(why.get('--chmod=D700')!, /metadata/);
  t.regex(why.get('--update')!, /not taken for a restore/);
  t.regex(why.get('-B65536')!, /renames it into place/);
});

test('invariant: whatever the inner paths and the job\'s extras, every operand comes after --, starts with the view, and no --delete* without --delete', (t) => {
  const component = fc.stringMatching(/^[-a-zA-Z0-9. _]{1,8}$/).filter((c) => c !== '.' && c !== '..');
  const inner = fc.array(component, { minLength: 0, maxLength: 4 }).map((cs) => cs.join('/'));
  const extra = fc.constantFrom('--delete', '--delete-after', '--del', '-z', '-aAX', '--remove-source-files', '--bwlimit=1', '-vn', '--inplace', '--max-delete=5');
  t.notThrows(() => fc.assert(fc.property(fc.array(inner, { minLength: 1, maxLength: 3 }), fc.array(extra), fc.boolean(), (paths, extras, del) => {
    const argv = pushArgv({ ...SSH, rsyncArgs: extras }, { view: VIEW, inner: paths, to: null, dryRun: false, delete: del });
    const dash = argv.indexOf('--');
    const ops = argv.slice(dash + 1, -1);
    const deletes = argv.slice(0, dash).filter((a) => a.startsWith('--del') || a === '--remove-source-files');
    const dryRunByExtras = argv.slice(0, dash).some((a) => /^-[a-zA-Z]*n/.test(a));
    return ops.length === paths.length && ops.every((o) => o.startsWith(`${VIEW}/./`)) && !dryRunByExtras
      && (del ? deletes.length === 1 && deletes[0] === '--delete' : deletes.length === 0);
  })));
});
