/** The replay itself: its script format, and that it fails a test that runs what it does not expect or leaves some unrun. */
import test, { type ExecutionContext } from 'ava';
import { ZfsError } from '../../src/zfs/errors.js';
import { exchange, parseScript, replay } from './replay.js';

/** A stand-in for ava's context that records what the replay says to it. */
function watched() {
  const failures: string[] = [];
  const teardowns: Array<() => void> = [];
  const t = { fail: (m: string) => failures.push(m), teardown: (f: () => void) => teardowns.push(f) } as unknown as ExecutionContext;
  return { t, failures, teardown: () => teardowns.forEach((f) => f()) };
}

test('the format: commands, exit, errno, outputs from files and from lines', (t) => {
  const x = parseScript('# origin\n\n$ zfs list -H\n1| a\tb\n1| c\n$ zfs destroy t/a@x\nexit 1\nstderr zfs/openzfs-destroy-busy.txt\n$ zpool status\nerrno E2BIG\n2|\n', 's.txt');
  t.deepEqual(x.map((e) => [e.tool, e.args, e.answer.exitCode, e.answer.errno ?? null, e.origin]), [
    ['zfs', ['list', '-H'], 0, null, 's.txt:3'],
    ['zfs', ['destroy', 't/a@x'], 1, null, 's.txt:6'],
    ['zpool', ['status'], null, 'E2BIG', 's.txt:9'],
  ]);
  t.is(x[0]!.answer.stdout, 'a\tb\nc\n');
  t.regex(x[1]!.answer.stderr, /^cannot destroy snapshot tank\/backup\/usa-vds@zbk_2026-10-02T030000Z: dataset is busy\n/);
  t.is(x[2]!.answer.stderr, '\n');
});

test('a line the format does not know is an error naming the script and line', (t) => {
  t.throws(() => parseScript('exit 1\n', 's.txt'), { message: 's.txt:1: an answer before any `$ ` command: "exit 1"' });
  t.throws(() => parseScript('$ rsync -a\n', 's.txt'), { message: /^s\.txt:1: a command is zfs or zpool/ });
  t.throws(() => parseScript('$ zfs list\nexit one\n', 's.txt'), { message: /^s\.txt:2: exit takes a number/ });
  t.throws(() => parseScript('$ zfs list\nstdout\n', 's.txt'), { message: /^s\.txt:2: not a line of the replay format/ });
});

test('a command other than the next one expected fails the test, naming both', async (t) => {
  const w = watched();
  const r = replay(w.t, [exchange('zfs list -H -p -o name -d 0')]);
  const e = await t.throwsAsync(r.run('zfs', ['destroy', 'tank/a@x']));
  t.false(e instanceof ZfsError, 'not an error zbk would take for zfs\'s');
  t.deepEqual(w.failures, ['replay: zbk ran `zfs destroy tank/a@x`, but the next command expected is `zfs list -H -p -o name -d 0` (the test)']);
});

test('a command after the last expected one fails the test; an expected one never run fails it in teardown', async (t) => {
  const w = watched();
  const r = replay(w.t, [exchange('zfs list'), exchange('zfs get all tank')]);
  t.is(await r.run('zfs', ['list']), '');
  t.throws(w.teardown, { message: 'replay: 1 expected command(s) never ran, the first: `zfs get all tank` (the test)' });
  t.is(await r.run('zfs', ['get', 'all', 'tank']), '');
  t.notThrows(w.teardown);
  await t.throwsAsync(r.run('zpool', ['list']));
  t.deepEqual(w.failures, ['replay: zbk ran `zpool list` after every expected command (2) had run']);
});
