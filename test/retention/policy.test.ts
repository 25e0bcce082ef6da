import test from 'ava';
import { DEFAULT_POLICY, keepsByAgeOnly, validatePolicy } from '../../src/retention/policy.js';
import { parseDuration, type Duration } from '../../src/util/duration.js';

const duration = (text: string) => parseDuration(text) as Duration;

test('the built-in default keeps 15 days, 8 weeks, 12 months and 3 years', (t) => {
  t.deepEqual(DEFAULT_POLICY, { daily: 15, weekly: 8, monthly: 12, yearly: 3 });
  t.deepEqual(validatePolicy(DEFAULT_POLICY), []);
  t.true(Object.isFrozen(DEFAULT_POLICY));
});

test('a policy with any one rule that keeps something is fine', (t) => {
  for (const policy of [{ keep_last: 1 }, { keep_within: duration('2d') }, { hourly: 24 }, { yearly: 1, daily: 0 }]) {
    t.deepEqual(validatePolicy(policy), [], JSON.stringify(policy));
  }
});

test('counts are whole numbers from 0 to 100000, each problem named by its key', (t) => {
  t.deepEqual(validatePolicy({ keep_last: -1, daily: 1.5, weekly: Number.NaN, monthly: Infinity, yearly: 2 }), [
    'keep_last must be a whole number from 0 to 100000, not -1',
    'daily must be a whole number from 0 to 100000, not 1.5',
    'weekly must be a whole number from 0 to 100000, not NaN',
    'monthly must be a whole number from 0 to 100000, not Infinity',
  ]);
  t.deepEqual(validatePolicy({ hourly: -24 }), ['hourly must be a whole number from 0 to 100000, not -24']);
  t.deepEqual(validatePolicy({ yearly: 100_001, daily: 2 ** 53 }), [
    'daily must be a whole number from 0 to 100000, not 9007199254740992',
    'yearly must be a whole number from 0 to 100000, not 100001',
  ]);
  t.deepEqual(validatePolicy({ keep_last: 100_000 }), []);
});

test('a keep_within zbk cannot compute is an error, not a rule that keeps nothing', (t) => {
  const huge = { text: '1000000y', years: 1_000_000, months: 0, days: 0, seconds: 0 };
  t.deepEqual(validatePolicy({ keep_within: huge }), ['keep_within 1000000y cannot be computed (whole amounts up to 1000y)']);
  for (const bad of [Number.NaN, Infinity, -1, 0.5]) {
    t.is(validatePolicy({ keep_within: { text: 'x', years: 0, months: 0, days: bad, seconds: 0 } }).length, 1, String(bad));
  }
  t.deepEqual(validatePolicy({ keep_within: duration('1000y') }), []);
});

test('keepsByAgeOnly: a policy of keep_within and nothing else (counts of 0 are nothing)', (t) => {
  t.true(keepsByAgeOnly({ keep_within: duration('30d') }));
  t.true(keepsByAgeOnly({ keep_within: duration('30d'), daily: 0 }));
  t.false(keepsByAgeOnly({ keep_within: duration('30d'), keep_last: 1 }));
  t.false(keepsByAgeOnly({ daily: 7 }));
});

test('a policy that keeps nothing is an error', (t) => {
  const nothing = ['the policy keeps nothing: set keep_last, keep_within or one of hourly, daily, weekly, monthly, yearly above 0'];
  t.deepEqual(validatePolicy({}), nothing);
  t.deepEqual(validatePolicy({ keep_last: 0, hourly: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0 }), nothing);
  t.deepEqual(validatePolicy({ daily: 0, keep_within: duration('0d') }), nothing);
});
