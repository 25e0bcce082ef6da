/** The default configuration file follows the PREFIX zbk is installed under. */
import test from 'ava';
import { DEFAULT_CONFIG_FILE, defaultConfigFile, installPrefix } from '../../src/config/default-path.js';

test('installed as PREFIX/libexec/zbk/zbk.mjs, the default is PREFIX/etc/zbk.toml', (t) => {
  t.is(defaultConfigFile('/usr/local/libexec/zbk/zbk.mjs'), '/usr/local/etc/zbk.toml');
  t.is(defaultConfigFile('/opt/zbk/libexec/zbk/zbk.mjs'), '/opt/zbk/etc/zbk.toml');
  t.is(installPrefix('/tmp/stage/opt/zbk/libexec/zbk/zbk.mjs'), '/tmp/stage/opt/zbk');
});

test('run from anywhere else (a checkout, dist/), the default is /usr/local/etc/zbk.toml', (t) => {
  t.is(defaultConfigFile('/home/me/zbk/dist/config/default-path.js'), '/usr/local/etc/zbk.toml');
  t.is(defaultConfigFile('/opt/zbk/libexec/zbk/other.mjs'), '/usr/local/etc/zbk.toml');
  t.is(defaultConfigFile('libexec/zbk/zbk.mjs'), '/usr/local/etc/zbk.toml', 'only an absolute path names a PREFIX');
  t.is(DEFAULT_CONFIG_FILE, '/usr/local/etc/zbk.toml', 'this test runs from the checkout');
});
