import test from 'ava';
import fc from 'fast-check';
import { civilFromDays, daysFromCivil, daysInMonth } from '../../src/time/civil.js';
import { assertProperty } from '../retention/property.js';

const DAY = 86_400_000;

/** Date's own count of days, with years 0–99 set explicitly (Date.UTC would read them as 19xx). */
function dateDays(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime() / DAY;
}

test('days are counted from 1970-01-01', (t) => {
  t.is(daysFromCivil(1970, 1, 1), 0);
  t.is(daysFromCivil(1969, 12, 31), -1);
  t.is(daysFromCivil(2026, 11, 26), 20_783);
  t.deepEqual(civilFromDays(20_783), { year: 2026, month: 11, day: 26 });
});

test('leap days: every 4th year, not every 100th, every 400th', (t) => {
  t.is(daysInMonth(2024, 2), 29);
  t.is(daysInMonth(2026, 2), 28);
  t.is(daysInMonth(2100, 2), 28);
  t.is(daysInMonth(2000, 2), 29);
  t.deepEqual([4, 6, 9, 11].map((month) => daysInMonth(2026, month)), [30, 30, 30, 30]);
  t.deepEqual([1, 3, 5, 7, 8, 10, 12].map((month) => daysInMonth(2026, month)), [31, 31, 31, 31, 31, 31, 31]);
  t.deepEqual(civilFromDays(daysFromCivil(2024, 2, 29) + 1), { year: 2024, month: 3, day: 1 });
});

test('daysFromCivil agrees with Date for every date of years 0000–9999', (t) => {
  const date = fc
    .record({ year: fc.integer({ min: 0, max: 9999 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
    .filter(({ year, month, day }) => day <= daysInMonth(year, month));
  assertProperty(t, fc.property(date, ({ year, month, day }) => daysFromCivil(year, month, day) === dateDays(year, month, day)));
});

test('civilFromDays inverts daysFromCivil and agrees with Date', (t) => {
  assertProperty(
    t,
    fc.property(fc.integer({ min: dateDays(0, 1, 1), max: dateDays(9999, 12, 31) }), (days) => {
      const { year, month, day } = civilFromDays(days);
      const date = new Date(days * DAY);
      return (
        daysFromCivil(year, month, day) === days &&
        year === date.getUTCFullYear() && month === date.getUTCMonth() + 1 && day === date.getUTCDate()
      );
    }),
  );
});

test('daysInMonth agrees with Date', (t) => {
  assertProperty(
    t,
    fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }), (year, month) => {
      const lastDay = new Date(dateDays(year, month + 1, 1) * DAY - DAY).getUTCDate(); // day 0 of the next month
      return daysInMonth(year, month) === lastDay;
    }),
  );
});
