import test from 'ava';
import fc from 'fast-check';
import { parseRsyncNumber } from '../../src/sync/numbers.js';

test('plain digits, and thousands separated by commas or by dots', (t) => {
  t.is(parseRsyncNumber('0'), 0);
  t.is(parseRsyncNumber('3000007'), 3000007);
  t.is(parseRsyncNumber('1,234'), 1234);
  t.is(parseRsyncNumber('3,000,989'), 3000989);
  t.is(parseRsyncNumber('3.000.998'), 3000998);
});

test('two decimals after the locale\'s decimal point', (t) => {
  t.is(parseRsyncNumber('1.00'), 1);
  t.is(parseRsyncNumber('168,46'), 168.46);
  t.is(parseRsyncNumber('6,002,146.00'), 6002146);
  t.is(parseRsyncNumber('35.616,50'), 35616.5);
});

test('-h suffixes are units of 1000', (t) => {
  t.is(parseRsyncNumber('7.36K'), 7360);
  t.is(parseRsyncNumber('3,00M'), 3_000_000);
  t.is(parseRsyncNumber('1.5G'), null, 'rsync prints two decimals');
  t.is(parseRsyncNumber('2.00T'), 2e12);
});

test('anything else is not a number', (t) => {
  for (const text of ['', 'x', '1,2345', '12,34,567', '1,234.567', '1.234,567', '-1', '1e3', '1 234']) {
    t.is(parseRsyncNumber(text), null, text);
  }
});

test('any integer printed in either locale reads back as itself', (t) => {
  t.notThrows(() => {
    fc.assert(
      fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(',', '.'), (n, separator) => {
        const printed = String(n).replace(/\B(?=(\d{3})+$)/g, separator);
        return parseRsyncNumber(printed) === n;
      }),
    );
  });
});
