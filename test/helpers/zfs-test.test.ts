import test from 'ava';
import { ATTEMPTS, retriedOnWedge } from './zfs-test.js';

/** A body that fails its first `failures` attempts, each after a wedge where `wedge` says so. */
function flaky(failures: number, wedge: boolean) {
  const seen = { attempts: 0, wedges: 0 };
  const body = retriedOnWedge(async (t) => {
    seen.attempts++;
    if (seen.attempts <= failures) {
      if (wedge) seen.wedges++;
      throw new Error(`attempt ${seen.attempts} failed`);
    }
    t.pass();
  }, () => seen.wedges);
  return { seen, body };
}

const passing = flaky(0, false);
test.serial('a passing test runs once', passing.body);
test.serial('… and only once', (t) => t.is(passing.seen.attempts, 1));

const wedgedOnce = flaky(1, true);
test.serial('a test whose attempt failed on a wedge runs again, and its second attempt counts', wedgedOnce.body);
test.serial('… twice', (t) => t.is(wedgedOnce.seen.attempts, 2));

test.serial('a test that fails without a wedge fails at once, after one attempt', async (t) => {
  const failing = flaky(1, false);
  const outcome = await t.try(failing.body);
  outcome.discard();
  t.false(outcome.passed);
  t.is(failing.seen.attempts, 1);
});

test.serial(`a test that wedges every time fails, after ${ATTEMPTS} attempts`, async (t) => {
  const wedgedAlways = flaky(9, true);
  const outcome = await t.try(wedgedAlways.body);
  outcome.discard();
  t.false(outcome.passed);
  t.is(wedgedAlways.seen.attempts, ATTEMPTS);
});
