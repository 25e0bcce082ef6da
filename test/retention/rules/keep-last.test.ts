import test from 'ava';
import { keepLast } from '../../../src/retention/rules/keep-last.js';
import { keptOf, newestFirst } from './dates.js';

const times = newestFirst('2026-11-26T03:00:00Z', '2026-11-25T03:00:00Z', '2026-11-01T03:00:00Z', '2025-01-01T03:00:00Z');

test('keeps the newest N, counting them', (t) => {
  t.deepEqual(keptOf(times, keepLast(3)(times)), [
    ['2026-11-26T03:00:00.000Z', 'last 1/3'],
    ['2026-11-25T03:00:00.000Z', 'last 2/3'],
    ['2026-11-01T03:00:00.000Z', 'last 3/3'],
  ]);
});

test('keeps all when there are no more than N, and none when N is 0', (t) => {
  t.is(keepLast(10)(times).size, 4);
  t.is(keepLast(10)(times).get(3), 'last 4/10');
  t.is(keepLast(0)(times).size, 0);
  t.is(keepLast(3)([]).size, 0);
});
