/** runInGroup with real processes: exit, signals, stops, leftovers after the leader's exit, input, trackers. */
import test from 'ava';
import { execa } from 'execa';
import { runInGroup, signalGroup, type GroupOptions } from '../../src/process/group.js';

const base: GroupOptions = { timeoutMs: 60_000, killGraceMs: 300 };

async function isRunning(pid: number): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    const r = await execa('ps', ['-o', 'stat=', '-p', String(pid)], { reject: false });
    if (r.exitCode !== 0 || r.stdout.trim().startsWith('Z')) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

test('a program that exits: its code and output, nothing stopped', async (t) => {
  let out = '';
  let err = '';
  const r = await runInGroup('sh', ['-c', 'echo out; echo err >&2; exit 3'], { ...base, onStdout: (c) => (out += c), onStderr: (c) => (err += c) });
  t.deepEqual(r, { code: 3, signal: null, spawnError: null, stopped: null });
  t.is(out, 'out\n');
  t.is(err, 'err\n');
});

test('input goes to stdin; without it, stdin is empty', async (t) => {
  let out = '';
  await runInGroup('wc', ['-l'], { ...base, input: 'a\nb\n', onStdout: (c) => (out += c) });
  t.is(out.trim(), '2');
  out = '';
  await runInGroup('wc', ['-c'], { ...base, onStdout: (c) => (out += c) });
  t.is(out.trim(), '0');
});

test('a program that cannot start says why', async (t) => {
  t.deepEqual(await runInGroup('/nonexistent/prog', [], base), { code: null, signal: null, spawnError: 'spawn /nonexistent/prog ENOENT', stopped: null });
});

test('the time limit stops the group: SIGTERM, then SIGKILL for what ignores it', async (t) => {
  let out = '';
  const started = Date.now();
  const r = await runInGroup('sh', ['-c', 'trap "" TERM; sleep 60 & echo $!; wait'], { ...base, timeoutMs: 200, onStdout: (c) => (out += c) });
  t.like(r, { signal: 'SIGKILL', stopped: 'timeout' });
  t.true(Date.now() - started < 3000);
  t.false(await isRunning(Number(out)));
});

test('an abort stops the group; an abort after the exit changes nothing', async (t) => {
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 200);
  t.like(await runInGroup('sleep', ['60'], { ...base, signal: abort.signal }), { signal: 'SIGTERM', stopped: 'abort' });
  const late = new AbortController();
  const r = await runInGroup('true', [], { ...base, signal: late.signal });
  late.abort();
  t.deepEqual(r, { code: 0, signal: null, spawnError: null, stopped: null });
});

test('what the leader leaves in its group is stopped when it exits, even if it ignores SIGTERM', async (t) => {
  let out = '';
  const started = Date.now();
  const r = await runInGroup('sh', ['-c', '(trap "" TERM; exec sleep 60) & echo $!'], { ...base, onStdout: (c) => (out += c) });
  t.deepEqual(r, { code: 0, signal: null, spawnError: null, stopped: null });
  t.true(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  t.false(await isRunning(Number(out)));
  t.false(signalGroup(Number(out), 0), 'the group is gone');
});

test('a tracker hears of the group before and after, and its variables reach the program', async (t) => {
  const events: string[] = [];
  let out = '';
  const r = await runInGroup('sh', ['-c', 'echo "$ZBK_RUN_ID"; ps -o pgid= -p $$'], {
    ...base,
    onStdout: (c) => (out += c),
    tracker: { env: { ZBK_RUN_ID: 'cafe' }, started: async (g) => void events.push(`+${g}`), ended: async (g) => void events.push(`-${g}`) },
  });
  t.is(r.code, 0);
  const [marker, pgid] = out.trim().split(/\s+/);
  t.is(marker, 'cafe');
  t.deepEqual(events, [`+${pgid}`, `-${pgid}`]);
});

test('a tracker that cannot record the group fails the run once the group has ended', async (t) => {
  await t.throwsAsync(
    runInGroup('true', [], { ...base, tracker: { env: {}, started: () => Promise.reject(new Error('ENOSPC: no space left')), ended: async () => undefined } }),
    { message: 'ENOSPC: no space left' },
  );
});
