/**
 * A test bed for all the tests of one file: built before them (as they start to wait for it),
 * torn down after them all, also when one failed. A build that ran into a wedged zfs-fuse
 * (deadline.ts) is built again for the test that asks next, which is that test's second attempt
 * (zfs-test.ts): the first build's failure would otherwise fail it again, and every test after it.
 */
import test, { type ExecutionContext } from 'ava';
import { wedgesSoFar } from './deadline.js';

/** What a build tears down is given to this, as to a test's `t`. */
export type Teardowns = Pick<ExecutionContext, 'teardown'>;

export function bedForFile<T>(build: (t: Teardowns) => Promise<T>, wedges: () => number = wedgesSoFar): () => Promise<T> {
  const teardowns: Array<() => unknown> = [];
  const t: Teardowns = { teardown: (f) => void teardowns.push(f) };
  let bed: Promise<T> | undefined;
  let wedgesAtBuild = 0;
  const start = (): Promise<T> => {
    wedgesAtBuild = wedges();
    bed = build(t);
    bed.catch(() => undefined); // a failure is every test's that asks; none may have asked yet
    return bed;
  };
  test.before(() => {
    start();
  });
  test.serial.after.always(async () => {
    await bed?.catch(() => undefined);
    for (const f of teardowns.reverse()) await f();
  });
  return async () => {
    try {
      return await bed!;
    } catch (e) {
      if (wedges() === wedgesAtBuild) throw e;
      return start();
    }
  };
}
