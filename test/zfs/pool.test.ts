/** zpool's argv: pool names only after `--` and only when ZFS would take them as pool names. */
import test from 'ava';
import { ZfsError } from '../../src/zfs/errors.js';
import type { Runner } from '../../src/zfs/exec.js';
import { parsePoolList, poolCapacities, poolStatus, startScrub } from '../../src/zfs/pool.js';

test('zpool list -H -o name,capacity,health', (t) => {
  t.deepEqual(parsePoolList('tank\t81%\tONLINE\nbackup\t-\tFAULTED\n'), [
    { name: 'tank', capacity: 81, health: 'ONLINE' },
    { name: 'backup', capacity: null, health: 'FAULTED' },
  ]);
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
