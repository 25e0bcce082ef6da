import test from 'ava';
import { diffArgs, parseZfsDiff, unescapeDiffPath } from '../../src/zfs/diff.js';
import { fixture } from '../helpers/fixtures.js';

test('zfs diff -H -F from to', (t) => {
  t.deepEqual(diffArgs('tank/a@x', 'tank/a'), ['diff', '-H', '-F', 'tank/a@x', 'tank/a']);
});

test('the documented -H -F format (fixtures/zfs/openzfs-diff.txt, by hand from zfs-diff(8)): changes, types, renames, escapes', (t) => {
  const lines = parseZfsDiff(fixture('zfs/openzfs-diff.txt'));
  t.is(lines.length, 16);
  t.deepEqual(lines[0], { change: 'M', type: '/', path: '/tank/backup/web/', to: null });
  t.deepEqual(lines.find((l) => l.change === 'R'), { change: 'R', type: 'F', path: '/tank/backup/web/www/old.html', to: '/tank/backup/web/www/renamed.html' });
  t.true(lines.some((l) => l.path === '/tank/backup/web/www/odd name\nwith newline'));
  t.true(lines.some((l) => l.path === '/tank/backup/web/www/café'));
});

test('a link-count column is not a rename; an unreadable line fails loudly', (t) => {
  t.deepEqual(parseZfsDiff('M\tF\t/t/a\t(+1)\n'), [{ change: 'M', type: 'F', path: '/t/a', to: null }]);
  t.throws(() => parseZfsDiff('X\tF\t/t/a\n'), { message: /cannot read/ });
  t.throws(() => parseZfsDiff('R\tF\t/t/a\n'), { message: /rename without its new path/ });
});

test('\\0ooo escapes (and the older \\ooo)', (t) => {
  t.is(unescapeDiffPath('a\\0040b\\0134c'), 'a b\\c');
  t.is(unescapeDiffPath('\\303\\251'), 'é');
});
