/**
 * The one place that runs zfs and zpool: argv only, LC_ALL=C and TZ=UTC, exit status and stderr
 * read into typed errors, busy retried for a while, outputs too big refused. Real processes
 * (seq(1), env(1), a path that does not exist) where the system's answer is the point; recorded
 * answers (test/helpers/replay.ts, which stands where processes start) for the rest.
 */
import test from 'ava';
import { ZfsError } from '../../src/zfs/errors.js';
import { createRunner } from '../../src/zfs/exec.js';
import { STATUS_MAX_BYTES } from '../../src/zfs/pool.js';
import { exchange, replay } from '../helpers/replay.js';

test('answers are read by zbk\'s own runner: exit status and stderr become typed errors, busy is retried', async (t) => {
  const busy = "cannot destroy 'tank/a@x': dataset is busy\n";
  const r = replay(t, [
    exchange('zfs destroy tank/a@x', { exitCode: 1, stderr: busy }),
    exchange('zfs destroy tank/a@x'),
    exchange('zfs destroy tank/a@y', { exitCode: 1, stderr: busy }),
  ]);
  t.is(await r.run('zfs', ['destroy', 'tank/a@x']), '');
  const e = await t.throwsAsync(r.run('zfs', ['destroy', 'tank/a@y'], { busyRetryMs: 0 }), { instanceOf: ZfsError });
  t.is(e?.kind, 'busy');
});

test('an output bigger than the limit fails as output-too-large, with a message saying so, not as a crash', async (t) => {
  t.is(STATUS_MAX_BYTES, 100_000_000);
  // seq(1) is a real program that prints as much as it is asked to: 588,895 characters here.
  const run = createRunner({ zfs: 'seq', zpool: 'seq' });
  const e = await t.throwsAsync(run('zpool', ['1', '100000'], { maxBuffer: 10_000 }), { instanceOf: ZfsError });
  t.is(e?.kind, 'output-too-large');
  t.is(e?.message, 'seq 1 100000: printed more than 10000 characters, more than zbk reads');
  t.is((await run('zpool', ['1', '3'], { maxBuffer: 10_000 })), '1\n2\n3\n');
});

test('zfs runs in the C locale and in UTC (one way to read numbers and times), with zbk\'s own environment otherwise', async (t) => {
  const run = createRunner({ zfs: 'env', zpool: 'env' });
  const lines = (await run('zfs', [])).split('\n');
  t.true(lines.includes('LC_ALL=C'));
  t.true(lines.includes('TZ=UTC'));
  t.true(lines.some((l) => l.startsWith('PATH=')));
});

test('a zfs that is not there, or an argument list execve refuses: typed, and said how to fix where zbk can', async (t) => {
  const missing = createRunner({ zfs: '/nonexistent/zfs', zpool: 'zpool' });
  const e = await t.throwsAsync(missing('zfs', ['list']), { instanceOf: ZfsError });
  t.deepEqual([e?.kind, e?.message, e?.argv], ['not-installed', '/nonexistent/zfs not found (set [zbk] zfs in the config to its absolute path)', ['/nonexistent/zfs', 'list']]);
  const r = replay(t, [exchange('zfs destroy tank/a@x,y', { exitCode: null, errno: 'E2BIG' })]);
  const big = await t.throwsAsync(r.run('zfs', ['destroy', 'tank/a@x,y']), { instanceOf: ZfsError });
  t.deepEqual([big?.kind, big?.message], ['argument-list-too-long', 'zfs: argument list too long']);
});

test('any other failure: its kind from zfs\'s words, the command and its first line in the message, no retry', async (t) => {
  const r = replay(t, [exchange('zfs get -H -o value type tank/b', { exitCode: 1, stderr: "cannot open 'tank/b': dataset does not exist\nusage:\n\tget ...\n" })]);
  const e = await t.throwsAsync(r.run('zfs', ['get', '-H', '-o', 'value', 'type', 'tank/b']), { instanceOf: ZfsError });
  t.deepEqual([e?.kind, e?.message], ['no-such-dataset', "zfs get -H -o value type tank/b: cannot open 'tank/b': dataset does not exist"]);
  t.is(r.calls.length, 1);
});

test('busy past the time allowed: the last answer is the error', async (t) => {
  const busy = { exitCode: 1, stderr: "cannot destroy 'tank/a@x': dataset is busy\n" };
  const r = replay(t, [exchange('zfs destroy tank/a@x', busy), exchange('zfs destroy tank/a@x', busy), exchange('zfs destroy tank/a@x', busy)]);
  // A clock that moves only by the runner's own waits: the backoff is exact whatever the machine's load.
  let now = 0;
  const tried: number[] = [];
  r.onCall.push(() => tried.push(now));
  const run = createRunner({ zfs: 'zfs', zpool: 'zpool' }, r.spawn, { now: () => now, sleep: async (ms) => void (now += ms) });
  const e = await t.throwsAsync(run('zfs', ['destroy', 'tank/a@x'], { busyRetryMs: 350 }), { instanceOf: ZfsError });
  t.is(e?.kind, 'busy');
  t.deepEqual(tried, [0, 100, 300], 'tried at 0, 100 and 300 ms; the next wait (400 ms) would pass the deadline');
});
