/**
 * ava's `test` for the integration tests: a test whose attempt failed because zfs-fuse wedged
 * under it (test/helpers/deadline.ts: a command past its deadline, a process stuck on a FUSE
 * request or a daemon that does not answer, and zfs-fuse restarted) runs once more, from the
 * start, with what it made torn down. zfs-fuse's deadlocks are the test bed's, not zbk's: FreeBSD's
 * ZFS has no daemon to wedge. Only a wedge earns the second attempt (a test that fails on its own
 * fails at once) and the test's log says it was retried, and why. A second wedge fails the test.
 */
import avaTest, { type ExecutionContext } from 'ava';
import { wedgesSoFar } from './deadline.js';

type Body = (t: ExecutionContext) => unknown;

export const ATTEMPTS = 2;

/**
 * `body` as a test implementation that runs it again when `wedges()` rose during a failed
 * attempt. `say`: where the retry is also told, beside the test's log (CI's log: stderr).
 */
export function retriedOnWedge(body: Body, wedges: () => number = wedgesSoFar, say = (line: string) => console.error(line)): (t: ExecutionContext) => Promise<void> {
  return async (t) => {
    for (let attempt = 1; ; attempt++) {
      const before = wedges();
      const tried = await t.try(async (tt) => {
        await body(tt);
      });
      if (tried.passed || wedges() === before || attempt === ATTEMPTS) {
        tried.commit();
        return;
      }
      const said = tried.errors.map((e) => (e.cause instanceof Error ? e.cause : e).message.split('\n')[0]).join('; ');
      t.log(`attempt ${attempt} ran into a wedged zfs-fuse (${said}); zfs-fuse was restarted, trying again`);
      say(`zfs-test: "${t.title}": zfs-fuse wedged in attempt ${attempt}, restarted; the test runs again`);
      tried.discard();
    }
  };
}

/** `test(title, body)`: one test, run alone (make integration runs them --serial). */
function test(title: string, body: Body): void {
  avaTest.serial(title, retriedOnWedge(body));
}
test.serial = test;
test.before = avaTest.before;
test.after = avaTest.after;

export default test;
