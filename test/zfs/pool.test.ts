/** zpool's argv: pool names only after `--` and only when ZFS would take them as pool names. */
import test from 'ava';
import { ZfsError } from '../../src/zfs/errors.js';
import type { Runner } from '../../src/zfs/exec.js';
import { parsePoolList, poolCapacities, poolNameProblem, poolStatus, startScrub } from '../../src/zfs/pool.js';

test('zpool list -H -o name,capacity,health', (t) => {
  t.deepEqual(parsePoolList('tank\t81%\tONLINE\nbackup\t-\tFAULTED\n'), [
    { name: 'tank', capacity: 81, health: 'ONLINE' },
    { name: 'backup', capacity: null, health: 'FAULTED' },
  ]);
});

test('pool names as zfs_namecheck takes them: a letter first, then letters, digits, _ - . : and space', (t) => {
  for (const ok of ['tank', 'constructor', 'toString', 'zbkt_1_2', 'a.b:c-d e', 'T'.repeat(255)]) t.is(poolNameProblem(ok), null, ok);
  t.regex(poolNameProblem('-f') ?? '', /begins with a letter/);
  t.regex(poolNameProblem('--help') ?? '', /begins with a letter/);
  t.regex(poolNameProblem('__proto__') ?? '', /begins with a letter/);
  t.regex(poolNameProblem('') ?? '', /empty/);
  t.regex(poolNameProblem('tank/fs') ?? '', /only letters/);
  t.regex(poolNameProblem('tank\x1b[2J') ?? '', /only letters/);
  t.regex(poolNameProblem('T'.repeat(256)) ?? '', /shorter than 256/);
});

/** Records the argv zpool would get; answers with `answer`. */
function recorder(answer = '') {
  const calls: string[][] = [];
  const run = (async (_tool: string, args: readonly string[]) => {
    calls.push([...args]);
    return answer;
  }) as Runner;
  return { run, calls };
}

test('pool names reach zpool after --, so that none can be an option', async (t) => {
  const { run, calls } = recorder('constructor\t1%\tONLINE\n');
  await poolStatus(run, ['constructor', 'toString'], false);
  await poolStatus(run, [], true);
  await poolStatus(run, ['tank'], false, false);
  await poolCapacities(run, ['constructor']);
  await startScrub(run, 'tank');
  t.deepEqual(calls, [
    ['status', '-v', '--', 'constructor', 'toString'],
    ['status', '-j', '--json-int', '-v'],
    ['status', '--', 'tank'],
    ['list', '-H', '-o', 'name,capacity,health', '--', 'constructor'],
    ['scrub', '--', 'tank'],
  ]);
});

test('a name that is not a pool name is refused before zpool runs', async (t) => {
  const { run, calls } = recorder();
  for (const bad of ['-f', '--help', '__proto__', 'a\nb']) {
    await t.throwsAsync(startScrub(run, bad), { instanceOf: ZfsError, message: /is not a pool name/ });
    await t.throwsAsync(poolStatus(run, ['tank', bad], false), { instanceOf: ZfsError });
    await t.throwsAsync(poolCapacities(run, [bad]), { instanceOf: ZfsError });
  }
  t.deepEqual(calls, []);
});
