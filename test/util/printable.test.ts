/** Text from outside, printed: controls, DEL, C1, line separators and bidi overrides become visible escapes. */
import test from 'ava';
import fc from 'fast-check';
import { jsonPrintable, printable } from '../../src/util/printable.js';

test('ANSI sequences, bells, C1 controls and bidi overrides are escaped; the rest is kept', (t) => {
  t.is(printable('a\x1b[2Jb'), 'a\\x1b[2Jb');
  t.is(printable('bell\x07 tab\t nl\n cr\r nul\0 del\x7f csi\x9b'), 'bell\\x07 tab\\x09 nl\\x0a cr\\x0d nul\\x00 del\\x7f csi\\x9b');
  t.is(printable('invoice\u202Efdp.exe'), 'invoice\\u202efdp.exe');
  t.is(printable('\u2066x\u2069 \u200e\u200f\u061c \u2028\u2029'), '\\u2066x\\u2069 \\u200e\\u200f\\u061c \\u2028\\u2029');
  t.is(printable('\\\\?\\PHYSICALDRIVE1 ü — → 日本'), '\\\\?\\PHYSICALDRIVE1 ü — → 日本');
});

test('what printable returns has no control or bidi character, and escaping it again changes nothing', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const p = printable(s);
        return !/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/.test(p) && printable(p) === p;
      }),
    ),
  );
});

test('JSON text escaped for a terminal parses to the same data', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (v, s) => {
        const data = { v, s };
        const text = jsonPrintable(JSON.stringify(data, null, 2));
        return !/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(text) && JSON.stringify(JSON.parse(text)) === JSON.stringify(data);
      }),
    ),
  );
});
