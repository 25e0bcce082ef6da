/**
 * The batch logic of modern OpenZFS destroys, driven by zfs's recorded answers (fixtures):
 * zfs-fuse has no batches, so the integration tests cover only the one-by-one path.
 */
import test from 'ava';
import { chunk, destroySnapshots, namedFailures } from '../../src/zfs/destroy.js';
import { errorFromFailure, ZfsError } from '../../src/zfs/errors.js';
import type { Runner } from '../../src/zfs/exec.js';
import type { Dialect } from '../../src/zfs/probe.js';
import { fixture } from '../helpers/fixtures.js';

const modern: Dialect = { modern: true };
const DS = 'tank/backup/usa-vds';

/** A runner whose answer depends on the argv (many names, no script to write): `answer(argv)` gives the stderr of a failure, or null for success. */
function answering(answer: (args: readonly string[]) => string | null | 'E2BIG') {
  const calls: string[][] = [];
  const run = (async (_tool: string, args: readonly string[]) => {
    calls.push([...args]);
    const a = answer(args);
    if (a === 'E2BIG') throw new ZfsError('argument-list-too-long', 'too long', args);
    if (a !== null) throw errorFromFailure(['zfs', ...args], a);
    return '';
  }) as Runner;
  return { run, calls };
}

const names = (n: number) => Array.from({ length: n }, (_, i) => `zbk_2026-10-${String(i + 1).padStart(2, '0')}T030000Z`);
const batchOf = (args: readonly string[]) => args[1]!.slice(DS.length + 1).split(',');

test('chunks are at most the batch size', (t) => {
  t.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
  t.deepEqual(chunk([], 3), []);
});

test('the culprits zfs names are read from its answer', (t) => {
  const named = namedFailures(fixture('zfs/openzfs-destroy-busy.txt'), DS);
  t.deepEqual([...named], [
    ['zbk_2026-10-02T030000Z', 'dataset is busy'],
    ['zbk_2026-10-05T030000Z', 'snapshot has dependent clones'],
  ]);
  t.is(namedFailures(fixture('zfs/openzfs-destroy-busy.txt'), 'tank/other').size, 0);
});

test('one destroy per batch when all goes well', async (t) => {
  const { run, calls } = answering(() => null);
  const r = await destroySnapshots(run, modern, DS, names(25), 10);
  t.deepEqual(calls.map((c) => batchOf(c).length), [10, 10, 5]);
  t.is(r.destroyed.length, 25);
  t.deepEqual(r.failed, []);
});

test('named culprits are stripped and reported; the rest of the batch is retried and goes', async (t) => {
  const busy = fixture('zfs/openzfs-destroy-busy.txt');
  const { run, calls } = answering((args) =>
    batchOf(args).some((n) => n === 'zbk_2026-10-02T030000Z' || n === 'zbk_2026-10-05T030000Z') ? busy : null,
  );
  const r = await destroySnapshots(run, modern, DS, names(6), 100);
  t.is(calls.length, 2);
  t.deepEqual(r.failed.map((f) => f.name), ['zbk_2026-10-02T030000Z', 'zbk_2026-10-05T030000Z']);
  t.deepEqual(r.failed.map((f) => f.reason), ['dataset is busy', 'snapshot has dependent clones']);
  t.deepEqual(r.destroyed, names(6).filter((n) => !n.includes('-02T') && !n.includes('-05T')));
});

test('an argument list too long halves the batch until it fits', async (t) => {
  const { run, calls } = answering((args) => (batchOf(args).length > 3 ? 'E2BIG' : null));
  const r = await destroySnapshots(run, modern, DS, names(8), 100);
  t.is(r.destroyed.length, 8);
  t.true(calls.filter((c) => batchOf(c).length <= 3).length >= 3);
  t.deepEqual([...r.destroyed].sort(), names(8));
});

test('a failure naming nobody is narrowed down by halving to the one snapshot at fault', async (t) => {
  const bad = 'zbk_2026-10-03T030000Z';
  const { run } = answering((args) => (batchOf(args).includes(bad) ? "internal error: something odd" : null));
  const r = await destroySnapshots(run, modern, DS, names(7), 100);
  t.deepEqual(r.failed.map((f) => f.name), [bad]);
  t.regex(r.failed[0]!.reason, /something odd/);
  t.is(r.destroyed.length, 6);
});

test("zfs's own check for clones quotes the name ('ds@snap': … has dependent clones): still named, so a batch strips it", (t) => {
  const named = namedFailures(fixture('zfs/legacy-destroy-clone.stderr'), 'zbkt_cap/a');
  t.deepEqual([...named], [['zbk_2026-11-21T030000Z', 'snapshot has dependent clones']]);
});
