import test from 'ava';
import fc from 'fast-check';
import { formatNiceNumber, parseCount, parseNiceNumber, parsePercent } from '../../src/health/nicenum.js';
import { holds } from './builders.js';

test('plain counters are read as they are', (t) => {
  t.is(parseNiceNumber('0'), 0);
  t.is(parseNiceNumber('29'), 29);
});

test('abbreviated counters are base 1024, rounded', (t) => {
  t.is(parseNiceNumber('1.2K'), 1229);
  t.is(parseNiceNumber('2.04K'), 2089);
  t.is(parseNiceNumber('945K'), 967_680);
  t.is(parseNiceNumber('1.5M'), 1_572_864);
});

test('a decimal comma (a non-C locale) reads like a point', (t) => {
  t.is(parseNiceNumber('12,8K'), 13_107);
});

test('sizes carry a B when below 1K, and old releases print none', (t) => {
  t.is(parseNiceNumber('0B'), 0);
  t.is(parseNiceNumber('512B'), 512);
  t.is(parseNiceNumber('1.69M'), 1_772_093);
  t.is(parseNiceNumber('5.65T'), 6_212_240_696_934);
});

test('anything else is not a number', (t) => {
  for (const text of ['', '-', 'ONLINE', '1.2KB', '1.2k', '12 K', '1.2.3', 'K']) t.is(parseNiceNumber(text), null, text);
});

test('formatting follows zfs_nicenum: exact multiples plain, else the most decimals fitting 5 characters', (t) => {
  t.is(formatNiceNumber(0, true), '0B');
  t.is(formatNiceNumber(512, true), '512B');
  t.is(formatNiceNumber(29), '29');
  t.is(formatNiceNumber(1229), '1.20K');
  t.is(formatNiceNumber(967_680), '945K');
  t.is(formatNiceNumber(1_772_093, true), '1.69M');
  t.is(formatNiceNumber(100_977_869, true), '96.3M');
  t.is(formatNiceNumber(126_877_696, true), '121M');
});

test('formatting then reading gives the number back within the printed precision', (t) => {
  holds(
    t,
    fc.property(fc.integer({ min: 0, max: 2 ** 52 }), (n) => {
      const back = parseNiceNumber(formatNiceNumber(n, true)) ?? -1;
      return Math.abs(back - n) <= Math.max(0.005 * n, 0.5);
    }),
  );
});

test('a whole number may carry a locale\'s thousands marks; a unit means a decimal mark', (t) => {
  for (const text of ['1,234', '1.234', "1'234", '1\u00a0234', '1\u202f234']) t.is(parseNiceNumber(text), 1234, text);
  t.is(parseNiceNumber('1,234,567'), 1_234_567);
  t.is(parseNiceNumber('1.234B'), 1234);
  t.is(parseNiceNumber('1,23K'), 1260);
  for (const text of ['1,23', '1,2345', '1.234,567', '12,34', '1 234']) t.is(parseNiceNumber(text), null, text);
});

test('counts and percentages as printed', (t) => {
  t.is(parseCount('4'), 4);
  t.is(parseCount('1.234.567'), 1_234_567);
  t.is(parseCount('1,2'), null);
  t.is(parsePercent('20,80'), 20.8);
  t.is(parsePercent('20.80'), 20.8);
  t.is(parsePercent('20%'), null);
});
