import test from 'ava';
import fc from 'fast-check';
import { durationMs, isComputable, LENGTH, parseDuration, subtractDuration, TIMER, type Duration } from '../../src/util/duration.js';

const parsed = (text: string) => parseDuration(text) as Duration;
const before = (from: string, text: string) => subtractDuration(new Date(from), parsed(text)).toISOString();

test('parses the units of the config: y, m (months), w, d, h, min, s, combined', (t) => {
  t.deepEqual(parseDuration('2d'), { text: '2d', years: 0, months: 0, days: 2, seconds: 0 });
  t.deepEqual(parseDuration('1w'), { text: '1w', years: 0, months: 0, days: 7, seconds: 0 });
  t.deepEqual(parseDuration('6m'), { text: '6m', years: 0, months: 6, days: 0, seconds: 0 });
  t.deepEqual(parseDuration(' 1y 2m '), { text: '1y 2m', years: 1, months: 2, days: 0, seconds: 0 });
  t.deepEqual(parseDuration('1d12h'), { text: '1d12h', years: 0, months: 0, days: 1, seconds: 43_200 });
  t.deepEqual(parseDuration('10min'), { text: '10min', years: 0, months: 0, days: 0, seconds: 600 });
  t.deepEqual(parseDuration('90s'), { text: '90s', years: 0, months: 0, days: 0, seconds: 90 });
});

test('anything else is an error message naming the text', (t) => {
  t.is(parseDuration(''), 'empty duration');
  for (const text of ['2', 'd', '2x', '-1d', '1.5d', '2d and more', '1mi']) {
    t.regex(parseDuration(text) as string, new RegExp(`^"${text}" is not a duration`), text);
  }
});

test('a plain length counts a month as 30 days and a year as 365', (t) => {
  t.is(durationMs(parsed('1d12h')), 36 * 3_600_000);
  t.is(durationMs(parsed('1m')), 30 * 86_400_000);
  t.is(durationMs(parsed('1y')), 365 * 86_400_000);
});

test('subtracting counts months and years on the calendar, clamped to the end of a shorter month', (t) => {
  t.is(before('2026-11-26T03:00:00Z', '2d'), '2026-11-24T03:00:00.000Z');
  t.is(before('2026-03-31T03:00:00Z', '1m'), '2026-02-28T03:00:00.000Z');
  t.is(before('2024-03-31T03:00:00Z', '1m'), '2024-02-29T03:00:00.000Z');
  t.is(before('2024-02-29T03:00:00Z', '1y'), '2023-02-28T03:00:00.000Z');
  t.is(before('2026-01-15T03:00:00Z', '2m'), '2025-11-15T03:00:00.000Z');
  t.is(before('2026-03-31T03:00:00Z', '1m1d'), '2026-02-27T03:00:00.000Z'); // months first, then days
  t.is(before('2026-11-26T03:00:00Z', '36h'), '2026-11-24T15:00:00.000Z');
});

test('every duration is bounded: at most 1000y, amounts too long to be exact refused', (t) => {
  t.is((parseDuration('1000y') as Duration).years, 1000);
  t.regex(parseDuration('1000000y') as string, /^"1000000y" is too long: at most 1000y$/);
  t.regex(parseDuration('1001y') as string, /too long/);
  t.regex(parseDuration('999y 13m') as string, /too long: at most 1000y \(m is months here; minutes are min, e.g. 10min\)$/);
  t.regex(parseDuration('99999999999999999999s') as string, /too long/, 'digits a Number cannot hold exactly');
  t.regex(parseDuration(`${'9'.repeat(400)}d`) as string, /too long/, 'digits that make Infinity');
  t.is((parseDuration('0000000000000000000001d') as Duration).days, 1, 'leading zeros are only zeros');
});

test('limits per use: timers up to 24d and never zero, ages never zero', (t) => {
  t.is((parseDuration('24d', TIMER) as Duration).days, 24);
  t.regex(parseDuration('25d', TIMER) as string, /^"25d" is too long: at most 24d, the longest a timer runs$/);
  t.is((parseDuration('10m', TIMER) as Duration).seconds, 600, 'in a timer m is minutes: nobody waits months for a hook');
  t.is((parseDuration('6m') as Duration).months, 6, 'in an age m is months, as restic reads keep-within');
  t.is(parseDuration('0s', TIMER), '"0s" is zero: it must be more than 0');
  t.is(parseDuration('0d 0h', LENGTH), '"0d 0h" is zero: it must be more than 0');
  t.is((parseDuration('0d') as Duration).days, 0, 'the syntax alone allows zero');
  t.regex(parseDuration('1001y', LENGTH) as string, /too long: at most 1000y/);
});

test('every duration parseDuration accepts has an exact length and a valid instant that far back', (t) => {
  t.notThrows(() => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 400_000 }), fc.constantFrom('y', 'm', 'w', 'd', 'h', 'min', 's')), { minLength: 1, maxLength: 4 }), (parts) => {
        const d = parseDuration(parts.map(([n, u]) => `${n}${u}`).join(''));
        if (typeof d === 'string') return /too long/.test(d);
        return Number.isSafeInteger(durationMs(d)) && isComputable(d) && !Number.isNaN(subtractDuration(new Date('2026-11-26T03:00:00Z'), d).getTime());
      }),
    );
  });
});

test('isComputable: what parseDuration could have made', (t) => {
  t.true(isComputable(parsed('1000y')));
  const d = { text: 'x', years: 0, months: 0, days: 0, seconds: 0 };
  for (const bad of [{ years: 1001 }, { days: -1 }, { seconds: 0.5 }, { months: Number.NaN }, { days: Infinity }]) {
    t.false(isComputable({ ...d, ...bad }), JSON.stringify(bad));
  }
});

test('an instant beyond what a Date holds is an Invalid Date, not a wrong date', (t) => {
  const huge = { text: '1000000y', years: 1_000_000, months: 0, days: 0, seconds: 0 };
  t.true(Number.isNaN(subtractDuration(new Date('2026-11-26T03:00:00Z'), huge).getTime()));
});
