/** One rule for password_file, for run, configtest and check alike. */
import test from 'ava';
import { passwordFileRefusal } from '../../src/sync/password-file.js';

const file = (mode: number, uid = 0) => ({ isFile: true, isDirectory: false, mode: 0o100000 | mode, uid });

test('only its owner may read or write it: 0600 and 0400 pass', (t) => {
  t.is(passwordFileRefusal('/p', file(0o600), 0), null);
  t.is(passwordFileRefusal('/p', file(0o400), 0), null);
  t.is(passwordFileRefusal('/p', file(0o604), 0), 'password_file /p is readable by others, and rsync refuses it: run `chmod 600 /p` (mode 0604)');
  t.is(passwordFileRefusal('/p', file(0o602), 0), 'password_file /p is writable by others, and rsync refuses it: run `chmod 600 /p` (mode 0602)');
  t.is(passwordFileRefusal('/p', file(0o606), 0), 'password_file /p is readable by others, and rsync refuses it: run `chmod 600 /p` (mode 0606)');
  t.is(passwordFileRefusal('/p', file(0o601), 0), 'password_file /p is executable by others (mode 0601): run `chmod 600 /p`');
  t.is(passwordFileRefusal('/p', file(0o640), 0), 'password_file /p is readable by its group (mode 0640): run `chmod 600 /p`');
  t.is(passwordFileRefusal('/p', file(0o620), 0), 'password_file /p is writable by its group (mode 0620): run `chmod 600 /p`');
  t.is(passwordFileRefusal('/p', file(0o610), 0), 'password_file /p is executable by its group (mode 0610): run `chmod 600 /p`');
});

test('owned by root when zbk runs as root; else by root or zbk\'s user', (t) => {
  t.is(passwordFileRefusal('/p', file(0o600, 1000), 0), 'password_file /p must be owned by root, as zbk runs as root (rsync refuses it): run `chown root /p`');
  t.is(passwordFileRefusal('/p', file(0o600, 1000), 1000), null);
  t.is(passwordFileRefusal('/p', file(0o600, 0), 1000), null);
  t.is(passwordFileRefusal('/p', file(0o600, 2000), 1000), 'password_file /p is owned by uid 2000, neither root nor zbk\'s user (uid 1000): run `chown 1000 /p`');
});

test('missing, or not a regular file; a path with a space is quoted in the fix', (t) => {
  t.is(passwordFileRefusal('/a b', null, 0), 'password_file /a b does not exist: write the module\'s password into it, and `chmod 600 \'/a b\'`');
  t.is(passwordFileRefusal('/p', { isFile: false, isDirectory: true, mode: 0o40700, uid: 0 }, 0), 'password_file /p is not a regular file');
});
