/**
 * libexec/zbk-receive, the forced command of a replication target's authorized_keys: run as
 * sshd runs it (the client's command in $SSH_ORIGINAL_COMMAND), under sh and, where they are
 * installed, dash and `bash --posix`.
 *
 * ZBK_RECEIVE_ZFS points the wrapper at a recorder: a two-line script that appends the argv it
 * was given to a file and exits 0. It is a test seam for the wrapper's dispatch (what reaches
 * zfs, word for word, or that nothing does), not a pretend ZFS: it answers nothing a zfs would,
 * and what zfs does with those commands is tested on real pools (test/integration/).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import fc from 'fast-check';
import { ROOT } from '../helpers/cli.js';
import { assertProperty } from '../retention/property.js';
import { snapshotGuidArgs } from '../../src/zfs/guids.js';
import { INERT_READ, createParentArgs, inertArgs, receiveArgs } from '../../src/zfs/receive.js';
import { receiveAbortArgs } from '../../src/zfs/resume.js';
import type { Capabilities } from '../../src/zfs/probe.js';

const SCRIPT = `${ROOT}libexec/zbk-receive`;
const ALLOWED = 'vault/zbk';

const shells: { readonly name: string; readonly argv: readonly string[] }[] = [{ name: 'sh', argv: ['sh'] }];
for (const [name, argv] of [
  ['dash', ['dash']],
  ['bash --posix', ['bash', '--posix']],
] as const) {
  if (spawnSync('sh', ['-c', `command -v ${argv[0]}`]).status === 0) shells.push({ name, argv });
}

interface Outcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Each call that reached the recorder: its argv. */
  readonly calls: string[][];
}

/** Runs the wrapper with `command` as the client's, the recorder as its zfs. */
function wrapper(shell: readonly string[], command: string | undefined, args: readonly string[] = [ALLOWED], zfs?: string, cwd?: string): Outcome {
  const dir = mkdtempSync(join(tmpdir(), 'zbk-receive-'));
  try {
    const log = join(dir, 'calls');
    const recorder = join(dir, 'zfs');
    // One line a call: each argument in brackets.
    writeFileSync(recorder, `#!/bin/sh\nfor a; do printf '[%s]' "$a"; done >>'${log}'\necho >>'${log}'\necho recorded\n`, { mode: 0o755 });
    const env: Record<string, string> = { PATH: '/usr/bin:/bin', ZBK_RECEIVE_ZFS: zfs ?? recorder };
    if (command !== undefined) env.SSH_ORIGINAL_COMMAND = command;
    const r = spawnSync(shell[0]!, [...shell.slice(1), SCRIPT, ...args], { env, encoding: 'utf8', ...(cwd === undefined ? {} : { cwd }) });
    const calls = existsSync(log)
      ? readFileSync(log, 'utf8').split('\n').filter((l) => l !== '').map((l) => [...l.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!))
      : [];
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// What zbk's own code sends to a target: each must reach zfs word for word.
const modern: Capabilities = { modern: true, receiveUnmounted: true, resumable: true, bookmarks: false, listHolds: false, sendEstimate: false };
const legacy: Capabilities = { modern: false, receiveUnmounted: false, resumable: false, bookmarks: false, listHolds: false, sendEstimate: false };
const ZBK_COMMANDS: readonly (readonly string[])[] = [
  ['list', '-H', '-p', '-o', 'name', '-d', '0', ALLOWED],
  ['receive', '-u'],
  ['get', '-H', '-o', 'value', 'receive_resume_token', ALLOWED],
  ['get', '-H', '-o', 'value', 'type', ALLOWED],
  snapshotGuidArgs(`${ALLOWED}/web`),
  snapshotGuidArgs(`${ALLOWED}/web`, INERT_READ),
  ['get', '-H', '-o', 'value', 'receive_resume_token', `${ALLOWED}/web`],
  ['get', '-H', '-o', 'property,value', 'canmount,readonly,setuid,exec,mounted', `${ALLOWED}/web`],
  receiveArgs(`${ALLOWED}/web`, modern, { force: false }),
  receiveArgs(`${ALLOWED}/web`, modern, { force: true }),
  receiveArgs(`${ALLOWED}/web`, legacy, { force: false }),
  receiveArgs(`${ALLOWED}/web`, legacy, { force: true }),
  receiveAbortArgs(`${ALLOWED}/web`),
  createParentArgs(ALLOWED),
  createParentArgs(`${ALLOWED}/sub`),
  ...inertArgs(`${ALLOWED}/web`, new Map([['mounted', 'yes']])),
  ['destroy', `${ALLOWED}/web@zbk_2026-10-01T030000Z`],
  ['destroy', `${ALLOWED}/web@zbk_2026-10-01T030000Z,zbk_2026-10-02T030000Z,manual-x`],
  ['list', '-H', '-o', 'name', '-t', 'snapshot', `${ALLOWED}/web@zbk_2026-10-01T030000Z`],
];

for (const shell of shells) {
  test(`${shell.name}: every command zbk sends a target reaches zfs word for word, by the wrapper's own zfs`, (t) => {
    for (const argv of ZBK_COMMANDS) {
      for (const zfsWord of ['zfs', '/usr/local/sbin/zfs']) {
        const r = wrapper(shell.argv, [zfsWord, ...argv].join(' '));
        t.is(r.status, 0, `${argv.join(' ')}: ${r.stderr}`);
        t.is(r.stdout, 'recorded\n', 'exec: the output is zfs\'s');
        t.deepEqual(r.calls, [[...argv]]);
      }
    }
  });

  test(`${shell.name}: the zfs word names no program: a client's /tmp/zfs is not run, the wrapper's zfs is`, (t) => {
    const r = wrapper(shell.argv, '/tmp/zfs receive -u vault/zbk/web');
    t.is(r.status, 0);
    t.deepEqual(r.calls, [['receive', '-u', 'vault/zbk/web']]);
  });

  test(`${shell.name}: blanks and tabs split words`, (t) => {
    const r = wrapper(shell.argv, 'zfs  get\t-H -o value type   vault/zbk/web');
    t.is(r.status, 0, r.stderr);
    t.deepEqual(r.calls, [['get', '-H', '-o', 'value', 'type', 'vault/zbk/web']]);
  });

  test(`${shell.name}: globbing is off: a pattern that would match a path here stays a pattern, and is refused`, (t) => {
    const cwd = mkdtempSync(join(tmpdir(), 'zbk-receive-cwd-'));
    try {
      mkdirSync(join(cwd, 'vault/zbk/web'), { recursive: true });
      const r = wrapper(shell.argv, 'zfs receive -u vault/zbk/w*', [ALLOWED], undefined, cwd);
      t.is(r.status, 1);
      t.regex(r.stderr, /not a plain word: vault\/zbk\/w\*/);
      t.deepEqual(r.calls, []);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
}

/** Commands refused, each with what the message must say: none reaches zfs. */
const REFUSED: readonly (readonly [string | undefined, RegExp])[] = [
  [undefined, /no command/],
  ['', /no command/],
  ['sh', /not a zfs command: sh/],
  ['zpool destroy vault', /not a zfs command: zpool/],
  ['rm -rf /', /not a zfs command/],
  ['zfs', /no subcommand/],
  // Anything a shell would read as more than a word.
  ['zfs list -H vault/zbk; reboot', /not a plain word: vault\/zbk;/],
  ['zfs list -H vault/zbk && reboot', /not a plain word: &&/],
  ['zfs list -H vault/zbk | reboot', /not a plain word: \|/],
  ['zfs list -H $(reboot)', /not a plain word: \$\(reboot\)/],
  ['zfs list -H `reboot`', /not a plain word: `reboot`/],
  ['zfs get -H -o value type vault/zbk/*', /not a plain word: vault\/zbk\/\*/],
  ['zfs list -H vault/zbk/web >/etc/passwd', /not a plain word/],
  ["zfs list -H 'vault/zbk/web'", /not a plain word/],
  ['zfs list -H vault/zbk/we~b', /not a plain word/],
  ['zfs destroy vault/zbk/web@a%b', /not a plain word: vault\/zbk\/web@a%b/],
  ['zfs list -H -o name vault/zbk\nreboot', /reboot is not a dataset at or under vault\/zbk/],
  // Subcommands replication does not need.
  ...['send vault/zbk/web@x', 'send -t 1-abc-def-789c', 'rename vault/zbk/web vault/zbk/x', 'rollback -r vault/zbk/web@x',
    'clone vault/zbk/web@x vault/zbk/c', 'promote vault/zbk/c', 'mount vault/zbk/web', 'inherit mountpoint vault/zbk/web',
    'allow zbk destroy vault/zbk', 'hold keep vault/zbk/web@x', 'release keep vault/zbk/web@x', 'holds -H vault/zbk/web@x',
    'bookmark vault/zbk/web@x vault/zbk/x', 'upgrade -a', 'diff vault/zbk/web@x', 'snapshot vault/zbk/web@x',
    'userspace vault/zbk/web', 'share -a', 'program'].map((c) => [`zfs ${c}`, new RegExp(`zfs ${c.split(' ')[0]} is not let through`)] as const),
  // Datasets outside the allowed one, at a component boundary, or climbing out.
  ['zfs receive -u vault/zbkX', /vault\/zbkX is not a dataset under vault\/zbk/],
  ['zfs receive -u vault/zbkX/web', /vault\/zbkX\/web is not a dataset under/],
  ['zfs receive -u vault', /vault is not a dataset under/],
  ['zfs receive -u vault/zbk', /vault\/zbk is not a dataset under vault\/zbk/],
  ['zfs receive -u vault/zbk/../other', /vault\/zbk\/\.\.\/other is not a dataset under/],
  ['zfs receive -u vault/zbk/./web', /is not a dataset under/],
  ['zfs receive -u vault/zbk/web/', /is not a dataset under/],
  ['zfs receive -u vault/zbk//web', /is not a dataset under/],
  ['zfs receive -u /vault/zbk/web', /is not a dataset under/],
  ['zfs receive -u tank/vault/zbk/web', /is not a dataset under/],
  ['zfs receive -u vault/zbk/web@x', /receive into a snapshot name/],
  ['zfs receive -A vault/zbkX', /not a dataset under/],
  ['zfs receive -A vault/zbk', /not a dataset under/],
  // receive: only -u -s -F, each once, one dataset.
  ['zfs receive -o mountpoint=/ vault/zbk/web', /zfs receive -o is not let through/],
  ['zfs receive -x mountpoint vault/zbk/web', /zfs receive -x is not let through/],
  ['zfs receive -d vault/zbk/web', /zfs receive -d is not let through/],
  ['zfs receive -e vault/zbk/web', /zfs receive -e is not let through/],
  ['zfs receive -uF vault/zbk/web', /zfs receive -uF is not let through/],
  ['zfs receive -u -u vault/zbk/web', /-u twice/],
  ['zfs receive vault/zbk/web vault/zbk/other', /zfs receive vault\/zbk\/web is not let through/],
  ['zfs receive', /zfs receive needs one dataset/],
  ['zfs receive -s', /-s is not a dataset under/],
  ['zfs receive -A', /-A is not a dataset under/],
  // destroy: snapshots under the allowed dataset, no option.
  ['zfs destroy vault/zbk/web', /only snapshots are destroyed: vault\/zbk\/web is not one/],
  ['zfs destroy -r vault/zbk/web@x', /no option/],
  ['zfs destroy -R vault/zbk@x', /no option/],
  ['zfs destroy vault/zbk@x', /vault\/zbk is not a dataset under/],
  ['zfs destroy vault/zbkX/web@x', /not a dataset under/],
  ['zfs destroy other/ds@x', /not a dataset under/],
  ['zfs destroy vault/zbk/web@', /does not name snapshots/],
  ['zfs destroy vault/zbk/web@a,,b', /does not name snapshots/],
  ['zfs destroy vault/zbk/web@a,', /does not name snapshots/],
  ['zfs destroy vault/zbk/web@a@b', /does not name snapshots/],
  ['zfs destroy vault/zbk/web@a/b', /does not name snapshots/],
  ['zfs destroy vault/zbk/web@a vault/zbk/web@b', /no option/],
  // create: exactly -p -o canmount=off, at or under.
  ['zfs create vault/zbk/web', /only zfs create -p -o canmount=off DATASET/],
  ['zfs create -p vault/zbk/web', /only zfs create -p -o canmount=off DATASET/],
  ['zfs create -p -o canmount=on vault/zbk/web', /only zfs create -p -o canmount=off DATASET/],
  ['zfs create -p -o mountpoint=/ vault/zbk/web', /only zfs create -p -o canmount=off DATASET/],
  ['zfs create -p -o canmount=off other/x', /other\/x is not a dataset at or under vault\/zbk/],
  ['zfs create -p -o canmount=off vault/zbk/web@x', /not a file system name/],
  ['zfs create -V 1G -o canmount=off vault/zbk/vol', /only zfs create -p -o canmount=off DATASET/],
  // set: the four inert values only, strictly under.
  ['zfs set mountpoint=/ vault/zbk/web', /zfs set mountpoint=\/ is not let through/],
  ['zfs set mountpoint=/etc vault/zbk/web', /zfs set mountpoint=\/etc is not let through/],
  ['zfs set readonly=off vault/zbk/web', /zfs set readonly=off is not let through/],
  ['zfs set canmount=on vault/zbk/web', /zfs set canmount=on is not let through/],
  ['zfs set setuid=on vault/zbk/web', /is not let through/],
  ['zfs set exec=on vault/zbk/web', /is not let through/],
  ['zfs set sharenfs=on vault/zbk/web', /is not let through/],
  ['zfs set zbk:job=web vault/zbk/web', /is not let through/],
  ['zfs set readonly=on other/ds', /other\/ds is not a dataset under/],
  ['zfs set readonly=on vault/zbk', /vault\/zbk is not a dataset under/],
  ['zfs set readonly=on vault/zbk/web vault/zbk/x', /one property=value and one dataset/],
  ['zfs set readonly=on', /one property=value and one dataset/],
  // unmount: one dataset, no -f, no -a.
  ['zfs unmount -a', /-a is not a dataset under/],
  ['zfs unmount -f vault/zbk/web', /one dataset and no option/],
  ['zfs unmount /', /\/ is not a dataset under/],
  ['zfs unmount vault/zbk', /vault\/zbk is not a dataset under/],
  // list and get: a dataset at or under, options with checked values, never every pool.
  ['zfs list', /of every pool is not let through/],
  ['zfs list -H -o name', /of every pool is not let through/],
  ['zfs list -H -p -o name -d 0', /of every pool is not let through/],
  ['zfs get all', /of every pool is not let through/],
  ['zfs get -H -o value type', /of every pool is not let through/],
  ['zfs get -H -o value type other/x', /other\/x is not a dataset at or under/],
  ['zfs get -H -o value type vault/zbk/web other/x', /other\/x is not a dataset at or under/],
  ['zfs list -H -o name vault/zbkX', /vault\/zbkX is not a dataset at or under/],
  ['zfs list -r -H vault/zbk', /zfs list -r is not let through/],
  ['zfs get -s local all vault/zbk', /zfs get -s is not let through/],
  ['zfs list -H -d x vault/zbk', /-d takes a number/],
  ['zfs list -H -o name=x vault/zbk', /-o takes field names/],
  ['zfs list -H -t snapshot', /of every pool is not let through/],
  ['zfs list -H -t', /-t takes types/],
  ['zfs get -H -o value type -vault', /-vault is not a dataset at or under/],
  ['zfs get -H -o value type vault/zbk/web@a@b', /not a snapshot name zbk-receive lets through/],
  ['zfs get -H -o value type vault/zbk/web#bm', /not a plain word/],
];

for (const shell of shells) {
  test(`${shell.name}: each refused command exits 1 with a message, and nothing reaches zfs`, (t) => {
    for (const [command, message] of REFUSED) {
      const r = wrapper(shell.argv, command);
      const shown = JSON.stringify(command);
      t.is(r.status, 1, shown);
      t.regex(r.stderr, /^zbk-receive: refused: /, shown);
      t.regex(r.stderr, message, shown);
      t.is(r.stderr.split('\n').length, 2, `${shown}: one line`);
      t.is(r.stdout, '', shown);
      t.deepEqual(r.calls, [], `${shown} reached zfs`);
    }
  });

  test(`${shell.name}: the authorized_keys line must name one dataset; zfs must be an absolute path`, (t) => {
    const cases: readonly (readonly [readonly string[], string | undefined, RegExp])[] = [
      [[], undefined, /usage: zbk-receive DATASET/],
      [['vault/zbk', 'vault/other'], undefined, /usage: zbk-receive DATASET/],
      [['../vault'], undefined, /the allowed dataset '\.\.\/vault' is not a dataset name/],
      [['-rf'], undefined, /the allowed dataset '-rf' is not a dataset name/],
      [['vault/zbk/'], undefined, /is not a dataset name/],
      [['vault/*'], undefined, /is not a dataset name/],
      [[ALLOWED], 'zfs', /ZBK_RECEIVE_ZFS must be an absolute path, not 'zfs'/],
    ];
    for (const [args, zfs, message] of cases) {
      const r = wrapper(shell.argv, 'zfs receive -u vault/zbk/web', args, zfs);
      t.is(r.status, 1, args.join(' '));
      t.regex(r.stderr, message);
      t.deepEqual(r.calls, []);
    }
  });
}

test('clean under shellcheck, as `make lint` runs it', (t) => {
  if (spawnSync('sh', ['-c', 'command -v shellcheck']).status !== 0) {
    t.fail('shellcheck is not installed (make lint needs it)');
    return;
  }
  const r = spawnSync('shellcheck', ['-s', 'sh', SCRIPT], { encoding: 'utf8' });
  t.is(r.status, 0, r.stdout);
  t.regex(readFileSync(`${ROOT}Makefile`, 'utf8'), /shellcheck -s sh [^\n]*libexec\/zbk-receive/);
});

test('property: a command reaches zfs only as sent, with a subcommand of the list, naming only datasets at or under the allowed one', (t) => {
  // ZBK_COMMANDS name vault/zbk; the generated words add others, options and shell syntax.
  const vocabulary = ['zfs', 'receive', 'destroy', 'set', 'get', 'list', 'create', 'unmount', 'send', 'rename', '-u', '-s', '-F', '-A', '-p', '-o', '-H', '-d', '1',
    '-t', 'snapshot', '-r', 'name', 'guid,creation', 'canmount=off', 'readonly=on', 'mountpoint=/', 'vault/zbk', 'vault/zbk/web', 'vault/zbkX', 'vault',
    'vault/zbk/../x', 'vault/zbk/web@a', 'vault/zbk/web@a,b', 'vault/zbk@a', 'other/x', ';', '$(x)', '*'];
  const allowed = new Set(['list', 'get', 'receive', 'destroy', 'create', 'set', 'unmount']);
  let passed = 0;
  // zbk's own commands, each with one word replaced, inserted or dropped.
  const command = fc
    .tuple(fc.constantFrom(...ZBK_COMMANDS), fc.nat(), fc.constantFrom(...vocabulary), fc.constantFrom('replace', 'insert', 'drop', 'keep'))
    .map(([argv, at, word, edit]) => {
      const out = [...argv];
      const i = at % (out.length + 1);
      if (edit === 'replace') out[Math.min(i, out.length - 1)] = word;
      else if (edit === 'insert') out.splice(i, 0, word);
      else if (edit === 'drop') out.splice(Math.min(i, out.length - 1), 1);
      return out.length > 0 ? out : [word];
    });
  assertProperty(t, fc.property(command, (tokens) => {
    const r = wrapper(['sh'], ['zfs', ...tokens].join(' '));
    if (r.status !== 0) return r.calls.length === 0 && r.stderr.startsWith('zbk-receive: refused: ');
    const [call] = r.calls;
    passed++;
    // Dataset operands hold / or @ (a bare word such as `vault` can only be an option's value here, which zfs reads as a field name).
    const named = (call ?? []).filter((w) => /^(vault|other)[/@]/.test(w)).map((w) => w.split('@')[0]!);
    return r.calls.length === 1 && JSON.stringify(call) === JSON.stringify(tokens) && allowed.has(call![0]!) &&
      named.every((d) => (d === 'vault/zbk' || d.startsWith('vault/zbk/')) && !d.split('/').includes('..'));
  }), { numRuns: 400, seed: 13 });
  t.true(passed > 50, `${passed} generated commands were let through`);
});
