import test from 'ava';
import fc from 'fast-check';
import { calendarIn, PERIODS } from '../../src/retention/calendar.js';
import { periodLabel, wallClock } from './oracle.js';
import { assertProperty } from './property.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Whole hours, a 23/25-hour DST day, half-hour and 45-minute offsets, a 30-minute DST shift, the date line. */
const ZONES = ['UTC', 'Europe/Athens', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Apia'];
const zone = fc.constantFrom(...ZONES);
const utc = (iso: string) => new Date(iso).getTime();
/** Offset changes of the zones above, where mistakes would hide. */
const CHANGES = [
  '2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', // Athens
  '2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z', // New York
  '2026-04-04T15:00:00Z', '2026-10-03T15:30:00Z', // Lord Howe
  '2011-12-30T10:00:00Z', // Apia crosses the date line: 29 December is followed by 31 December
].map(utc);
const instant = fc.oneof(
  fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2040, 0, 1) }),
  fc.tuple(fc.constantFrom(...CHANGES), fc.integer({ min: -2 * DAY, max: 2 * DAY })).map(([change, distance]) => change + distance),
);

test('the offset is the one Intl shows, at any instant', (t) => {
  assertProperty(
    t,
    fc.property(zone, fc.array(instant, { minLength: 1, maxLength: 20 }), (timeZone, instants) => {
      const calendar = calendarIn(timeZone); // several look-ups share one calendar's memory
      return instants.every((at) => calendar.offset(at) === wallClock(at, timeZone).offset * 1000);
    }),
  );
});

test('the offset changes at the very second DST begins and ends', (t) => {
  const athens = calendarIn('Europe/Athens');
  t.is(athens.offset(utc('2026-03-29T00:59:59Z')), 2 * HOUR);
  t.is(athens.offset(utc('2026-03-29T01:00:00Z')), 3 * HOUR);
  t.is(athens.offset(utc('2026-10-25T00:59:59Z')), 3 * HOUR);
  t.is(athens.offset(utc('2026-10-25T01:00:00Z')), 2 * HOUR);
  const lordHowe = calendarIn('Australia/Lord_Howe'); // +11 to +10:30 at 02:00 local
  t.is(lordHowe.offset(utc('2026-04-04T14:59:59Z')), 11 * HOUR);
  t.is(lordHowe.offset(utc('2026-04-04T15:00:00Z')), 10.5 * HOUR);
});

test('the local date is the one Intl shows', (t) => {
  assertProperty(
    t,
    fc.property(zone, instant, (timeZone, at) => {
      const { year, month, day } = wallClock(at, timeZone);
      const local = calendarIn(timeZone).localDate(at);
      return local.year === year && local.month === month && local.day === day;
    }),
  );
});

test('two instants share a period key exactly when they are in the same calendar period', (t) => {
  const nearby = fc.oneof(fc.integer({ min: -3 * HOUR, max: 3 * HOUR }), fc.integer({ min: -400 * DAY, max: 400 * DAY }));
  assertProperty(
    t,
    fc.property(zone, fc.constantFrom(...PERIODS), instant, nearby, (timeZone, period, a, distance) => {
      const b = a + distance;
      const calendar = calendarIn(timeZone);
      const same = calendar.periodKey(period, a) === calendar.periodKey(period, b);
      return same === (periodLabel(period, a, timeZone) === periodLabel(period, b, timeZone));
    }),
    { numRuns: 3000 },
  );
});

test('the hour repeated when DST ends is an hour of its own; the hour skipped when it begins is no hour', (t) => {
  const athens = calendarIn('Europe/Athens');
  const hours = (from: string, count: number) =>
    Array.from({ length: count }, (_, i) => athens.periodKey('hourly', utc(from) + i * HOUR + 30 * 60_000));
  // 2026-10-25: 03:00–04:00 local twice, at +3 then +2; the day has 25 hours
  t.is(new Set(hours('2026-10-24T21:00:00Z', 25)).size, 25);
  t.is(athens.periodKey('daily', utc('2026-10-24T21:00:00Z')), athens.periodKey('daily', utc('2026-10-25T21:59:59Z')));
  // 2026-03-29: 03:00–04:00 local never happens; the day has 23 hours
  t.is(new Set(hours('2026-03-28T22:00:00Z', 23)).size, 23);
  t.is(athens.periodKey('daily', utc('2026-03-28T22:00:00Z')), athens.periodKey('daily', utc('2026-03-29T20:59:59Z')));
  t.not(athens.periodKey('daily', utc('2026-03-29T20:59:59Z')), athens.periodKey('daily', utc('2026-03-29T21:00:00Z')));
});

test('ISO weeks run Monday to Sunday, across New Year, week 53 included', (t) => {
  const calendar = calendarIn('UTC');
  const week = (iso: string) => calendar.periodKey('weekly', utc(iso));
  t.is(week('2026-11-23T00:00:00Z'), week('2026-11-29T23:59:59Z')); // Monday, Sunday
  t.not(week('2026-11-22T23:59:59Z'), week('2026-11-23T00:00:00Z')); // Sunday, Monday
  t.is(week('2020-12-28T00:00:00Z'), week('2021-01-03T23:59:59Z')); // 2020-W53
  t.is(week('2026-12-28T00:00:00Z'), week('2027-01-03T23:59:59Z')); // 2026-W53
  t.is(week('2025-12-29T00:00:00Z'), week('2026-01-04T23:59:59Z')); // 2026-W01 begins in 2025
  t.not(week('2027-01-03T23:59:59Z'), week('2027-01-04T00:00:00Z'));
});

test('periods follow the zone: an instant late on 30 November in UTC is 1 December in Athens', (t) => {
  const late = utc('2026-11-30T23:30:00Z');
  const noon = utc('2026-11-30T12:00:00Z');
  t.is(calendarIn('UTC').periodKey('monthly', late), calendarIn('UTC').periodKey('monthly', noon));
  t.not(calendarIn('Europe/Athens').periodKey('monthly', late), calendarIn('Europe/Athens').periodKey('monthly', noon));
  t.deepEqual(calendarIn('Europe/Athens').localDate(late), { year: 2026, month: 12, day: 1 });
});

test('a zone Intl does not know is a RangeError', (t) => {
  t.throws(() => calendarIn('Mars/Olympus_Mons'), { instanceOf: RangeError });
});
