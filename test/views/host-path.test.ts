import test from 'ava';
import fc from 'fast-check';
import { hostPathOf, mapHostPath, sourceRoot } from '../../src/views/host-path.js';
import { parsedSource } from '../helpers/config.js';

test('the source directory is the dataset root: ssh, rsync daemon (module root is /), local, snapshot-only', (t) => {
  t.is(sourceRoot(parsedSource('root@web:/srv/')), '/srv/');
  t.is(sourceRoot(parsedSource('rsync://backup@host:873/www/site/')), '/site/');
  t.is(sourceRoot(parsedSource('rsync://host/www/')), '/');
  t.is(sourceRoot(parsedSource('/var/backups/src')), '/var/backups/src/');
  t.is(sourceRoot(null), '/');
});

test('absolute and relative host paths map to the path inside the dataset', (t) => {
  t.deepEqual(mapHostPath('/srv/', '/srv/www/index.html'), { host: '/srv/www/index.html', inner: 'www/index.html' });
  t.deepEqual(mapHostPath('/srv/', 'www/index.html'), { host: '/srv/www/index.html', inner: 'www/index.html' });
  t.deepEqual(mapHostPath('/srv/', '/srv/'), { host: '/srv', inner: '' });
  t.deepEqual(mapHostPath('/srv/', '.'), { host: '/srv', inner: '' });
  t.deepEqual(mapHostPath('/', '/etc//rc.conf/'), { host: '/etc/rc.conf', inner: 'etc/rc.conf' });
  t.deepEqual(mapHostPath('/srv/', 'www/../etc/./x'), { host: '/srv/etc/x', inner: 'etc/x' }, 'a .. that stays inside is resolved');
  t.deepEqual(mapHostPath('/srv/', '-rf'), { host: '/srv/-rf', inner: '-rf' }, 'a leading - is a name, only ever joined under a view');
});

test('refused: outside the source directory, .. climbing out, NUL and control characters, empty, absurdly long', (t) => {
  const refused: Array<[string, RegExp]> = [
    ['/etc/passwd', /not under the job's source directory \/srv\//],
    ['/srvx/a', /not under/],
    ['../etc/passwd', /not under .* relative path is taken from there/],
    ['www/../../etc', /not under/],
    ['/../../etc', /climbs above \//],
    ['a\u0000b', /control character/],
    ['a\nb', /control character/],
    ['a\u001b[31m', /control character/],
    ['', /an empty path/],
    ['a'.repeat(5000), /longer than any path/],
  ];
  for (const [path, re] of refused) {
    const r = mapHostPath('/srv/', path);
    t.is(typeof r, 'string', JSON.stringify(path));
    t.regex(r as string, re);
  }
});

const component = fc.stringMatching(/^[A-Za-z0-9 ._-]{1,12}$/).filter((c) => c !== '.' && c !== '..');

test('property: hostPathOf and mapHostPath are inverse for plain components', (t) => {
  fc.assert(fc.property(fc.array(component, { maxLength: 4 }), fc.array(component, { maxLength: 5 }), (rootParts, innerParts) => {
    const root = `/${rootParts.join('/')}${rootParts.length ? '/' : ''}`;
    const inner = innerParts.join('/');
    const host = hostPathOf(root, inner);
    const back = mapHostPath(root, host);
    return typeof back !== 'string' && back.inner === inner && back.host === host;
  }));
  t.pass();
});

test('property: whatever PATH is, the inner path never climbs out and never starts with /', (t) => {
  const piece = fc.oneof(component, fc.constantFrom('..', '.', '', '/', '-x'), fc.string({ maxLength: 4 }));
  fc.assert(fc.property(fc.array(piece, { maxLength: 8 }), fc.boolean(), (parts, absolute) => {
    const r = mapHostPath('/srv/', `${absolute ? '/' : ''}${parts.join('/')}`);
    if (typeof r === 'string') return true;
    const comps = r.inner === '' ? [] : r.inner.split('/');
    return !r.inner.startsWith('/') && comps.every((c) => c !== '..' && c !== '.' && c !== '') && r.host.startsWith('/srv');
  }));
  t.pass();
});
