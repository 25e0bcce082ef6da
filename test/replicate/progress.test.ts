import test from 'ava';
import fc from 'fast-check';
import { createProgress, formatElapsed, formatProgressLine, formatSummaryLine } from '../../src/replicate/progress.js';

/** A terminal that records what is written, and a clock the test moves. */
function terminal(isTTY = true) {
  const writes: string[] = [];
  let now = 1000;
  return {
    writes,
    output: { isTTY, write: (s: string) => writes.push(s) },
    clock: () => now,
    advance: (ms: number) => (now += ms),
  };
}

test('the line: bytes, share of the estimate, rate and time left', (t) => {
  t.is(formatProgressLine('web → offsite', 1024 ** 3, 10_000, 4 * 1024 ** 3), 'web → offsite: 1G of ~4G (25%), 102M/s, 0:00:30 left');
});

test('without an estimate (pool v23 has no send -nP): bytes and rate only', (t) => {
  t.is(formatProgressLine('web → offsite', 5 * 1024 ** 2, 2000, null), 'web → offsite: 5M, 2.5M/s');
});

test('a stream larger than its estimate says 99% and no time left, never 100% while it runs', (t) => {
  t.is(formatProgressLine('a → b', 2048, 1000, 1024), 'a → b: 2K of ~1K (99%), 2K/s');
});

test('redrawn at most once per interval, in place; done clears the line', (t) => {
  const term = terminal();
  const p = createProgress({ label: 'web → offsite', estimate: null, output: term.output, clock: term.clock, intervalMs: 250 });
  p.update(1024); // first bytes: drawn at once
  term.advance(100);
  p.update(2048); // 100 ms later: not redrawn
  term.advance(200);
  p.update(3072); // 300 ms after the first draw: redrawn
  t.is(term.writes.length, 2);
  t.true(term.writes.every((w) => w.startsWith('\r\x1b[K')));
  t.is(term.writes[1], '\r\x1b[Kweb → offsite: 3K, 10K/s');
  term.advance(700);
  t.deepEqual(p.done(), { bytes: 3072, ms: 1000 });
  t.is(term.writes.at(-1), '\r\x1b[K');
});

test('a thousand chunks a second are at most four redraws a second', (t) => {
  const term = terminal();
  const p = createProgress({ label: 'a → b', estimate: 10 ** 9, output: term.output, clock: term.clock });
  for (let i = 1; i <= 3000; i++) {
    p.update(i * 65536);
    term.advance(1);
  }
  p.done();
  t.true(term.writes.length <= 3 * 4 + 2, `${term.writes.length} writes`);
  t.true(term.writes.length >= 3 * 4, `${term.writes.length} writes`);
});

test('not a terminal: nothing is drawn, the bytes are still counted', (t) => {
  const term = terminal(false);
  const p = createProgress({ label: 'a → b', estimate: 100, output: term.output, clock: term.clock });
  p.update(40);
  term.advance(2000);
  p.update(100);
  t.deepEqual(p.done(), { bytes: 100, ms: 2000 });
  t.deepEqual(term.writes, []);
  const quiet = createProgress({ label: 'a → b', estimate: null, output: null, clock: term.clock });
  quiet.update(7);
  t.is(quiet.done().bytes, 7);
});

test('done twice gives the same totals; updates after done, a shrinking total or NaN are ignored', (t) => {
  const term = terminal();
  const p = createProgress({ label: 'a → b', estimate: null, output: term.output, clock: term.clock });
  p.update(10);
  p.update(5);
  p.update(-5);
  p.update(Number.NaN);
  term.advance(500);
  const first = p.done();
  p.update(100);
  term.advance(500);
  t.deepEqual(p.done(), first);
  t.deepEqual(first, { bytes: 10, ms: 500 });
  t.is(term.writes.filter((w) => w === '\r\x1b[K').length, 1, 'the line is cleared once');
});

test('a stream that never sent a byte draws nothing and clears nothing', (t) => {
  const term = terminal();
  createProgress({ label: 'a → b', estimate: 10, output: term.output, clock: term.clock }).done();
  t.deepEqual(term.writes, []);
});

const report = { job: 'web', target: 'offsite', outcome: 'ok' as const, send: [] as string[], bytes: null, durationMs: 0, prune: [] as string[], messages: [] as string[] };

test('the summary line per job and target, for logs and the daily mail', (t) => {
  const three = ['zbk_2026-11-24T030000Z', 'zbk_2026-11-25T030000Z', 'zbk_2026-11-26T030000Z'];
  t.is(formatSummaryLine({ ...report, mode: 'incremental', send: three, bytes: 1.2 * 1024 ** 2, durationMs: 2000 }),
    'web → offsite: incremental, 3 snapshots, 1.2M in 2s');
  t.is(formatSummaryLine({ ...report, target: 'usb', mode: 'full', send: three.slice(2), bytes: 3 * 1024 ** 3, durationMs: 65_000, prune: ['a', 'b'] }),
    'web → usb: full, 1 snapshot, 3G in 1m05s, 2 pruned');
  t.is(formatSummaryLine({ ...report, mode: 'up-to-date', durationMs: 30 }), 'web → offsite: up-to-date');
});

test('the summary of a target away, a refusal and a failure after the transfer says why, on the same line', (t) => {
  t.is(formatSummaryLine({ ...report, outcome: 'warning', mode: null, messages: ['target usb: pool usb is not imported'] }),
    'web → offsite: WARNING: target usb: pool usb is not imported');
  t.is(formatSummaryLine({ ...report, outcome: 'failed', mode: 'refused', messages: ['vault/zbk/web changed since zbk_2026-11-25T030000Z'] }),
    'web → offsite: refused, FAILED: vault/zbk/web changed since zbk_2026-11-25T030000Z');
  t.is(formatSummaryLine({ ...report, outcome: 'failed', mode: 'incremental', send: ['x'], bytes: 2048, durationMs: 1000, messages: ['prune: zfs destroy failed', 'also this'] }),
    'web → offsite: incremental, 1 snapshot, 2K in 1s; FAILED: prune: zfs destroy failed; also this');
});

test('an estimate that comes with the first update (the service learns it then) is used from there on', (t) => {
  const term = terminal();
  const p = createProgress({ label: 'a → b', output: term.output, clock: term.clock });
  term.advance(1000);
  p.update(1024, 4096);
  t.is(term.writes[0], '\r\x1b[Ka → b: 1K of ~4K (25%), 1K/s, 0:00:03 left');
});

test('elapsed times stay short', (t) => {
  t.deepEqual([400, 2000, 59_400, 65_000, 3_600_000 + 3 * 60_000].map(formatElapsed), ['0.4s', '2s', '59s', '1m05s', '1h03m']);
});

test('the percentage never passes 99 and the line never has NaN or Infinity, whatever the counts', (t) => {
  t.notThrows(() =>
    fc.assert(fc.property(fc.nat(), fc.nat(), fc.option(fc.nat()), (bytes, ms, estimate) => {
      const line = formatProgressLine('a → b', bytes, ms, estimate);
      const percent = /\((\d+)%\)/.exec(line);
      return !/NaN|Infinity/.test(line) && (percent === null || Number(percent[1]) <= 99);
    })),
  );
});
