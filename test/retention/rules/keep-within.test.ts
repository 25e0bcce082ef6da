import test from 'ava';
import { keepWithin } from '../../../src/retention/rules/keep-within.js';
import { parseDuration, type Duration } from '../../../src/util/duration.js';
import { keptOf, newestFirst } from './dates.js';

const within = (text: string) => keepWithin(parseDuration(text) as Duration);

test('keeps everything within the duration of the newest snapshot, the boundary included', (t) => {
  const times = newestFirst('2026-11-26T03:00:00Z', '2026-11-25T12:00:00Z', '2026-11-24T03:00:00Z', '2026-11-24T02:59:59Z');
  t.deepEqual(keptOf(times, within('2d')(times)), [
    ['2026-11-26T03:00:00.000Z', 'within 2d'],
    ['2026-11-25T12:00:00.000Z', 'within 2d'],
    ['2026-11-24T03:00:00.000Z', 'within 2d'],
  ]);
});

test('months are calendar months back from the newest, clamped to the end of a shorter month', (t) => {
  const times = newestFirst('2026-03-31T03:00:00Z', '2026-02-28T03:00:00Z', '2026-02-28T02:59:59Z');
  t.is(within('1m')(times).size, 2);
  t.is(keptOf(times, within('1m')(times)).at(-1)?.[0], '2026-02-28T03:00:00.000Z');
});

test('keeps nothing of nothing', (t) => {
  t.is(within('2d')([]).size, 0);
});

test('a cutoff that is not a valid Date keeps everything, never nothing', (t) => {
  const times = newestFirst('2026-11-26T03:00:00Z', '2026-11-25T03:00:00Z', '2020-01-01T03:00:00Z');
  const huge = { text: '1000000y', years: 1_000_000, months: 0, days: 0, seconds: 0 };
  t.deepEqual(keptOf(times, keepWithin(huge)(times)).map(([, why]) => why), ['within 1000000y', 'within 1000000y', 'within 1000000y']);
  const notANumber = { text: 'NaN', years: 0, months: 0, days: Number.NaN, seconds: 0 };
  t.is(keepWithin(notANumber)(times).size, 3);
  const beyond = { text: '300000y', years: 0, months: 0, days: 300_000 * 365, seconds: 0 };
  t.is(keepWithin(beyond)(times).size, 3, 'a cutoff before the first Date');
});
