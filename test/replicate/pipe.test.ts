/** runPipe with real processes: bytes counted, the failing side named and the other stopped, time limits. */
import test from 'ava';
import { PipeError, runPipe } from '../../src/replicate/pipe.js';

const o = { timeoutMs: 30_000, killGraceMs: 300 };
const sh = (script: string) => ({ file: 'sh', args: ['-c', script] });

test('the stream goes through whole, and its bytes are counted', async (t) => {
  const seen: number[] = [];
  const r = await runPipe(sh('head -c 3000000 /dev/zero'), sh('test "$(wc -c)" -eq 3000000'), { ...o, onBytes: (n) => seen.push(n) });
  t.is(r.bytes, 3_000_000);
  t.is(seen.at(-1), 3_000_000);
  t.true(seen.length > 1);
});

test('a receive that fails stops the send, and is the side named, with its stderr', async (t) => {
  const started = Date.now();
  const e = await t.throwsAsync(runPipe(sh('exec yes'), sh('head -c 100 >/dev/null; echo "cannot receive: bad stream" >&2; exit 3'), o), { instanceOf: PipeError });
  t.is(e!.side, 'receive');
  t.is(e!.message, 'zfs receive exit 3: cannot receive: bad stream');
  t.true(Date.now() - started < 5000);
});

test('a receive killed mid-stream is named (the send is stopped)', async (t) => {
  const e = await t.throwsAsync(runPipe(sh('exec yes'), sh('head -c 1000 >/dev/null; kill -9 $$'), o), { instanceOf: PipeError });
  t.is(e!.side, 'receive');
  t.is(e!.why, 'killed by SIGKILL');
});

test('a send that fails stops the receive, and is the side named', async (t) => {
  const started = Date.now();
  const e = await t.throwsAsync(runPipe(sh('echo partial; echo "cannot send: no such snapshot" >&2; exit 1'), sh('cat >/dev/null; sleep 60'), o), { instanceOf: PipeError });
  t.is(e!.side, 'send');
  t.is(e!.message, 'zfs send exit 1: cannot send: no such snapshot');
  t.is(e!.bytes, 8);
  t.true(Date.now() - started < 5000);
});

test('a receive that ends before the stream does is a failure of the receive', async (t) => {
  const e = await t.throwsAsync(runPipe(sh('exec yes'), sh('exit 0'), o), { instanceOf: PipeError });
  t.is(e!.message, 'zfs receive ended before the stream did');
});

test('the time limit stops both sides; so does an abort', async (t) => {
  const started = Date.now();
  const e = await t.throwsAsync(runPipe(sh('sleep 60'), sh('cat >/dev/null'), { ...o, timeoutMs: 300 }), { instanceOf: PipeError });
  t.regex(e!.message, /^zfs (send|receive) timed out after 0 s$/);
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 200);
  const a = await t.throwsAsync(runPipe(sh('exec yes'), sh('cat >/dev/null'), { ...o, signal: abort.signal }), { instanceOf: PipeError });
  t.regex(a!.message, /stopped: zbk was interrupted/);
  t.true(Date.now() - started < 5000);
});
