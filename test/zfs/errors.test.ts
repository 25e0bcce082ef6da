import test from 'ava';
import { classifyStderr, errorFromFailure, firstComplaint } from '../../src/zfs/errors.js';
import { fixture } from '../helpers/fixtures.js';

test('zfs-fuse and OpenZFS complaints map onto error kinds', (t) => {
  t.is(classifyStderr("cannot open 'tank/nope': dataset does not exist"), 'no-such-dataset');
  t.is(classifyStderr("cannot open 'nope': no such pool"), 'no-such-pool');
  t.is(classifyStderr("cannot destroy 'tank/a@s': permission denied"), 'permission-denied');
  t.is(classifyStderr("cannot destroy 'tank/a@s': dataset is busy"), 'busy');
  t.is(classifyStderr("cannot create snapshot 'tank/a@s': dataset already exists"), 'exists');
  t.is(classifyStderr(fixture('zfs/legacy-destroy-comma.txt')), 'unsupported');
  t.is(classifyStderr(fixture('zfs/legacy-snapshot-multi.txt')), 'unsupported');
  t.is(classifyStderr("invalid option 'p'\nusage:\n\tlist [-rH]"), 'unsupported');
  t.is(
    classifyStderr('connect: No such file or directory\nPlease make sure that the zfs-fuse daemon is running.\ninternal error: failed to initialize ZFS library'),
    'daemon-not-running',
  );
  t.is(classifyStderr('something else entirely'), 'failed');
});

test('the message names the command and zfs\'s own words, without the usage text', (t) => {
  t.is(firstComplaint('\ntoo many arguments\nusage:\n\tsnapshot ...'), 'too many arguments');
  const e = errorFromFailure(['zfs', 'destroy', 'tank/a@s'], "cannot destroy 'tank/a@s': permission denied\n");
  t.is(e.kind, 'permission-denied');
  t.regex(e.message, /^zfs destroy tank\/a@s: cannot destroy 'tank\/a@s': permission denied \(run zbk as root/);
});

test('a stopped zfs-fuse daemon is named with how to start it', (t) => {
  const e = errorFromFailure(['zpool', 'list'], 'Please make sure that the zfs-fuse daemon is running.\n');
  t.is(e.kind, 'daemon-not-running');
  t.regex(e.message, /start it with `zfs-fuse`/);
});
