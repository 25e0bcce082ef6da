import test from 'ava';
import { isoOffset, isoSeconds, isoWallTime } from '../../src/time/iso.js';

test('an instant is written in UTC to the second', (t) => {
  t.is(isoSeconds(new Date(Date.UTC(2026, 10, 26, 23, 48, 49, 999))), '2026-11-26T23:48:49Z');
});

test('a wall-clock time is padded field by field, date and time apart by a space', (t) => {
  t.is(isoWallTime({ year: 2026, month: 3, day: 9, hour: 4, minute: 5, second: 6 }), '2026-03-09 04:05:06');
  t.is(isoWallTime({ year: 999, month: 12, day: 31, hour: 23, minute: 59, second: 59 }), '0999-12-31 23:59:59');
});

test('an offset is written to the minute with its sign, east and west of UTC', (t) => {
  t.is(isoOffset(0), '+00:00');
  t.is(isoOffset(3 * 3_600_000), '+03:00');
  t.is(isoOffset(5.5 * 3_600_000), '+05:30');
  t.is(isoOffset(-(4 * 3600 + 56 * 60 + 2) * 1000), '-04:56');
});
