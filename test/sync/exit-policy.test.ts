import test from 'ava';
import { classifyRsyncExit, interrupted } from '../../src/sync/exit-policy.js';
import { fixture } from '../helpers/fixtures.js';

const stderr = (name: string): string => fixture(`rsync/${name}.stderr`);
const VANISHED_23 = [
  'file has vanished: "/var/spool/postfix/active/4F2A1"',
  'directory has vanished: "/tmp/build-123"',
  'rsync error: some files/attrs were not transferred (see previous errors) (code 23) at main.c(1338) [generator=3.2.7]',
].join('\n');

test('0 is ok', (t) => {
  t.deepEqual(classifyRsyncExit(0, null, ''), { outcome: 'ok', message: 'rsync completed' });
});

test('24 with only vanished files is a warning that names them', (t) => {
  const verdict = classifyRsyncExit(24, null, stderr('vanished'));
  t.is(verdict.outcome, 'warning');
  t.regex(verdict.message, /^rsync completed with code 24 \(partial transfer due to vanished source files\): file has vanished: "\/tmp\/.*\/b-small"$/);
});

test('23 is a warning only when every complaint is about a vanished file or directory', (t) => {
  t.is(classifyRsyncExit(23, null, VANISHED_23).outcome, 'warning');
  t.is(classifyRsyncExit(23, null, `${VANISHED_23}\nrsync: [receiver] write failed on "/tank/backup/x": No space left on device (28)`).outcome, 'failed');
  t.is(classifyRsyncExit(23, null, 'rsync error: some files/attrs were not transferred (see previous errors) (code 23) at main.c(1338) [generator=3.2.7]').outcome, 'failed', 'nothing said vanished');
});

test('a vanished file beside a real error is a failure, though rsync exits 24', (t) => {
  const verdict = classifyRsyncExit(24, null, stderr('vanished-and-missing'));
  t.is(verdict.outcome, 'failed');
  t.regex(verdict.message, /^rsync failed with code 24 \(.*\): rsync: \[sender\] link_stat "\/nope" failed: No such file or directory \(2\); file has vanished: /);
});

test('failures quote rsync\'s last complaints, without its closing line', (t) => {
  t.deepEqual(classifyRsyncExit(23, null, stderr('missing-source')), {
    outcome: 'failed',
    message: 'rsync failed with code 23 (partial transfer due to error): rsync: [sender] change_dir "/nope" failed: No such file or directory (2)',
  });
  t.is(
    classifyRsyncExit(255, null, stderr('ssh-refused')).message,
    'rsync failed with code 255 (unexplained error): ssh: connect to host 127.0.0.1 port 1: Connection refused; rsync: connection unexpectedly closed (0 bytes received so far) [Receiver]',
  );
  t.is(
    classifyRsyncExit(10, null, stderr('daemon-refused')).message,
    'rsync failed with code 10 (error in socket I/O): rsync: [Receiver] failed to connect to 127.0.0.1 (127.0.0.1): Connection refused (111)',
  );
  t.is(classifyRsyncExit(5, null, stderr('daemon-auth-failed')).message, 'rsync failed with code 5 (error starting client-server protocol): @ERROR: auth failed on module backup');
  t.is(classifyRsyncExit(1, null, stderr('block-size-too-large')).message, 'rsync failed with code 1 (syntax or usage error): rsync: --block-size=200000 is too large (max: 128.00K)');
  t.is(classifyRsyncExit(20, null, stderr('sigterm')).message, 'rsync failed with code 20 (received SIGINT, SIGTERM, or SIGHUP)');
});

test('only the last three complaints are quoted', (t) => {
  const lines = ['one', 'two', 'three', 'four'].map((n) => `rsync: [sender] send_files failed to open "/${n}": Permission denied (13)`);
  const { message } = classifyRsyncExit(23, null, lines.join('\n'));
  t.false(message.includes('/one'));
  t.true(message.endsWith('"/four": Permission denied (13)'));
});

test('codes outside the table, and silent failures, still say their code', (t) => {
  t.deepEqual(classifyRsyncExit(99, null, ''), { outcome: 'failed', message: 'rsync failed with code 99 (unknown code)' });
  t.is(classifyRsyncExit(12, null, '').message, 'rsync failed with code 12 (error in rsync protocol data stream)');
});

test('a signal is an interrupted failure', (t) => {
  t.deepEqual(classifyRsyncExit(null, 'SIGKILL', ''), { outcome: 'failed', message: 'rsync was interrupted: killed by SIGKILL' });
  t.deepEqual(interrupted('timed out after 6:00:00'), { outcome: 'failed', message: 'rsync was interrupted: timed out after 6:00:00' });
});
