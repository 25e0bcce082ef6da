import test from 'ava';
import { durationMs, parseDuration, subtractDuration, type Duration } from '../../src/util/duration.js';

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
