import test from 'ava';
import fc from 'fast-check';
import { blockSizeFor, rsyncArgv, type SyncJob } from '../../src/sync/args.js';
import { parseSource, type Source } from '../../src/sync/source.js';

const source = (text: string): Source => parseSource(text) as Source;
const SIX_HOURS = 6 * 3600 * 1000;
const job = (overrides: Partial<SyncJob> & Pick<SyncJob, 'source'>): SyncJob => ({
  exclude: [], rsyncArgs: [], timeoutMs: SIX_HOURS, ...overrides,
});
const plain = { destination: '/tank/backup/vds', blockSize: null, progress: false };
const SSH_BASE = ['ssh', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=30', '-o', 'ServerAliveInterval=60'];

/** rsync's own splitting of the -e command (main.c, do_cmd), to check the quoting against. */
function rsyncSplit(command: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < command.length) {
    if (command[i] === ' ') {
      i++;
      continue;
    }
    let word = '';
    let quote = '';
    while (i < command.length && (command[i] !== ' ' || quote)) {
      const c = command[i]!;
      if ((c === "'" || c === '"') && !quote) {
        quote = c;
        i++;
        continue;
      }
      if (c === quote && command[++i] !== quote) {
        quote = '';
        continue;
      }
      word += command[i];
      i++;
    }
    if (quote) throw new Error(`Missing trailing-${quote} in remote-shell command.`);
    words.push(word);
  }
  return words;
}

const eValue = (argv: string[]): string => argv[argv.indexOf('-e') + 1]!;

test('a local pull: the fixed options, excludes, block size, progress, extra args, then source and destination', (t) => {
  const argv = rsyncArgv(
    job({ source: source('/srv/www'), exclude: ['/proc/', '*.tmp', '-weird'], rsyncArgs: ['-AX', '--bwlimit=1000'] }),
    { destination: '/tank/backup/www', blockSize: 16384, progress: true },
  );
  t.deepEqual(argv, [
    '-aH', '--numeric-ids', '--delete', '--inplace', '--no-whole-file', '--stats',
    '--timeout=600',
    '--block-size=16384',
    '--exclude=/proc/', '--exclude=*.tmp', '--exclude=-weird',
    '--info=progress2',
    '-AX', '--bwlimit=1000',
    '/srv/www/', '/tank/backup/www',
  ]);
});

test('without a block size or progress, neither option appears', (t) => {
  t.deepEqual(rsyncArgv(job({ source: source('/srv') }), plain), [
    '-aH', '--numeric-ids', '--delete', '--inplace', '--no-whole-file', '--stats', '--timeout=600', '/srv/', '/tank/backup/vds',
  ]);
});

test('rsync\'s I/O timeout is ten minutes, or the job\'s timeout when shorter (whole seconds, at least 1)', (t) => {
  const timeout = (timeoutMs: number) => rsyncArgv(job({ source: source('/srv'), timeoutMs }), plain)[6];
  t.is(timeout(SIX_HOURS), '--timeout=600');
  t.is(timeout(600_000), '--timeout=600');
  t.is(timeout(90_000), '--timeout=90');
  t.is(timeout(1500), '--timeout=2');
  t.is(timeout(0), '--timeout=1');
});

test('an ssh pull: ssh in batch mode with the job\'s key, port and known_hosts; the password file is not for ssh', (t) => {
  const argv = rsyncArgv(
    job({
      source: source('root@vds.example.com:/'),
      sshKey: '/root/.ssh/zbk_ed25519', sshPort: 2222, knownHosts: '/root/.ssh/known_hosts', passwordFile: '/etc/secret',
    }),
    plain,
  );
  t.deepEqual(argv.slice(7), [
    '-e', 'ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o LogLevel=ERROR -o ConnectTimeout=30 -o ServerAliveInterval=60 -i /root/.ssh/zbk_ed25519 -p 2222 -o UserKnownHostsFile=/root/.ssh/known_hosts',
    'root@vds.example.com:/', '/tank/backup/vds',
  ]);
});

test('an ssh pull without key, port or known_hosts leaves them to ssh\'s defaults', (t) => {
  t.deepEqual(rsyncSplit(eValue(rsyncArgv(job({ source: source('vds:/etc') }), plain))), SSH_BASE);
});

test('paths with spaces and quotes survive rsync\'s splitting of the -e command', (t) => {
  const e = eValue(rsyncArgv(job({ source: source('vds:/'), sshKey: "/keys/it's a key", knownHosts: '/etc/ssh/"known" hosts' }), plain));
  t.is(e, `${SSH_BASE.join(' ')} -i '/keys/it''s a key' -o 'UserKnownHostsFile=/etc/ssh/"known" hosts'`);
  t.deepEqual(rsyncSplit(e), [...SSH_BASE, '-i', "/keys/it's a key", '-o', 'UserKnownHostsFile=/etc/ssh/"known" hosts']);
});

test('any key path comes out of rsync\'s splitting as it went in', (t) => {
  t.notThrows(() => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("'", '"', ' ', '\t', '\\', 'a', '/', 'é') }), (key) => {
        const words = rsyncSplit(eValue(rsyncArgv(job({ source: source('vds:/'), sshKey: key }), plain)));
        return JSON.stringify(words) === JSON.stringify([...SSH_BASE, '-i', key]);
      }),
    );
  });
});

test('a daemon pull: the password file, and no remote shell', (t) => {
  const argv = rsyncArgv(
    job({ source: source('rsync://zbk@nas:8873/backup'), passwordFile: '/usr/local/etc/zbk/nas.secret', sshKey: '/k' }),
    plain,
  );
  t.deepEqual(argv.slice(7), ['--password-file=/usr/local/etc/zbk/nas.secret', 'rsync://zbk@nas:8873/backup/', '/tank/backup/vds']);
  t.deepEqual(rsyncArgv(job({ source: source('rsync://nas/backup') }), plain).slice(7), ['rsync://nas/backup/', '/tank/backup/vds']);
});

test('a local pull ignores ssh and daemon settings', (t) => {
  const argv = rsyncArgv(job({ source: source('/srv'), sshKey: '/k', sshPort: 22, passwordFile: '/p' }), plain);
  t.deepEqual(argv.slice(7), ['/srv/', '/tank/backup/vds']);
});

test('block size: auto follows the recordsize up to rsync\'s 128K, rsync leaves it to rsync, numbers are checked', (t) => {
  t.is(blockSizeFor('auto', 16384), 16384);
  t.is(blockSizeFor('auto', 131072), 131072);
  t.is(blockSizeFor('auto', 1048576), null);
  t.is(blockSizeFor('rsync', 16384), null);
  t.is(blockSizeFor(8192, 1048576), 8192);
  t.is(blockSizeFor(131072, 16384), 131072);
  t.is(blockSizeFor(131073, 16384), "block_size 131073 is not a whole number of bytes from 1 to 131072 (rsync's largest)");
  t.regex(blockSizeFor(0, 16384) as string, /block_size 0 is not/);
  t.regex(blockSizeFor(1.5, 16384) as string, /block_size 1.5 is not/);
});
