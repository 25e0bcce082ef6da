import test from 'ava';
import { bedForFile } from './bed.js';

let wedges = 0;
const builds = { wedged: 0, broken: 0 };
const torn: string[] = [];

// Its first build runs into a wedged zfs-fuse; its second is fine.
const wedgedOnce = bedForFile(async (t) => {
  const n = ++builds.wedged;
  t.teardown(() => void torn.push(`wedged ${n}`));
  if (n === 1) {
    wedges++;
    throw new Error('zbk init: still running after 120 s, killed: zfs-fuse was wedged');
  }
  return n;
}, () => wedges);

// Its build fails on its own (no wedge).
const broken = bedForFile(async (t) => {
  builds.broken++;
  t.teardown(() => void torn.push('broken'));
  throw new Error('zbk run night 3: exit 2');
}, () => wedges);

test.serial('a build that ran into a wedged zfs-fuse is built again for the test that asks next, once', async (t) => {
  t.is(await wedgedOnce(), 2);
  t.is(await wedgedOnce(), 2);
  t.is(builds.wedged, 2);
});

test.serial('a build that failed on its own fails every test that asks, and is not built again', async (t) => {
  await t.throwsAsync(broken(), { message: 'zbk run night 3: exit 2' });
  await t.throwsAsync(broken(), { message: 'zbk run night 3: exit 2' });
  t.is(builds.broken, 1);
});

// Registered after the beds' own, serial as theirs: runs after their teardowns.
test.serial.after.always('what every build made is torn down after all the tests, the failed builds\' too, newest first', (t) => {
  t.deepEqual(torn, ['wedged 2', 'wedged 1', 'broken']);
});
