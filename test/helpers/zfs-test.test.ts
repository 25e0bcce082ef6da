import test from 'ava';
import { ATTEMPTS, retriedOnWedge } from './zfs-test.js';

/** A body that fails its first `failures` attempts, each after a wedge where `wedge` says so. */
function flaky(failures: number, wedge: boolean) {
  const seen = { attempts: 0, wedges: 0, said: [] as string[] };
  const body = retriedOnWedge(async (t) => {
    seen.attempts++;
    if (seen.attempts <= failures) {
      if (wedge) seen.wedges++;
      throw new Error(`attempt ${seen.attempts} failed`);
    }
    t.pass();
  }, () => seen.wedges, (line) => seen.said.push(line));
  return { seen, body };
}

const passing = flaky(0, false);
test.serial('a passing test runs once', passing.body);
test.serial('… and only once', (t) => t.is(passing.seen.attempts, 1));

const wedgedOnce = flaky(1, true);
test.serial('a test whose attempt failed on a wedge runs again, and its second attempt counts', wedgedOnce.body);
test.serial('… twice, and the retry is told', (t) => {
  t.is(wedgedOnce.seen.attempts, 2);
  t.deepEqual(wedgedOnce.seen.said, ['zfs-test: "a test whose attempt failed on a wedge runs again, and its second attempt counts": zfs-fuse wedged in attempt 1, restarted; the test runs again']);
});

test.serial('a test that fails without a wedge fails at once, after one attempt', async (t) => {
  const failing = flaky(1, false);
  const outcome = await t.try(failing.body);
  outcome.discard();
  t.false(outcome.passed);
  t.is(failing.seen.attempts, 1);
  t.deepEqual(failing.seen.said, []);
});

test.serial(`a test that wedges every time fails, after ${ATTEMPTS} attempts`, async (t) => {
  const wedgedAlways = flaky(9, true);
  const outcome = await t.try(wedgedAlways.body);
  outcome.discard();
  t.false(outcome.passed);
  t.is(wedgedAlways.seen.attempts, ATTEMPTS);
});
