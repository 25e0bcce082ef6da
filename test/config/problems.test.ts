/** Config errors as the admin reads them: one line a problem, naming file, line (and column) and key. */
import test from 'ava';
import { keyLines } from '../../src/config/locate.js';
import { ConfigError, configError } from '../../src/config/problems.js';

test('ConfigError: file, line and column where known, key where there is one, message', (t) => {
  const e = new ConfigError('/etc/zbk.toml', [
    { line: 3, column: 7, key: '', message: 'TOML syntax: expected a value' },
    { line: 9, key: 'zbk.zfs', message: '"./zfs" must be a command name (found on PATH) or an absolute path' },
    { line: null, key: 'state_dir', message: 'is a symbolic link' },
  ]);
  t.is(e.name, 'ConfigError');
  t.is(e.file, '/etc/zbk.toml');
  t.is(e.message, [
    '/etc/zbk.toml:3:7: TOML syntax: expected a value',
    '/etc/zbk.toml:9: zbk.zfs: "./zfs" must be a command name (found on PATH) or an absolute path',
    '/etc/zbk.toml: state_dir: is a symbolic link',
  ].join('\n'));
});

test('configError: each problem at its key\'s line, jobs named by name (by index when the name is bad), in file order', (t) => {
  const text = '[zbk]\nzfs = "./zfs"\n\n[[job]]\nname = "web"\ndataset = "tank/web"\n\n[[job]]\nname = "-x"\ndataset = "tank/x"\n';
  const e = configError('/etc/zbk.toml', keyLines(text), [
    { path: ['job', 1, 'name'], message: 'may hold only a-z, 0-9, ".", "_" and "-"' },
    { path: ['job', 0, 'dataset'], message: 'is inside another job\'s' },
    { path: ['zbk', 'zfs'], message: 'must be a command name' },
  ], ['web', null]);
  t.deepEqual(e.problems, [
    { line: 2, key: 'zbk.zfs', message: 'must be a command name' },
    { line: 6, key: 'job "web".dataset', message: 'is inside another job\'s' },
    { line: 9, key: 'job[1].name', message: 'may hold only a-z, 0-9, ".", "_" and "-"' },
  ]);
});
