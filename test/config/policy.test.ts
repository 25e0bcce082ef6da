/** [retention.NAME] and inline retention tables: counts and keep_within, bounded; names that are no prototype keys. */
import test from 'ava';
import { parseConfig } from '../../src/config/load.js';
import { readPolicies, readPolicy } from '../../src/config/policy.js';
import type { Problem } from '../../src/config/problems.js';
import { TableReader } from '../../src/config/reader.js';
import type { Config } from '../../src/config/types.js';
import { DEFAULT_POLICY } from '../../src/retention/policy.js';
import { FILE, job, problems, refused } from '../helpers/config.js';

test('a keep_within of 1000000y alone is a config error, not a policy that keeps one snapshot', async (t) => {
  const found = await problems('[retention.forever]\nkeep_within = "1000000y"\n');
  t.true(found.some((p) => /retention\.forever\.keep_within: "1000000y" is too long/.test(p)), found.join('\n'));
});

test('policies named __proto__, constructor or toString are policies like any other', async (t) => {
  const text = `[retention.__proto__]\ndaily = 3\n[retention.constructor]\nweekly = 2\n[retention.toString]\nkeep_last = 1\n
[[job]]\nname = "a"\ndataset = "tank/a"\nretention = "__proto__"
[[job]]\nname = "b"\ndataset = "tank/b"\nretention = "constructor"
[[job]]\nname = "c"\ndataset = "tank/c"\nretention = "toString"
[[job]]\nname = "d"\ndataset = "tank/d"\nretention = "hasOwnProperty"\n`;
  const found = await problems(text);
  t.deepEqual(found, [`${FILE}:23: job "d".retention: no policy "hasOwnProperty" (defined: default, __proto__, constructor, toString); add [retention.hasOwnProperty]`]);
  const config: Config = await parseConfig(text.replace(/\[\[job\]\]\nname = "d"[^]*$/, ''), FILE);
  t.deepEqual(config.jobs.map((j) => [j.retentionName, j.retention]), [['__proto__', { daily: 3 }], ['constructor', { weekly: 2 }], ['toString', { keep_last: 1 }]]);
  t.is(Object.getPrototypeOf({}), Object.prototype, 'nothing was written into Object.prototype');
  t.is(({} as Record<string, unknown>).daily, undefined);
});

test('a policy that keeps nothing is a config error', async (t) => {
  const [p] = await problems('[retention.none]\ndaily = 0\n');
  t.regex(p!, /^\/etc\/zbk.toml:1: retention.none: the policy keeps nothing/);
});

test('inline retention tables are checked like named ones', async (t) => {
  const [p] = await problems('[[job]]\nname = "a"\ndataset = "t/a"\nretention = { daily = 3, dayly = 4 }\n');
  t.regex(p!, /:4: job "a"\.retention\.dayly: unknown key/);
});

test('readPolicy: the counts and keep_within it finds; a policy with a refused value gets that one problem, not "keeps nothing" too', (t) => {
  const found: Problem[] = [];
  const policy = readPolicy(new TableReader({ keep_last: 3, daily: 7n, keep_within: '2d' }, ['retention', 'x'], found, ['keep_last', 'daily', 'keep_within']));
  t.deepEqual(found, []);
  t.deepEqual(Object.keys(policy).sort(), ['daily', 'keep_last', 'keep_within']);
  t.is(policy.daily, 7);
  const bad: Problem[] = [];
  readPolicy(new TableReader({ daily: -1 }, ['retention', 'y'], bad, ['daily']));
  t.deepEqual(bad, [{ path: ['retention', 'y', 'daily'], message: 'must be between 0 and 100000, not -1' }]);
});

test('readPolicies: the built-in default unless replaced; named policies in a Map, in file order', async (t) => {
  const none: Problem[] = [];
  t.deepEqual([...readPolicies(new TableReader({}, [], none, ['retention']), none)], [['default', DEFAULT_POLICY]]);
  const config: Config = await parseConfig('[retention.default]\nkeep_last = 2\n[retention.short]\ndaily = 7\n', FILE);
  t.deepEqual([...config.policies], [['default', { keep_last: 2 }], ['short', { daily: 7 }]]);
  t.deepEqual(await problems('retention = 3\n'), [`${FILE}:1: retention: must be a table of named policies, e.g. [retention.default]`]);
  t.deepEqual(await problems('[retention]\nshort = 7\n'), [`${FILE}:2: retention.short: must be a table ([retention.NAME] with keep_last, daily, …)`]);
  await refused(t, job('retention = { daily = 0 }'), 'job "a".retention', /the policy keeps nothing/);
});
