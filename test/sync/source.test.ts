import test from 'ava';
import fc from 'fast-check';
import { parseSource, sourceOperand, type Source } from '../../src/sync/source.js';

test('local paths are copied by their contents: a trailing slash is added', (t) => {
  t.deepEqual(parseSource('/srv/www'), { kind: 'local', path: '/srv/www/' });
  t.deepEqual(parseSource('/srv/www/'), { kind: 'local', path: '/srv/www/' });
  t.deepEqual(parseSource('/'), { kind: 'local', path: '/' });
  t.deepEqual(parseSource('/data/a:b'), { kind: 'local', path: '/data/a:b/' }, 'a slash before the colon: local, as rsync reads it');
});

test('ssh sources: host:/path and user@host:/path, IPv6 in brackets', (t) => {
  t.deepEqual(parseSource('root@vds.example.com:/'), { kind: 'ssh', user: 'root', host: 'vds.example.com', path: '/' });
  t.deepEqual(parseSource('vds:/var/www'), { kind: 'ssh', user: null, host: 'vds', path: '/var/www/' });
  t.deepEqual(parseSource('backup@[2001:db8::1]:/etc'), { kind: 'ssh', user: 'backup', host: '[2001:db8::1]', path: '/etc/' });
});

test('daemon sources: rsync://[user@]host[:port]/module[/path]', (t) => {
  t.deepEqual(parseSource('rsync://nas/backup'), {
    kind: 'daemon', user: null, host: 'nas', port: null, module: 'backup', path: '',
  });
  t.deepEqual(parseSource('rsync://zbk@nas.lan:8873/backup/usa-vds/etc'), {
    kind: 'daemon', user: 'zbk', host: 'nas.lan', port: 8873, module: 'backup', path: 'usa-vds/etc/',
  });
  t.deepEqual(parseSource('rsync://[::1]/m/'), { kind: 'daemon', user: null, host: '[::1]', port: null, module: 'm', path: '' });
});

test('errors name what is wrong and how to write it', (t) => {
  t.is(parseSource(''), 'empty source');
  t.is(parseSource('  '), 'empty source');
  t.regex(parseSource('backup/www') as string, /"backup\/www" is a relative path: write an absolute path/);
  t.regex(parseSource('./www') as string, /is a relative path/);
  t.is(parseSource('nas::backup/etc'), `source "nas::backup/etc" uses rsync's host::module syntax: write rsync://nas/backup/etc instead`);
  t.regex(parseSource('zbk@nas::backup') as string, /write rsync:\/\/zbk@nas\/backup instead/);
  t.is(parseSource('vds:www'), 'source "vds:www": the remote path "www" is not absolute (write vds:/path)');
  t.regex(parseSource('vds:') as string, /the remote path "" is not absolute/);
  t.is(parseSource(':/etc'), 'source ":/etc" names no host');
  t.regex(parseSource('-oProxyCommand=evil:/') as string, /"-oProxyCommand=evil" is not a host name/);
  t.regex(parseSource('@vds:/') as string, /"" is not a user name/);
  t.regex(parseSource('a@b@c:/') as string, /is not \[user@\]host:\/path/);
  t.is(parseSource('rsync://nas'), 'source "rsync://nas" names no module: write rsync://nas/module/');
  t.regex(parseSource('rsync://nas/') as string, /names no module/);
  t.regex(parseSource('rsync:///m/') as string, /names no host/);
  t.is(parseSource('rsync://nas:0/m/'), 'source "rsync://nas:0/m/": port 0 is not from 1 to 65535');
  t.regex(parseSource('rsync://nas:65536/m/') as string, /port 65536 is not from 1 to 65535/);
  t.regex(parseSource('rsync://nas:http/m/') as string, /is not rsync:\/\/\[user@\]host\[:port\]\/module\/path/);
});

test('a remote path names one directory as written: wildcards and backslashes, which the remote rsync expands, are refused', (t) => {
  for (const text of ['vds:/srv/*', 'vds:/srv/a?', 'vds:/srv/[ab]', 'vds:/srv/a]', 'vds:/srv/a\\b', 'rsync://nas/backup/*/', 'rsync://nas/b*/', 'rsync://nas/m/x\\y']) {
    t.regex(parseSource(text) as string, /would read \*, \?, \[, \] or \\ in ".*" as a wildcard or escape/, text);
  }
  t.deepEqual(parseSource('/srv/*'), { kind: 'local', path: '/srv/*/' }, 'a local path reaches rsync as one argument, never globbed');
  t.deepEqual(parseSource('vds:/srv/my files/$HOME'), { kind: 'ssh', user: null, host: 'vds', path: '/srv/my files/$HOME/' });
});

test('the operand is what rsync reads, always ending in a slash', (t) => {
  t.is(sourceOperand(parseSource('/srv') as Source), '/srv/');
  t.is(sourceOperand(parseSource('root@vds:/etc') as Source), 'root@vds:/etc/');
  t.is(sourceOperand(parseSource('[::1]:/etc') as Source), '[::1]:/etc/');
  t.is(sourceOperand(parseSource('rsync://nas/backup') as Source), 'rsync://nas/backup/');
  t.is(sourceOperand(parseSource('rsync://zbk@nas:8873/backup/etc') as Source), 'rsync://zbk@nas:8873/backup/etc/');
});

const name = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,15}$/);
const path = fc.array(fc.stringMatching(/^[^/\0*?[\]\\]{1,8}$/), { maxLength: 4 }).map((parts) => `/${parts.join('/')}`);
const anySource = fc.oneof(
  path,
  fc.tuple(fc.option(name, { nil: undefined }), name, path).map(([u, h, p]) => `${u === undefined ? '' : `${u}@`}${h}:${p}`),
  fc.tuple(fc.option(name, { nil: undefined }), name, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), name, path)
    .map(([u, h, port, m, p]) => `rsync://${u === undefined ? '' : `${u}@`}${h}${port === undefined ? '' : `:${port}`}/${m}${p}`),
);

test('every valid source parses, and its operand parses back to the same source', (t) => {
  t.notThrows(() => {
    fc.assert(
      fc.property(anySource, (text) => {
        const source = parseSource(text);
        if (typeof source === 'string') return false;
        const operand = sourceOperand(source);
        return operand.endsWith('/') && JSON.stringify(parseSource(operand)) === JSON.stringify(source);
      }),
    );
  });
});
