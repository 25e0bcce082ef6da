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

test('the summary line per job and target, for logs and the daily mail', (t) => {
  t.is(formatSummaryLine({ job: 'web', target: 'offsite', mode: 'incremental', snapshots: 3, bytes: 1.2 * 1024 ** 2, ms: 2000 }),
    'web → offsite: incremental, 3 snapshots, 1.2M in 2s');
  t.is(formatSummaryLine({ job: 'web', target: 'usb', mode: 'full', snapshots: 1, bytes: 3 * 1024 ** 3, ms: 65_000, pruned: 2 }),
    'web → usb: full, 1 snapshot, 3G in 1m05s, 2 pruned');
  t.is(formatSummaryLine({ job: 'web', target: 'offsite', mode: 'up-to-date', snapshots: 0, bytes: null, ms: 30 }), 'web → offsite: up-to-date');
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
