import test from 'ava';
import { itemizeArgs, parseItemized, unescapeRsyncName } from '../../src/sync/itemize.js';
import { fixture } from '../helpers/fixtures.js';

test('the dry run goes from TO onto FROM, with -- before the two views', (t) => {
  t.deepEqual(itemizeArgs('/v/a', '/v/b/'), ['-n', '-i', '-aHc', '--delete', '--numeric-ids', '--out-format=%i %n', '--', '/v/b/', '/v/a/']);
});

test('a captured itemized dry run: created, deleted, changed, escaped names (fixtures/rsync/itemize-diff.stdout)', (t) => {
  const c = parseItemized(fixture('rsync/itemize-diff.stdout'));
  t.deepEqual(c, [
    { change: 'removed', path: 'old/deep/f', directory: false },
    { change: 'removed', path: 'old/deep', directory: true },
    { change: 'removed', path: 'old', directory: true },
    { change: 'removed', path: 'gone', directory: false },
    { change: 'modified', path: 'etc/mode', directory: false },
    { change: 'modified', path: 'etc/rc.conf', directory: false },
    { change: 'modified', path: 'etc/touched', directory: false },
    { change: 'added', path: 'new', directory: true },
    { change: 'added', path: 'new/sub', directory: true },
    { change: 'added', path: 'new/sub/f', directory: false },
    { change: 'added', path: 'www/café', directory: false },
    { change: 'added', path: 'www/hard2', directory: false },
    { change: 'added', path: 'www/link', directory: false },
    { change: 'added', path: 'www/odd name\nwith newline', directory: false },
  ]);
});

test('an item with no change (-ii style) is left out; the root is the empty path', (t) => {
  t.deepEqual(parseItemized('.f          same\n.d..t...... ./\n'), [{ change: 'modified', path: '', directory: true }]);
});

test('a line that is not an itemized change fails loudly instead of being guessed at', (t) => {
  t.throws(() => parseItemized('sending incremental file list\n'), { message: /cannot read as an itemized change/ });
  t.throws(() => parseItemized('>f+++++++++\n'), { message: /cannot read/ });
});

test('\\#ooo escapes become their bytes; a lone backslash stays', (t) => {
  t.is(unescapeRsyncName('a\\#012b\\#303\\#251'), 'a\nbé');
  t.is(unescapeRsyncName('a\\b'), 'a\\b');
});
