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

test('zfs receive\'s refusals, on both dialects, get kinds of their own (zfs breaks them over two lines)', (t) => {
  for (const dialect of ['openzfs', 'legacy']) {
    t.is(classifyStderr(fixture(`zfs/${dialect}-receive-modified.stderr`)), 'destination-modified', dialect);
    t.is(classifyStderr(fixture(`zfs/${dialect}-receive-no-incremental-source.stderr`)), 'no-incremental-source', dialect);
    t.is(classifyStderr(fixture(`zfs/${dialect}-receive-exists.stderr`)), 'destination-exists', dialect);
  }
  t.is(classifyStderr(fixture('zfs/openzfs-receive-has-snapshots.stderr')), 'destination-exists');
  t.is(classifyStderr(fixture('zfs/openzfs-receive-missing-destination.stderr')), 'no-incremental-source');
  const e = errorFromFailure(['zfs', 'receive', '-u', 'vault/zbk/web'], fixture('zfs/openzfs-receive-modified.stderr'));
  t.is(e.message, 'zfs receive -u vault/zbk/web: cannot receive incremental stream: destination vault/zbk/web has been modified');
});

test('a usage complaint after the options were read is a missing argument, not an unsupported option', (t) => {
  t.is(classifyStderr(fixture('zfs/openzfs-receive-usage.stderr')), 'missing-argument');
  t.is(classifyStderr(fixture('zfs/legacy-probe-receive-u.stderr')), 'missing-argument', 'zfs-fuse takes -u too');
  t.is(classifyStderr(fixture('zfs/legacy-probe-holds.stdout')), 'unsupported', 'zfs-fuse without its Python helper');
  t.is(classifyStderr(fixture('zfs/legacy-probe-send-estimate.stderr')), 'unsupported');
  t.is(classifyStderr(fixture('zfs/legacy-probe-resume-token.stderr')), 'unsupported');
  t.is(classifyStderr(fixture('zfs/legacy-probe-bookmark.stderr')), 'unsupported');
});
