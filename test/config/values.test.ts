/** The single values the config shares between tables: sizes and commands (dataset and pool names: test/zfs/names.test.ts). */
import test from 'ava';
import { commandProblem, parseSize } from '../../src/config/values.js';

test('parseSize: bytes, K, M, G (either case), nothing else', (t) => {
  t.deepEqual(['512', '16K', '16k', ' 1M ', '2G'].map(parseSize), [512, 16384, 16384, 1048576, 2147483648]);
  t.deepEqual(['', 'K', '1.5K', '1T', '-1K', '16KB', '0x10'].map(parseSize), [null, null, null, null, null, null, null]);
});

test('commandProblem: an absolute path or a plain name looked up on PATH', (t) => {
  for (const ok of ['zfs', '/sbin/zfs', '/usr/local/sbin/zpool', 'zfs-2.2', 'g++']) t.is(commandProblem(ok), null, ok);
  for (const bad of ['', './zfs', 'sbin/zfs', '-x', 'sudo zfs', '.zfs', '~/zfs']) {
    t.is(commandProblem(bad), `"${bad}" must be a command name (found on PATH) or an absolute path`, bad);
  }
});
