/** modeText: permission bits as chmod(1) takes them. */
import test from 'ava';
import { modeText } from '../../src/util/mode.js';

test('four octal digits, the file type bits left out', (t) => {
  t.is(modeText(0o600), '0600');
  t.is(modeText(0o40755), '0755', 'a directory from stat(2)');
  t.is(modeText(0o100644), '0644', 'a regular file from stat(2)');
  t.is(modeText(0o41777), '1777', 'the sticky bit');
  t.is(modeText(0o4755), '4755', 'setuid');
  t.is(modeText(0), '0000');
});
