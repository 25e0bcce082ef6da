import test from 'ava';
import { DEFAULT_POLICY, validatePolicy } from '../../src/retention/policy.js';
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

test('counts are whole numbers of 0 or more, each problem named by its key', (t) => {
  t.deepEqual(validatePolicy({ keep_last: -1, daily: 1.5, weekly: Number.NaN, monthly: Infinity, yearly: 2 }), [
    'keep_last must be a whole number of 0 or more, not -1',
    'daily must be a whole number of 0 or more, not 1.5',
    'weekly must be a whole number of 0 or more, not NaN',
    'monthly must be a whole number of 0 or more, not Infinity',
  ]);
  t.deepEqual(validatePolicy({ hourly: -24 }), ['hourly must be a whole number of 0 or more, not -24']);
});

test('a policy that keeps nothing is an error', (t) => {
  const nothing = ['the policy keeps nothing: set keep_last, keep_within or one of hourly, daily, weekly, monthly, yearly above 0'];
  t.deepEqual(validatePolicy({}), nothing);
  t.deepEqual(validatePolicy({ keep_last: 0, hourly: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0 }), nothing);
  t.deepEqual(validatePolicy({ daily: 0, keep_within: duration('0d') }), nothing);
});
