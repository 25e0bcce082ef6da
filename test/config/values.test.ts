/** The single values the config shares between tables: sizes, dataset names, pool names, commands. */
import test from 'ava';
import { checkDataset, commandProblem, isPoolName, parseSize } from '../../src/config/values.js';
import { problems, refused } from '../helpers/config.js';

test('datasets: no "." or ".." component, no longer than ZFS allows', async (t) => {
  const at = (dataset: string) => `[[job]]\nname = "a"\ndataset = ${JSON.stringify(dataset)}\n`;
  await refused(t, at('tank/../etc'), 'job "a".dataset', /has a "\." or "\.\." component/);
  await refused(t, at('tank/./a'), 'job "a".dataset', /has a "\." or "\.\." component/);
  await refused(t, at('tank/..'), 'job "a".dataset', /component/);
  await refused(t, at(`tank/${'a'.repeat(300)}`), 'job "a".dataset', /longer than ZFS allows/);
  t.deepEqual(await problems(at('tank/backup/a..b')), []);
});

test('parseSize: bytes, K, M, G (either case), nothing else', (t) => {
  t.deepEqual(['512', '16K', '16k', ' 1M ', '2G'].map(parseSize), [512, 16384, 16384, 1048576, 2147483648]);
  t.deepEqual(['', 'K', '1.5K', '1T', '-1K', '16KB', '0x10'].map(parseSize), [null, null, null, null, null, null, null]);
});

test('checkDataset: a filesystem name, pool first, no snapshot, no option', (t) => {
  for (const ok of ['tank', 'tank/backup/web', 'zroot/a_b.c:d-e', 'tank/a..b']) t.deepEqual(checkDataset(ok), [], ok);
  for (const bad of ['', '-f', 'tank/', '/tank', 'tank//a', 'tank/a@snap', 'tank/a b', '.tank', 'tank/a#b']) {
    t.deepEqual(checkDataset(bad), [`"${bad}" is not a ZFS filesystem name (pool/path, no @)`], bad);
  }
  t.deepEqual(checkDataset(`tank/${'a'.repeat(250)}`), [], '255 characters');
  t.is(checkDataset(`tank/${'a'.repeat(251)}`).length, 1, '256 characters');
});

test('isPoolName: a letter first, never an option', (t) => {
  t.deepEqual(['tank', 'zroot', 'a.b_c:d-e', 'T1'].map(isPoolName), [true, true, true, true]);
  t.deepEqual(['', '-x', '1tank', 'tank/a', 'ta nk', '__proto__'].map(isPoolName), [false, false, false, false, false, false]);
});

test('commandProblem: an absolute path or a plain name looked up on PATH', (t) => {
  for (const ok of ['zfs', '/sbin/zfs', '/usr/local/sbin/zpool', 'zfs-2.2', 'g++']) t.is(commandProblem(ok), null, ok);
  for (const bad of ['', './zfs', 'sbin/zfs', '-x', 'sudo zfs', '.zfs', '~/zfs']) {
    t.is(commandProblem(bad), `"${bad}" must be a command name (found on PATH) or an absolute path`, bad);
  }
});
