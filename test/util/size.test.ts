import test from 'ava';
import { formatBytes } from '../../src/util/size.js';

test('sizes read like zfs prints them', (t) => {
  t.is(formatBytes(0), '0B');
  t.is(formatBytes(512), '512B');
  t.is(formatBytes(1024), '1K');
  t.is(formatBytes(1772093), '1.69M');
  t.is(formatBytes(114688), '112K');
  t.is(formatBytes(8589934592), '8G');
  t.is(formatBytes(12 * 1024 + 512), '12.5K');
  t.is(formatBytes(1048575), '1M', 'what would print as 1024K moves up');
  t.is(formatBytes(1023), '1023B');
});
