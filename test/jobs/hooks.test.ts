/** pre_hook and post_hook: real `sh -c`, their output, exit codes, signals, time limit and environment. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { runHook } from '../../src/jobs/hooks.js';

test('a hook that succeeds: ok, with its output (stdout and stderr, trimmed)', async (t) => {
  const r = await runHook('echo dumped 3 databases; echo "a warning" >&2', {});
  t.true(r.ok);
  t.is(r.output, 'dumped 3 databases\na warning');
});

test('a hook that fails: its exit code and its words', async (t) => {
  const r = await runHook('echo "pg_dump: error: connection to server failed" >&2; exit 3', {});
  t.deepEqual(r, { ok: false, output: 'exit 3: pg_dump: error: connection to server failed' });
  t.deepEqual(await runHook('exit 1', {}), { ok: false, output: 'exit 1' });
});

test('a hook killed by a signal says which', async (t) => {
  t.deepEqual(await runHook('kill -9 $$', {}), { ok: false, output: 'killed by SIGKILL' });
});

test('a hook that runs past its time limit is stopped, and says so with what it printed', async (t) => {
  const started = Date.now();
  const r = await runHook('echo starting; sleep 30', {}, { timeoutMs: 1000 });
  t.false(r.ok);
  t.is(r.output, 'timed out after 1 s: starting');
  t.true(Date.now() - started < 10_000, 'stopped, not waited for');
});

test('the job\'s facts reach the hook in its environment, beside zbk\'s own', async (t) => {
  const r = await runHook('printf "%s|%s|%s|%s|%s" "$ZBK_JOB" "$ZBK_DATASET" "$ZBK_SNAPSHOT" "$ZBK_STATUS" "${PATH:+has PATH}"', {
    ZBK_JOB: 'usa-vds', ZBK_DATASET: 'tank/backup/usa-vds', ZBK_SNAPSHOT: 'tank/backup/usa-vds@zbk_2026-11-26T030000Z', ZBK_STATUS: 'ok',
  });
  t.deepEqual(r, { ok: true, output: 'usa-vds|tank/backup/usa-vds|tank/backup/usa-vds@zbk_2026-11-26T030000Z|ok|has PATH' });
});

test('the command is one sh -c string: pipes, quotes and && work as in a shell', async (t) => {
  const r = await runHook(`printf 'a b\\nc\\n' | wc -l && test "x y" = 'x y' && echo fine`, {});
  t.deepEqual(r, { ok: true, output: '2\nfine' });
});

test('only the last 4 KiB of a chatty hook are kept', async (t) => {
  const r = await runHook('i=0; while [ $i -lt 2000 ]; do echo "line $i"; i=$((i+1)); done; exit 2', {});
  t.false(r.ok);
  t.true(r.output.length <= 4096 + 'exit 2: '.length, `${r.output.length} characters`);
  t.true(r.output.startsWith('exit 2: '));
  t.true(r.output.endsWith('line 1999'));
});

test('a hook gets no stdin (it would hang a run waiting for a terminal)', async (t) => {
  const r = await runHook('if read line; then echo "read: $line"; else echo "no input"; fi', {});
  t.deepEqual(r, { ok: true, output: 'no input' });
});

/** Which of `pids` still run after a short while; a zombie waits for its reaper (init, in a container perhaps slow), not for zbk. */
async function stillRunning(pids: readonly number[]): Promise<number[]> {
  const running = async (pid: number) => /^[^Z]/.test((await execa('ps', ['-o', 'stat=', '-p', String(pid)], { reject: false })).stdout.trim());
  let left = [...pids];
  for (let i = 0; i < 40 && left.length > 0; i++) {
    left = (await Promise.all(pids.map(async (pid) => ((await running(pid)) ? [pid] : [])))).flat();
    if (left.length) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return left;
}

async function tempDir(t: ExecutionContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-hook-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('stopping a hook at its time limit stops what it started, too', async (t) => {
  const pids = join(await tempDir(t), 'pids');
  const started = Date.now();
  // The background sleep keeps the hook's output open after sh has gone.
  const r = await runHook(`sleep 30 & echo $! > ${pids}; echo $$ >> ${pids}; sleep 31`, {}, { timeoutMs: 500 });
  t.is(r.output, 'timed out after 1 s');
  t.true(Date.now() - started < 8000);
  t.deepEqual(await stillRunning((await readFile(pids, 'utf8')).trim().split('\n').map(Number)), [], 'nothing of the hook is left running');
});

test('an aborted run stops its hook', async (t) => {
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 300);
  const started = Date.now();
  const r = await runHook('echo dumping; sleep 30', {}, { signal: abort.signal });
  t.deepEqual(r, { ok: false, output: 'stopped: zbk was interrupted: dumping' });
  t.true(Date.now() - started < 8000);
});

test('the alert command reads its report on stdin', async (t) => {
  t.deepEqual(await runHook('wc -l', {}, { timeoutMs: 10_000, input: 'one\ntwo\n' }), { ok: true, output: '2' });
});

for (const [what, hook] of [
  ['a background child on its stdout', 'sleep 1000 & echo $! > PIDS; echo done'],
  ['a subshell\'s background child on its stderr', '(sleep 1000 >&2 & echo $! > PIDS); echo done'],
] as const) {
  test(`a hook that exits leaving ${what} is done when sh is; the child is stopped`, async (t) => {
    const pids = join(await tempDir(t), 'pids');
    const started = Date.now();
    const r = await runHook(hook.replace('PIDS', pids), {}, { timeoutMs: 60_000 });
    t.deepEqual(r, { ok: true, output: 'done' });
    t.true(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    t.deepEqual(await stillRunning([Number(await readFile(pids, 'utf8'))]), [], 'the background child is stopped');
  });
}

test('a child that left the hook\'s process group and keeps its output open holds zbk for the grace period at most', async (t) => {
  // Its own session, as setsid(1) or daemon(8) would make it: out of the group's reach.
  const escape = `${JSON.stringify(process.execPath)} -e 'const c = require("child_process").spawn("sleep", ["1000"], { detached: true, stdio: "inherit" }); console.log(c.pid); c.unref()'`;
  const started = Date.now();
  const r = await runHook(escape, {}, { timeoutMs: 60_000 });
  const pid = Number(r.output);
  t.teardown(() => {
    process.kill(pid, 'SIGKILL');
  });
  t.true(r.ok, r.output);
  t.true(pid > 0);
  t.true(Date.now() - started < 8000, `took ${Date.now() - started} ms`);
});

test('a hook past its time limit with a background child holding its output ends at the limit', async (t) => {
  const started = Date.now();
  const r = await runHook('(sleep 1000 >&2 &); echo waiting; sleep 1000', {}, { timeoutMs: 1000 });
  t.deepEqual(r, { ok: false, output: 'timed out after 1 s: waiting' });
  t.true(Date.now() - started < 4000, `took ${Date.now() - started} ms`);
});

test('a tracker learns the hook\'s process group as it starts and ends, and marks its environment', async (t) => {
  const events: string[] = [];
  const r = await runHook('echo "$ZBK_RUN_ID $(ps -o pgid= -p $$)"', {}, {
    tracker: {
      env: { ZBK_RUN_ID: 'feed' },
      started: async (pgid) => void events.push(`started ${pgid}`),
      ended: async (pgid) => void events.push(`ended ${pgid}`),
    },
  });
  const [marker, pgid] = r.output.split(/\s+/);
  t.is(marker, 'feed');
  t.deepEqual(events, [`started ${pgid}`, `ended ${pgid}`]);
});
