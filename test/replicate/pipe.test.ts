/** runPipe with real processes: bytes counted, the failing side named and the other stopped, time limits. */
import test from 'ava';
import { DD_ARGS, PipeError, countOf, runPipe } from '../../src/replicate/pipe.js';

// The grace a stage's output has to close after it exits: a loaded machine (make unit's four
// workers beside a `yes` at full speed) once took over 300 ms to hand over a receive's last
// stderr line, and the message lost it. zbk gives 10 s.
const o = { timeoutMs: 30_000, killGraceMs: 2000 };
const sh = (script: string) => ({ file: 'sh', args: ['-c', script] });
// Handed over: `send | dd | receive` joined by the kernel's pipes; dd's closing line is the count.
const h = { ...o, countWith: { file: 'dd', args: [...DD_ARGS] } };

test('through zbk: the stream goes through whole, and its bytes are counted as they pass', async (t) => {
  const seen: number[] = [];
  const r = await runPipe(sh('head -c 3000000 /dev/zero'), sh('test "$(wc -c)" -eq 3000000'), { ...o, onBytes: (n) => seen.push(n) });
  t.is(r.bytes, 3_000_000);
  t.is(seen.at(-1), 3_000_000);
  t.true(seen.length > 1);
});

test('handed over: the stream goes through whole, and dd counts its bytes', async (t) => {
  const r = await runPipe(sh('head -c 3000000 /dev/zero'), sh('test "$(wc -c)" -eq 3000000'), h);
  t.is(r.bytes, 3_000_000);
  const empty = await runPipe(sh('true'), sh('test "$(wc -c)" -eq 0'), h);
  t.is(empty.bytes, 0);
});

test('with a progress line the stream goes through zbk, dd or not', async (t) => {
  const seen: number[] = [];
  const r = await runPipe(sh('head -c 300000 /dev/zero'), sh('cat >/dev/null'), { ...h, countWith: { file: 'false', args: [] }, onBytes: (n) => seen.push(n) });
  t.is(r.bytes, 300_000);
  t.is(seen.at(-1), 300_000);
});

// The same failures either way; handed over, the stages upstream of a failed receive also die of the broken pipe it left, and are not named.
for (const [way, opts] of [['through zbk', o], ['handed over', h]] as const) {
  test(`${way}: a receive that fails stops the send, and is the side named, with its stderr`, async (t) => {
    const started = Date.now();
    const e = await t.throwsAsync(runPipe(sh('exec yes'), sh('head -c 100 >/dev/null; echo "cannot receive: bad stream" >&2; exit 3'), opts), { instanceOf: PipeError });
    t.is(e!.side, 'receive');
    t.is(e!.message, 'zfs receive exit 3: cannot receive: bad stream');
    t.true(Date.now() - started < 5000);
  });

  test(`${way}: a receive killed mid-stream is named (the send is stopped)`, async (t) => {
    const e = await t.throwsAsync(runPipe(sh('exec yes'), sh('head -c 1000 >/dev/null; kill -9 $$'), opts), { instanceOf: PipeError });
    t.is(e!.side, 'receive');
    t.is(e!.why, 'killed by SIGKILL');
  });

  test(`${way}: a send that fails stops the receive, and is the side named, with the bytes that went through`, async (t) => {
    const started = Date.now();
    const e = await t.throwsAsync(runPipe(sh('echo partial; echo "cannot send: no such snapshot" >&2; exit 1'), sh('cat >/dev/null; sleep 60'), opts), { instanceOf: PipeError });
    t.is(e!.side, 'send');
    t.is(e!.message, 'zfs send exit 1: cannot send: no such snapshot');
    t.is(e!.bytes, 8);
    t.true(Date.now() - started < 5000);
    // A receive that fails on the cut stream (as zfs receive does) does not take the blame.
    const cut = await t.throwsAsync(runPipe(sh('echo partial; exit 1'), sh('cat >/dev/null; echo "cannot receive: incomplete stream" >&2; exit 1'), opts), { instanceOf: PipeError });
    t.is(cut!.side, 'send');
  });

  test(`${way}: a receive that ends before the stream does is a failure of the receive`, async (t) => {
    const e = await t.throwsAsync(runPipe(sh('exec yes'), sh('exit 0'), opts), { instanceOf: PipeError });
    t.is(e!.side, 'receive');
    t.is(e!.message, 'zfs receive ended before the stream did');
  });

  test(`${way}: the time limit stops every stage; so does an abort`, async (t) => {
    const started = Date.now();
    const e = await t.throwsAsync(runPipe(sh('sleep 60'), sh('cat >/dev/null'), { ...opts, timeoutMs: 300 }), { instanceOf: PipeError });
    t.regex(e!.message, /^zfs (send|receive) timed out after 0 s$/);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 200);
    const a = await t.throwsAsync(runPipe(sh('exec yes'), sh('cat >/dev/null'), { ...opts, signal: abort.signal }), { instanceOf: PipeError });
    t.regex(a!.message, /stopped: zbk was interrupted/);
    t.true(Date.now() - started < 5000);
  });

  test(`${way}: a stream that got through whole is a success, whichever side node hears of last`, async (t) => {
    // The send's group settles after the receive's: its lock entry is slow to write.
    let first: number | undefined;
    const tracker = {
      env: {},
      started: async (pgid: number) => {
        first ??= pgid;
      },
      ended: async (pgid: number) => {
        if (pgid === first) await new Promise((r) => setTimeout(r, 300));
      },
    };
    const r = await runPipe(sh('head -c 3000000 /dev/zero'), sh('cat >/dev/null'), { ...opts, tracker, ...(opts === o ? { onBytes: () => undefined } : {}) });
    t.is(r.bytes, 3_000_000);
  });
}

test('through zbk: an abort once the stream is backed up to the send (the receive reads nothing) stops both', async (t) => {
  // The counter is full then, and the send's output once waited on it for ever (CI). The abort
  // comes once the bytes have stalled for 300 ms: a timer alone may fire before the send has
  // written anything on a loaded machine.
  const abort = new AbortController();
  let last = { bytes: 0, at: Date.now() };
  const stalled = setInterval(() => {
    if (last.bytes > 0 && Date.now() - last.at > 300) abort.abort();
  }, 50);
  t.teardown(() => clearInterval(stalled));
  const onBytes = (bytes: number) => {
    last = { bytes, at: Date.now() };
  };
  const e = await t.throwsAsync(runPipe(sh('exec yes'), sh('exec sleep 60'), { ...o, onBytes, signal: abort.signal }), { instanceOf: PipeError });
  t.regex(e!.message, /stopped: zbk was interrupted/);
  t.true(last.bytes > 0);
});

test('handed over: a send that says "Broken pipe" after a receive that failed is not named', async (t) => {
  // As zfs send does when the stream's reader is gone (EPIPE from its write, no SIGPIPE).
  const send = sh('trap "" PIPE; yes 2>/dev/null; echo "warning: cannot send tank/a@s: Broken pipe" >&2; exit 1');
  const e = await t.throwsAsync(runPipe(send, sh('head -c 100 >/dev/null; exit 3'), h), { instanceOf: PipeError });
  t.is(e!.side, 'receive');
});

test('handed over: an ssh whose connection broke mid-stream is the receive failing, though it says "Broken pipe"', async (t) => {
  const e = await t.throwsAsync(runPipe(sh('exec yes'), sh('head -c 1000 >/dev/null; echo "client_loop: send disconnect: Broken pipe" >&2; exit 255'), h), { instanceOf: PipeError });
  t.is(e!.side, 'receive');
  t.is(e!.result.code, 255);
});

test('handed over: dd killed mid-stream, missing, or silent about its count is named as the count', async (t) => {
  const killed = await t.throwsAsync(runPipe(sh('exec yes'), sh('cat >/dev/null'), { ...h, countWith: sh('head -c 100000; kill -9 $$') }), { instanceOf: PipeError });
  t.is(killed!.side, 'count');
  t.regex(killed!.message, /^dd \(counting the stream\) killed by SIGKILL/);
  const missing = await t.throwsAsync(runPipe(sh('exec yes'), sh('cat >/dev/null'), { ...h, countWith: { file: '/nonexistent/dd', args: [] } }), { instanceOf: PipeError });
  t.is(missing!.side, 'count');
  t.regex(missing!.message, /could not start: .*ENOENT/);
  const silent = await t.throwsAsync(runPipe(sh('echo x'), sh('cat >/dev/null'), { ...h, countWith: sh('cat') }), { instanceOf: PipeError });
  t.is(silent!.side, 'count');
  t.is(silent!.message, 'dd (counting the stream) ended without saying how many bytes it copied');
});

test('dd\'s count: GNU\'s and FreeBSD\'s closing lines (old and new), the last of several; none is null', (t) => {
  // GNU coreutils 9.1 (Debian 12), run here.
  t.is(countOf('0+45 records in\n0+45 records out\n3000000 bytes (3.0 MB, 2.9 MiB) copied, 0.0116 s, 258 MB/s\n'), 3_000_000);
  t.is(countOf('0+1 records in\n0+1 records out\n1 byte copied, 0.000105 s, 9.5 kB/s\n'), 1);
  // FreeBSD's dd before 13 (and macOS): "%ju bytes transferred in %.6f secs (%.0f bytes/sec)".
  t.is(countOf('24+0 records in\n24+0 records out\n25165824 bytes transferred in 0.026832 secs (937899773 bytes/sec)\n'), 25_165_824);
  // FreeBSD 13 and later: "%ju bytes (%s) transferred %.3fs, %s/s".
  t.is(countOf('0+12 records in\n0+12 records out\n805306368 bytes (805 MB, 768 MiB) transferred 0.512s, 1572 MB/s\n'), 805_306_368);
  t.is(countOf('dd: error writing \'standard output\': Broken pipe\n'), null);
  t.is(countOf(''), null);
});
