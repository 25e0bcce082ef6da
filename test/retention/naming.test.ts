import test from 'ava';
import fc from 'fast-check';
import { formatSnapshotName, parseSnapshotName, validateSnapshotPrefix } from '../../src/retention/naming.js';
import { assertProperty } from './property.js';

const at = (iso: string) => new Date(iso);

test('names carry the instant in UTC to the second', (t) => {
  t.is(formatSnapshotName('zbk', at('2026-11-26T03:00:00Z')), 'zbk_2026-11-26T030000Z');
  t.is(formatSnapshotName('zbk', at('2026-11-26T05:00:00+02:00')), 'zbk_2026-11-26T030000Z');
  t.is(formatSnapshotName('nightly', at('2026-11-26T03:04:05.999Z')), 'nightly_2026-11-26T030405Z');
  t.deepEqual(parseSnapshotName('zbk', 'zbk_2026-11-26T030000Z'), at('2026-11-26T03:00:00Z'));
  t.deepEqual(parseSnapshotName('zbk', 'zbk_2024-02-29T235959Z'), at('2024-02-29T23:59:59Z'));
});

test('anything not exactly a zbk name for the prefix is foreign', (t) => {
  for (const name of [
    'zbk_notadate',
    'zbk_2026-02-30T030000Z', // no February 30
    'zbk_2025-02-29T030000Z', // not a leap year
    'zbk_2026-13-01T030000Z',
    'zbk_2026-00-10T030000Z',
    'zbk_2026-11-00T030000Z',
    'zbk_2026-11-26T240000Z',
    'zbk_2026-11-26T036000Z',
    'zbk_2026-11-26T030060Z', // no leap seconds either
    'zbk_2026-11-26T030000Z-extra',
    'zbk_2026-11-26T030000',
    'zbk_2026-11-26T03:00:00Z',
    'zbk_2026-11-26t030000Z',
    'zbk_+2026-11-26T030000Z',
    'zbk_2026-11-26T03000１Z', // a digit, but not an ASCII one
    'zbk-2026-11-26T030000Z',
    'zbk2026-11-26T030000Z',
    'other_2026-11-26T030000Z',
    'zbk_x_2026-11-26T030000Z',
    'manual-before-upgrade',
    '',
  ]) {
    t.is(parseSnapshotName('zbk', name), null, name);
  }
});

test('a prefix is matched literally, never as a pattern', (t) => {
  t.is(parseSnapshotName('zbk.', 'zbkx_2026-11-26T030000Z'), null);
  t.deepEqual(parseSnapshotName('zbk.', 'zbk._2026-11-26T030000Z'), at('2026-11-26T03:00:00Z'));
  t.is(parseSnapshotName('zbk', 'zbk_daily_2026-11-26T030000Z'), null);
  t.deepEqual(parseSnapshotName('zbk_daily', 'zbk_daily_2026-11-26T030000Z'), at('2026-11-26T03:00:00Z'));
});

test('the years 0000–9999 can be named, and only they', (t) => {
  t.is(formatSnapshotName('zbk', at('0001-01-01T00:00:00Z')), 'zbk_0001-01-01T000000Z');
  t.is(parseSnapshotName('zbk', 'zbk_0050-06-01T000000Z')?.getUTCFullYear(), 50);
  t.is(formatSnapshotName('zbk', at('9999-12-31T23:59:59Z')), 'zbk_9999-12-31T235959Z');
  t.throws(() => formatSnapshotName('zbk', new Date(Date.UTC(10_000, 0, 1))), { instanceOf: RangeError });
  t.throws(() => formatSnapshotName('zbk', new Date(Date.UTC(-1, 0, 1))), { instanceOf: RangeError });
  t.throws(() => formatSnapshotName('zbk', new Date(Number.NaN)), { instanceOf: RangeError });
});

const nameable = fc.date({ min: at('0000-01-01T00:00:00Z'), max: at('9999-12-31T23:59:59.999Z'), noInvalidDate: true });

test('parsing a formatted name gives the instant back, to the second', (t) => {
  assertProperty(
    t,
    fc.property(nameable, (instant) => {
      const parsed = parseSnapshotName('zbk', formatSnapshotName('zbk', instant));
      return parsed !== null && parsed.getTime() === Math.floor(instant.getTime() / 1000) * 1000;
    }),
  );
});

test('a name parses exactly when its fields make a real date and time, and then formats back to itself', (t) => {
  const field = (max: number, length = 2) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(length, '0'));
  // each field runs a little past its range, so that both branches are well exercised
  const stamp = fc.tuple(field(9999, 4), field(13), field(32), field(25), field(61), field(61));
  assertProperty(
    t,
    fc.property(stamp, ([year, month, day, hour, minute, second]) => {
      const name = `zbk_${year}-${month}-${day}T${hour}${minute}${second}Z`;
      const date = new Date(0);
      date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
      const real =
        Number(month) >= 1 && date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day) &&
        Number(hour) < 24 && Number(minute) < 60 && Number(second) < 60;
      const parsed = parseSnapshotName('zbk', name);
      return real ? parsed !== null && formatSnapshotName('zbk', parsed) === name : parsed === null;
    }),
  );
});

test('a prefix may hold what a ZFS snapshot name allows, less spaces', (t) => {
  for (const prefix of ['zbk', 'ZBK', 'zbk_daily', 'zbk-2', 'backup.v2', 'a:b']) t.deepEqual(validateSnapshotPrefix(prefix), [], prefix);
  t.deepEqual(validateSnapshotPrefix(''), ['the snapshot prefix is empty']);
  t.deepEqual(validateSnapshotPrefix('zbk@x/y'), ['the snapshot prefix "zbk@x/y" may hold only letters, digits and _ . : - (not "@" "/")']);
  for (const prefix of ['my zbk', 'zbk,b', 'zbk%', 'zbk#', 'zbké']) t.is(validateSnapshotPrefix(prefix).length, 1, prefix);
});
