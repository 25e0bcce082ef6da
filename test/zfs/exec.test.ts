/**
 * The one place that runs zfs and zpool: argv only, LC_ALL=C and TZ=UTC, exit status and stderr
 * read into typed errors, busy retried for a while, outputs too big refused. Real processes
 * (seq(1), env(1), a path that does not exist) where the system's answer is the point; recorded
 * answers (test/helpers/replay.ts, which stands where processes start) for the rest.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { ZfsError } from '../../src/zfs/errors.js';
import { createRunner, spawnProcess } from '../../src/zfs/exec.js';
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

// spawnProcess itself, on real small programs: the Spawned contract the runner above reads.
test('spawnProcess: exit code and output as printed (final newline kept), stderr apart, no stdin', async (t) => {
  t.deepEqual(await spawnProcess('sh', ['-c', 'printf x; exit 3'], {}), { exitCode: 3, stdout: 'x', stderr: 'x', tooLarge: false });
  t.deepEqual(await spawnProcess('sh', ['-c', 'echo out; echo err >&2'], {}), { exitCode: 0, stdout: 'out\n', stderr: 'err\n', tooLarge: false });
  // stdin is /dev/null: a program that reads it ends at once instead of waiting on zbk's.
  t.deepEqual(await spawnProcess('sh', ['-c', 'wc -c'], {}), { exitCode: 0, stdout: '0\n', stderr: '0\n', tooLarge: false });
});

test('spawnProcess: with no output at all, stderr says what happened', async (t) => {
  const r = await spawnProcess('sh', ['-c', 'exit 4'], {});
  t.deepEqual([r.exitCode, r.stdout, r.stderr], [4, '', "Command failed with exit code 4: sh -c exit 4"]);
});

test('spawnProcess: a program that is not there never runs: errno ENOENT, and stderr says why', async (t) => {
  const r = await spawnProcess('/nonexistent/zbk-zfs', ['list'], {});
  t.deepEqual([r.exitCode, r.stdout, r.errno, r.tooLarge], [null, '', 'ENOENT', false]);
  t.regex(r.stderr, /^Command failed with ENOENT: \/nonexistent\/zbk-zfs list\n.*ENOENT/);
});

test('spawnProcess: an argument list the system refuses: errno E2BIG, no process', async (t) => {
  const r = await spawnProcess('true', ['a'.repeat(4_000_000)], {});
  t.deepEqual([r.exitCode, r.errno], [null, 'E2BIG']);
  t.true(r.stderr.startsWith('Command failed with E2BIG: true aaa'));
});

test('spawnProcess: more output than maxBuffer is tooLarge, and the program is stopped rather than read to its end', async (t) => {
  // seq 1 100000000 would print 889 MB and run for seconds; killed at the first 10,000 characters.
  const started = Date.now();
  const r = await spawnProcess('seq', ['1', '100000000'], { maxBuffer: 10_000 });
  t.true(r.tooLarge);
  t.is(r.exitCode, null, 'killed');
  t.true(r.stdout.length <= 10_000);
  t.true(Date.now() - started < 5000, 'not read to its end');
  t.deepEqual(await spawnProcess('seq', ['1', '3'], { maxBuffer: 6 }), { exitCode: 0, stdout: '1\n2\n3\n', stderr: '1\n2\n3\n', tooLarge: false });
});

test('spawnProcess: a program killed by a signal has exit code null, and stderr names the signal', async (t) => {
  const r = await spawnProcess('sh', ['-c', 'kill -TERM $$'], {});
  t.deepEqual([r.exitCode, r.stdout, r.stderr, r.errno], [null, '', 'Command was killed with SIGTERM: sh -c kill -TERM $$', undefined]);
});

test('spawnProcess: LC_ALL=C and TZ=UTC over zbk\'s own environment, which is otherwise passed on', async (t) => {
  const saved = { LC_ALL: process.env.LC_ALL, TZ: process.env.TZ, ZBK_SPAWN_TEST: process.env.ZBK_SPAWN_TEST };
  Object.assign(process.env, { LC_ALL: 'de_DE.UTF-8', TZ: 'Europe/Athens', ZBK_SPAWN_TEST: 'kept' });
  try {
    const lines = (await spawnProcess('env', [], {})).stdout.split('\n');
    t.deepEqual(lines.filter((l) => /^(LC_ALL|TZ|ZBK_SPAWN_TEST)=/.test(l)).sort(), ['LC_ALL=C', 'TZ=UTC', 'ZBK_SPAWN_TEST=kept']);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});

test('spawnProcess: an argument with a NUL byte is zbk\'s own bug: it throws, no process', async (t) => {
  await t.throwsAsync(spawnProcess('true', ['a\0b'], {}), { code: 'ERR_INVALID_ARG_VALUE' });
});

test('spawnProcess: a process still running when zbk exits is stopped, not left behind', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-spawn-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const pidFile = join(dir, 'pid');
  const exec = new URL('../../src/zfs/exec.ts', import.meta.url).href;
  // A node that starts a long program through spawnProcess, and exits while it runs.
  const script = `const { spawnProcess } = await import(${JSON.stringify(exec)});
    void spawnProcess('sh', ['-c', 'echo $$ > ${pidFile}; exec sleep 30'], {});
    setTimeout(() => process.exit(0), 500);`;
  await execa(process.execPath, ['--import=tsx', '--input-type=module', '-e', script]);
  const pid = Number((await readFile(pidFile, 'utf8')).trim());
  t.true(pid > 0);
  await new Promise((resolve) => setTimeout(resolve, 200));
  // Gone, or a zombie (ended; its new parent has not reaped it yet): not running.
  const state = await readFile(`/proc/${pid}/stat`, 'utf8').then((s) => s.slice(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3), () => 'gone');
  t.true(state === 'gone' || state === 'Z', `the sleep was stopped (state ${state})`);
});
