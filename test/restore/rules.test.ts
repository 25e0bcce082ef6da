/** What `zbk restore` refuses before it touches anything: every refusal with its message. */
import test from 'ava';
import { directoryProblem, isInside, ownershipProblem, restorePaths } from '../../src/restore/rules.js';

const R = { root: '/srv/', toSource: true, wholeSource: false };

test('PATHs map to inner paths, absolute or relative to the source directory; duplicates once', (t) => {
  t.deepEqual(restorePaths(['/srv/www/index.html', 'etc', './etc/', 'www/-n'], R), [
    { host: '/srv/www/index.html', inner: 'www/index.html' },
    { host: '/srv/etc', inner: 'etc' },
    { host: '/srv/www/-n', inner: 'www/-n' },
  ]);
});

test('hostile PATHs are refused with the views\' reasons', (t) => {
  const cases: Array<[string, RegExp]> = [
    ['', /^an empty path$/],
    ['/srv/a\nb', /control character/],
    ['/srv/\u001b[2Jx', /control character/],
    ['../../etc/shadow', /climbs above \/ with \.\./],
    ['/etc/shadow', /is not under the job's source directory \/srv\/$/],
    ['/srvx/a', /is not under/],
    ['a'.repeat(5000), /longer than any path/],
  ];
  for (const [path, re] of cases) t.regex(restorePaths([path], R) as string, re, JSON.stringify(path));
  t.regex(restorePaths([], R) as string, /^name at least one PATH to restore$/);
});

test('the whole source directory: only said literally; onto the host only with --whole-source', (t) => {
  for (const path of ['.', './', 'www/..', '/srv/www/..', '/srv/./']) {
    t.regex(restorePaths([path], { ...R, toSource: false }) as string, /is the whole source directory \/srv\/, said indirectly: to restore all of it, write \/srv$/, path);
  }
  t.deepEqual(restorePaths(['/srv'], { ...R, toSource: false }), [{ host: '/srv', inner: '' }]);
  t.deepEqual(restorePaths(['/srv/'], { ...R, toSource: false }), [{ host: '/srv', inner: '' }]);
  t.regex(restorePaths(['/srv/'], R) as string, /"\/srv\/" is the whole source directory \/srv\/: restoring all of it onto the host needs --whole-source \(or restore it into a directory with --to DIR\)/);
  t.deepEqual(restorePaths(['/srv'], { ...R, wholeSource: true }), [{ host: '/srv', inner: '' }]);
  const slash = { root: '/', toSource: true, wholeSource: false };
  t.regex(restorePaths(['/'], slash) as string, /needs --whole-source/);
  t.regex(restorePaths(['//'], slash) as string, /needs --whole-source/);
  t.regex(restorePaths(['/etc/..'], { ...slash, wholeSource: true }) as string, /said indirectly: to restore all of it, write \/$/);
  t.deepEqual(restorePaths(['/'], { ...slash, wholeSource: true }), [{ host: '/', inner: '' }]);
});

test('--whole-source: only with --to-source, and only when a PATH is the whole source directory', (t) => {
  t.regex(restorePaths(['/srv'], { ...R, toSource: false, wholeSource: true }) as string, /^--whole-source goes with --to-source/);
  t.regex(restorePaths(['/srv/etc'], { ...R, wholeSource: true }) as string, /^--whole-source: no PATH is the whole source directory \/srv\/ \(write \/srv to restore all of it\)$/);
});

test('DIR: refused inside the dataset\'s mountpoint or the state_dir, or with a control character', (t) => {
  const kept = [{ what: "the job's state_dir", path: '/var/db/zbk' }, { what: 'the mountpoint of tank/web', path: '/tank/web' }];
  t.is(directoryProblem('/tmp/r', '/tmp/r', kept), null);
  t.is(directoryProblem('/tank/webx', '/tank/webx', kept), null);
  t.regex(directoryProblem('/tank/web', '/tank/web', kept)!, /^--to "\/tank\/web" is inside the mountpoint of tank\/web \/tank\/web: a restore never writes into what zbk keeps/);
  t.regex(directoryProblem('/tank/web/.zfs/snapshot/x', '/tank/web/.zfs/snapshot/x', kept)!, /inside the mountpoint of tank\/web/);
  t.regex(directoryProblem('link/r', '/var/db/zbk/views/1', kept)!, /^--to "link\/r" is inside the job's state_dir \/var\/db\/zbk/);
  t.regex(directoryProblem('/tmp/a\nb', '/tmp/a\nb', kept)!, /control character/);
  t.true(isInside('/a/b', '/a/'));
  t.false(isInside('/ab', '/a'));
  t.true(isInside('/anything', '/'));
});

test('DIR: the user\'s own directory, writable by nobody else (rsync follows links planted in it)', (t) => {
  t.is(ownershipProblem('/r', { isDirectory: true, uid: 0, mode: 0o40700 }, 0), null);
  t.is(ownershipProblem('/r', { isDirectory: true, uid: 0, mode: 0o40755 }, 0), null);
  t.is(ownershipProblem('/r', null, 0), null, 'a dry run into a DIR yet to be made');
  t.regex(ownershipProblem('/tmp', { isDirectory: true, uid: 0, mode: 0o41777 }, 0)!, /^--to "\/tmp" is writable by others than its owner: a link planted in it would send the restore elsewhere; name a directory of your own, or a new one \(zbk makes it, mode 0700\)$/);
  t.regex(ownershipProblem('/r', { isDirectory: true, uid: 0, mode: 0o40770 }, 0)!, /writable by others/);
  t.regex(ownershipProblem('/home/u/r', { isDirectory: true, uid: 1001, mode: 0o40700 }, 0)!, /is owned by uid 1001, not 0/);
  t.regex(ownershipProblem('/r', { isDirectory: false, uid: 0, mode: 0o100600 }, 0)!, /^--to "\/r" is not a directory$/);
});
