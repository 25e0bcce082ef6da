/** hasControl: C0 controls, DEL and C1 controls, and nothing else. */
import test from 'ava';
import fc from 'fast-check';
import { hasControl } from '../../src/util/control.js';

test('every C0 control, DEL and every C1 control is found, anywhere in the text', (t) => {
  const controls = [...Array.from({ length: 0x20 }, (_, i) => i), ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i)];
  for (const code of controls) t.true(hasControl(`a${String.fromCharCode(code)}b`), `U+${code.toString(16).padStart(4, '0')}`);
});

test('printable text, in any script, has none', (t) => {
  for (const s of ['', 'tank/backup/web', 'zbk_2026-11-26T030000Z', 'Grüße, Αθήνα', '\u00a0', '\u202e is a format character, not a control', '😀']) {
    t.false(hasControl(s), JSON.stringify(s));
  }
  fc.assert(fc.property(fc.string(), (s) => !hasControl(s)), { numRuns: 200 }); // printable ASCII
});
