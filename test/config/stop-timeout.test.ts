/** stop_timeout against what rc.d waits for zbk daemon to stop. */
import test from 'ava';
import fc from 'fast-check';
import { MAX_STOP_TIMEOUT_S, RC_STOP_WAIT_S, STOP_GRACE_S, stopTimeoutProblems } from '../../src/config/stop-timeout.js';
import { parseDuration, type Duration } from '../../src/util/duration.js';

const d = (text: string) => parseDuration(text) as Duration;

test('the default 60s fits what rc.d waits, with the time a pull needs to stop after it', (t) => {
  t.deepEqual(stopTimeoutProblems(d('60s')), []);
  t.is(MAX_STOP_TIMEOUT_S + STOP_GRACE_S, RC_STOP_WAIT_S);
  t.true(RC_STOP_WAIT_S < 90, "below rc.shutdown(8)'s default rcshutdown_timeout of 90 s");
});

test('up to the limit fits; a second more, minutes, days or months do not', (t) => {
  t.deepEqual(stopTimeoutProblems(d(`${MAX_STOP_TIMEOUT_S}s`)), []);
  t.deepEqual(stopTimeoutProblems(d('1min5s')), []);
  for (const text of [`${MAX_STOP_TIMEOUT_S + 1}s`, '2min', '10min', '1d', '1m', '1y']) {
    const problems = stopTimeoutProblems(d(text));
    t.is(problems.length, 1, text);
    t.is(
      problems[0],
      `"${text}" is longer than 65s: the rc.d service waits 80 s for zbk daemon to stop, and stopping a pull after stop_timeout takes up to 15 s more`,
    );
  }
});

test('a stop_timeout is refused exactly when it is longer than the limit', (t) => {
  fc.assert(
    fc.property(fc.nat({ max: 100_000 }), (seconds) => {
      const refused = stopTimeoutProblems(d(`${seconds}s`)).length > 0;
      return refused === seconds > MAX_STOP_TIMEOUT_S;
    }),
  );
  t.pass();
});
