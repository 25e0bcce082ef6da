import test from 'ava';
import fc from 'fast-check';
import { blockSizeFor, rsyncArgsProblems, rsyncArgv, type SyncJob } from '../../src/sync/args.js';
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
    '-e', 'ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o LogLevel=ERROR -o ConnectTimeout=30 -o ServerAliveInterval=60 -i /root/.ssh/zbk_ed25519 -p 2222 -o \'UserKnownHostsFile="/root/.ssh/known_hosts"\'',
    'root@vds.example.com:/', '/tank/backup/vds',
  ]);
});

test('an ssh pull without key, port or known_hosts leaves them to ssh\'s defaults', (t) => {
  t.deepEqual(rsyncSplit(eValue(rsyncArgv(job({ source: source('vds:/etc') }), plain))), SSH_BASE);
});

test('paths with spaces and quotes survive rsync\'s splitting of the -e command', (t) => {
  const e = eValue(rsyncArgv(job({ source: source('vds:/'), sshKey: "/keys/it's a key", knownHosts: "/etc/ssh/it's known hosts" }), plain));
  t.is(e, `${SSH_BASE.join(' ')} -i '/keys/it''s a key' -o 'UserKnownHostsFile="/etc/ssh/it''s known hosts"'`);
  t.deepEqual(rsyncSplit(e), [...SSH_BASE, '-i', "/keys/it's a key", '-o', `UserKnownHostsFile="/etc/ssh/it's known hosts"`]);
});

/**
 * How ssh reads the value of `-o Keyword=VALUE` into words: OpenSSH 8.7 and later with
 * argv_split (misc.c: quotes ' and ", backslash escapes of quotes, backslash and space,
 * a # starting a word ends the line), older ones with strdelim (a value in double quotes
 * is one word, no escapes). UserKnownHostsFile takes every word as a file.
 */
function sshWordsNew(value: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < value.length) {
    if (value[i] === ' ' || value[i] === '\t') { i++; continue; }
    if (value[i] === '#') break;
    let word = '';
    let quote = '';
    for (; i < value.length; i++) {
      const c = value[i]!;
      if (c === '\\' && (value[i + 1] === "'" || value[i + 1] === '"' || value[i + 1] === '\\' || (!quote && value[i + 1] === ' '))) word += value[++i];
      else if (!quote && (c === ' ' || c === '\t')) break;
      else if (!quote && (c === '"' || c === "'")) quote = c;
      else if (quote && c === quote) quote = '';
      else word += c;
    }
    words.push(word);
  }
  return words;
}

function sshWordsOld(value: string): string[] {
  const words: string[] = [];
  let rest = value.trimStart();
  while (rest !== '') {
    if (rest.startsWith('"')) {
      const end = rest.indexOf('"', 1);
      if (end < 0) throw new Error('no matching quote');
      words.push(rest.slice(1, end));
      rest = rest.slice(end + 1).trimStart();
    } else {
      const end = rest.search(/[ \t"]/);
      words.push(end < 0 ? rest : rest.slice(0, end));
      rest = end < 0 ? '' : rest.slice(end).trimStart();
    }
  }
  return words;
}

test('a known_hosts path with spaces stays one file for ssh, old and new', (t) => {
  t.notThrows(() => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(' ', '\t', "'", '#', 'a', '/', '.', '-', 'é') }), (tail) => {
        const path = `/${tail}`;
        const words = rsyncSplit(eValue(rsyncArgv(job({ source: source('vds:/'), knownHosts: path }), plain)));
        const option = words.at(-1)!;
        const value = option.slice('UserKnownHostsFile='.length);
        return option.startsWith('UserKnownHostsFile=') &&
          JSON.stringify(sshWordsNew(value)) === JSON.stringify([path]) &&
          JSON.stringify(sshWordsOld(value)) === JSON.stringify([path]);
      }),
    );
  });
  t.deepEqual(sshWordsNew('/etc/ssh/known hosts'), ['/etc/ssh/known', 'hosts'], 'unquoted, ssh would read two files');
});

test('a remote path with anything a shell reads gets --protect-args, a plain one does not', (t) => {
  const args = (text: string) => rsyncArgv(job({ source: source(text) }), plain).slice(7, -4);
  t.deepEqual(args('vds:/srv/www-1.0/a_b+c,d:e@f%g=h'), []);
  for (const path of ['/srv/my files', '/srv/$(reboot)', "/srv/it's", '/srv/a;b', '/srv/~x', '/srv/a&b', '/srv/é', '/srv/a"b', '/srv/`x`', '/srv/{a,b}']) {
    t.deepEqual(args(`vds:${path}`), ['--protect-args'], path);
  }
  t.deepEqual(rsyncArgv(job({ source: source('/srv/my files') }), plain).slice(7, -2), [], 'a local path is one argument to a local rsync');
  t.deepEqual(rsyncArgv(job({ source: source('rsync://nas/m/my files') }), plain).slice(7, -2), [], 'a daemon path goes over the socket');
});

test('an exclude that rsync would read as a rule means the pattern itself', (t) => {
  const excludes = (exclude: string[]) => rsyncArgv(job({ source: source('/srv'), exclude }), plain).slice(7, -2);
  t.deepEqual(excludes(['/proc/', '*.tmp', '**/cache/', '!x', '-x', '+x', ' + x']), [
    '--exclude=/proc/', '--exclude=*.tmp', '--exclude=**/cache/', '--exclude=!x', '--exclude=-x', '--exclude=+x', '--exclude= + x',
  ]);
  t.deepEqual(excludes(['!', '+ /keep', '- /x']), ['--exclude=- !', '--exclude=- + /keep', '--exclude=- - /x']);
});

test('rsync_args: options may change how rsync copies, never what from, where to, or the host\'s files', (t) => {
  t.deepEqual(rsyncArgsProblems(['-AX', '--bwlimit=1000', '--delete-excluded', '--timeout=0', '-s', '-B4096', '--info=progress2', '-M--fake-super', '-v']), []);
  t.deepEqual(rsyncArgsProblems(['--backup', '--backup-dir=.old', '--partial-dir=.rsync-partial', '-T.tmp', '--log-file=/var/log/zbk-rsync.log']), [], 'directories inside the destination');
  const refused: [string, RegExp][] = [
    ['/etc', /is not an option: it would be one more source/],
    ['root@other:/', /is not an option/],
    ['1000', /is not an option/],
    ['-', /is not an option/],
    ['--', /makes the words after it sources/],
    ['--remove-source-files', /deletes files on the host/],
    ['--remove-sent-files', /deletes files on the host/],
    ['-e', /replaces zbk's ssh command/],
    ['-essh -p 2', /replaces zbk's ssh command/],
    ['-ave', /replaces zbk's ssh command/],
    ['--rsh=ssh', /replaces zbk's ssh command/],
    ['--old-args', /remote shell/],
    ['--no-protect-args', /remote shell/],
    ['--no-secluded-args', /remote shell/],
    ['--no-s', /remote shell/],
    ['--server', /internal/],
    ['--sender', /internal/],
    ['--daemon', /starts an rsync daemon/],
    ['--read-batch=/tmp/b', /batch file/],
    ['-M--remove-source-files', /passes "--remove-source-files", which deletes files on the host/],
    ['--remote-option=--remove-source-files', /deletes files on the host/],
    ['--remote-option', /needs its value in the same word/],
    ['-aB', /needs its value in the same word/],
    ['--write-batch=/etc/passwd', /writes a file outside the dataset/],
    ['--only-write-batch=/root/b', /writes a file outside the dataset/],
    ['--backup-dir=/etc', /would move or write files outside the dataset \(\/etc\)/],
    ['--partial-dir=../x', /outside the dataset/],
    ['--temp-dir=/tmp', /outside the dataset/],
    ['-T/tmp', /outside the dataset/],
    ['-aT../../x', /outside the dataset/],
    ['--backup-dir', /needs its value in the same word/],
    ['--bwlimit=1\u0000', /control character/],
    ['--exclude=a\nb', /control character/],
  ];
  for (const [arg, why] of refused) {
    const problems = rsyncArgsProblems([arg]);
    t.is(problems.length, 1, arg);
    t.regex(problems[0]!, why, arg);
    t.true(problems[0]!.startsWith(JSON.stringify(arg)), 'each problem names the argument');
  }
  t.deepEqual(rsyncArgsProblems(['-aB1024', '-ae']).length, 1, 'a short option with its value in the word; e is -e wherever it stands');
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
