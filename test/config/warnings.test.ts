import test from 'ava';
import { parseConfig } from '../../src/config/load.js';
import { configWarnings } from '../../src/config/warnings.js';

test('a policy made only of keep_within is a warning, named and inline, not an error', async (t) => {
  const config = await parseConfig(`[retention.age]
keep_within = "30d"

[retention.mixed]
keep_within = "30d"
daily = 7

[[job]]
name = "a"
dataset = "tank/a"
retention = { keep_within = "2w", keep_last = 0 }

[[job]]
name = "b"
dataset = "tank/b"
retention = "age"
`, '/etc/zbk.toml');
  const warnings = configWarnings(config);
  t.is(warnings.length, 2);
  t.regex(warnings[0]!, /^retention\.age keeps by keep_within alone: .* one snapshot named in the future .* add keep_last or daily as well$/);
  t.regex(warnings[1]!, /^job "a"\.retention keeps by keep_within alone/);
  t.deepEqual(configWarnings(await parseConfig('', '/etc/zbk.toml')), [], 'the built-in default warns of nothing');
});

test('a target no job replicates to, or whose inline policy keeps by age alone, is a warning', async (t) => {
  const config = await parseConfig(`[[job]]
name = "a"
dataset = "tank/a"
replicate = ["used"]

[[target]]
name = "used"
dataset = "usb/a"

[[target]]
name = "idle"
host = "vault"
dataset = "vault/zbk"
retention = { keep_within = "30d" }
`, '/etc/zbk.toml');
  t.deepEqual(configWarnings(config).map((w) => w.replace(/:.*/, '')), [
    'target "idle".retention keeps by keep_within alone',
    'target "idle" is in no job\'s replicate list',
  ]);
});
