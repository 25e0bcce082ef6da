import test from 'ava';
import { parseItemized } from '../../src/sync/itemize.js';
import { fromItemized, fromZfsDiff } from '../../src/views/changes.js';
import { parseZfsDiff } from '../../src/zfs/diff.js';
import { fixture } from '../helpers/fixtures.js';

const rsync = () => fromItemized(parseItemized(fixture('rsync/itemize-diff.stdout')));
const zfs = () => fromZfsDiff(parseZfsDiff(fixture('zfs/openzfs-diff.txt')), '/tank/backup/web');

test('the same change set reads the same from zfs diff and from the rsync dry run', (t) => {
  // The zfs fixture describes the trees of capture-itemize.sh, plus a rename, less the new hard
  // link (zfs diff would also call the link's other name modified: its link count changed).
  const expected = rsync().filter((c) => c.inner !== 'www/hard2');
  expected.push({ change: 'removed', inner: 'www/old.html' }, { change: 'added', inner: 'www/renamed.html' });
  expected.sort((a, b) => (a.inner < b.inner ? -1 : 1));
  t.deepEqual(zfs(), expected);
});

test('directories count only when added or removed; a rename is removed + added', (t) => {
  const c = zfs();
  t.false(c.some((x) => x.inner === '' || x.inner === 'www'), 'modified directories left out');
  t.deepEqual(c.filter((x) => x.inner.startsWith('new')), [
    { change: 'added', inner: 'new' }, { change: 'added', inner: 'new/sub' }, { change: 'added', inner: 'new/sub/f' },
  ]);
});

test('a path removed and added again (a type change) is modified; a path outside the mountpoint fails loudly', (t) => {
  t.deepEqual(fromItemized([{ change: 'removed', path: 'x', directory: true }, { change: 'added', path: 'x', directory: false }]), [{ change: 'modified', inner: 'x' }]);
  t.throws(() => fromZfsDiff([{ change: '+', type: 'F', path: '/elsewhere/x', to: null }], '/tank/a'), { message: /outside the mountpoint/ });
});
