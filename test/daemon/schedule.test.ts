import test from 'ava';
import { localTime, missedRun, nextFire, previousFire, wallClock } from '../../src/daemon/schedule.js';

/** The fires of `expr` after `from`, as wall-clock readings in `tz`. */
function fires(expr: string, tz: string, from: string, n: number): string[] {
  const out: string[] = [];
  let t = new Date(from);
  for (let i = 0; i < n; i++) {
    t = nextFire(expr, tz, t);
    out.push(wallClock(t, tz));
  }
  return out;
}

test('a daily 02:30 job runs once on the spring-forward night (Europe/Athens, New York)', (t) => {
  t.deepEqual(fires('30 2 * * *', 'Europe/Athens', '2026-03-28T12:00:00Z', 3), ['2026-03-29 02:30:00', '2026-03-30 02:30:00', '2026-03-31 02:30:00']);
  // 02:30 does not exist in New York on 2026-03-08: the job runs once, right after the gap.
  t.deepEqual(fires('30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z', 3), ['2026-03-08 03:30:00', '2026-03-09 02:30:00', '2026-03-10 02:30:00']);
});

test('a daily job at a time the fall-back night repeats runs once', (t) => {
  // 03:30 happens twice in Athens on 2026-10-25, 01:30 twice in New York on 2026-11-01.
  t.deepEqual(fires('30 3 * * *', 'Europe/Athens', '2026-10-24T12:00:00Z', 3), ['2026-10-25 03:30:00', '2026-10-26 03:30:00', '2026-10-27 03:30:00']);
  t.deepEqual(fires('30 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z', 2), ['2026-11-01 01:30:00', '2026-11-02 01:30:00']);
  const first = nextFire('30 1 * * *', 'America/New_York', new Date('2026-10-31T12:00:00Z'));
  t.is(first.toISOString(), '2026-11-01T05:30:00.000Z', 'the first occurrence (EDT)');
  t.is(nextFire('30 1 * * *', 'America/New_York', first).toISOString(), '2026-11-02T06:30:00.000Z');
});

test('six fields: seconds first', (t) => {
  const from = new Date('2026-01-01T00:00:00Z');
  t.is(nextFire('*/5 * * * * *', 'UTC', from).toISOString(), '2026-01-01T00:00:05.000Z');
});

test('the previous fire and a missed run', (t) => {
  const now = new Date('2026-11-27T10:00:00Z');
  t.is(previousFire('0 3 * * *', 'UTC', now).toISOString(), '2026-11-27T03:00:00.000Z');
  t.is(previousFire('0 3 * * *', 'UTC', new Date('2026-11-27T03:00:00Z')).toISOString(), '2026-11-27T03:00:00.000Z');
  t.true(missedRun('0 3 * * *', 'UTC', null, now), 'never succeeded');
  t.true(missedRun('0 3 * * *', 'UTC', new Date('2026-11-26T03:05:00Z'), now), 'the box was off at 03:00');
  t.false(missedRun('0 3 * * *', 'UTC', new Date('2026-11-27T03:04:00Z'), now));
});

test('times in the log: the zone\'s wall clock to the second, with its offset, no milliseconds', (t) => {
  t.is(localTime(new Date('2026-12-02T01:00:00.123Z'), 'Europe/Athens'), '2026-12-02 03:00:00+02:00');
  // The fall-back night's 03:30 happens twice in Athens: the offset tells which.
  t.is(localTime(new Date('2026-10-25T00:30:00Z'), 'Europe/Athens'), '2026-10-25 03:30:00+03:00');
  t.is(localTime(new Date('2026-10-25T01:30:00Z'), 'Europe/Athens'), '2026-10-25 03:30:00+02:00');
  t.is(localTime(new Date('2026-03-01T08:00:00Z'), 'America/St_Johns'), '2026-03-01 04:30:00-03:30');
  t.is(localTime(new Date('2026-03-01T08:00:00Z'), 'UTC'), '2026-03-01 08:00:00+00:00');
});
