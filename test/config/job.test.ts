/** [[job]] tables: transports and their options, paths, excludes, rsync_args, datasets that would overlap, names. */
import test from 'ava';
import { FILE, job, problems, refused } from '../helpers/config.js';

test('options of another transport are errors, not silently ignored', async (t) => {
  const cases: [string, string, RegExp][] = [
    [job('password_file = "/etc/zbk/a.secret"'), 'job "a".password_file', /is for an rsync:\/\/ source only; on an ssh source \(host:\/path\) it would be ignored/],
    [job('password_file = "/etc/zbk/a.secret"', 'source = "/srv/"'), 'job "a".password_file', /on a local source it would be ignored/],
    [job('ssh_key = "/root/.ssh/k"', 'source = "rsync://nas/m/"'), 'job "a".ssh_key', /is for an ssh source \(host:\/path\) only; on an rsync:\/\/ source/],
    [job('ssh_port = 2222', 'source = "rsync://nas/m/"'), 'job "a".ssh_port', /takes its port in the URL: rsync:\/\/host:PORT\/module\//],
    [job('known_hosts = "/root/.ssh/known_hosts"', 'source = "/srv/"'), 'job "a".known_hosts', /on a local source/],
    [job('ssh_key = "/root/.ssh/k"', ''), 'job "a".ssh_key', /on a job without a source it would be ignored/],
    [job('exclude = ["/tmp/"]', ''), 'job "a".exclude', /a job without a source pulls nothing/],
    [job('rsync_args = ["-v"]', ''), 'job "a".rsync_args', /a job without a source pulls nothing/],
  ];
  for (const [text, key, why] of cases) await refused(t, text, key, why);
  t.deepEqual(await problems(job('password_file = "/etc/zbk/a.secret"', 'source = "rsync://zbk@nas:8873/m/"')), []);
  t.deepEqual(await problems(job('ssh_key = "/root/.ssh/k"\nssh_port = 2222\nknown_hosts = "/root/.ssh/known hosts"')), [], 'a known_hosts path with a space is fine');
});

test('key, known_hosts and password paths are absolute, and free of what ssh would expand or unquote', async (t) => {
  const cases: [string, string, RegExp][] = [
    [job('ssh_key = "id_ed25519"'), 'job "a".ssh_key', /is not an absolute path/],
    [job('known_hosts = "~/.ssh/known_hosts"'), 'job "a".known_hosts', /is not an absolute path/],
    [job('password_file = "a.secret"', 'source = "rsync://nas/m/"'), 'job "a".password_file', /is not an absolute path/],
    [job('known_hosts = "/root/\\"k\\""'), 'job "a".known_hosts', /holds ", \\, % or \$/],
    [job('known_hosts = "/root/%h"'), 'job "a".known_hosts', /%/],
    [job('ssh_key = "/root/${HOME}/k"'), 'job "a".ssh_key', /\$/],
    [job('ssh_key = "/root/a\\\\ b"'), 'job "a".ssh_key', /\\/],
  ];
  for (const [text, key, why] of cases) await refused(t, text, key, why);
});

test('excludes that rsync reads as filter rules are refused; patterns stay patterns', async (t) => {
  const cases: [string, RegExp][] = [
    ['!', /"!" would clear every exclude before it/],
    ['+ /keep', /"\+ \/keep" would be rsync's include rule for "\/keep"/],
    ['- /x', /"- \/x" would be rsync's exclude rule for "\/x"/],
    ['', /an empty pattern excludes nothing/],
  ];
  for (const [pattern, why] of cases) await refused(t, job(`exclude = ["/proc/", ${JSON.stringify(pattern)}]`), 'job "a".exclude', why);
  t.deepEqual(await problems(job('exclude = ["/proc/", "*.tmp", "**/cache/", "!x", "-x", "[+] name", "/a b/"]')), []);
});

test('rsync_args that would defeat zbk are refused, naming the argument', async (t) => {
  await refused(t, job('rsync_args = ["--bwlimit", "1000"]'), 'job "a".rsync_args', /"1000" is not an option: it would be one more source/);
  await refused(t, job('rsync_args = ["/etc/"]'), 'job "a".rsync_args', /"\/etc\/" is not an option/);
  await refused(t, job('rsync_args = ["--remove-source-files"]'), 'job "a".rsync_args', /deletes files on the host/);
  await refused(t, job('rsync_args = ["-e", "ssh"]', 'source = "/srv/"').replace('"-e", ', '"-essh", ').replace(', "ssh"', ''), 'job "a".rsync_args', /replaces zbk's ssh command/);
  t.deepEqual(await problems(job('rsync_args = ["-AX", "--bwlimit=1000", "--delete-excluded"]')), []);
});

test('a job dataset inside another job\'s dataset is refused, naming both jobs', async (t) => {
  const text = '[[job]]\nname = "outer"\ndataset = "tank/backup"\n\n[[job]]\nname = "inner"\ndataset = "tank/backup/web"\n\n[[job]]\nname = "beside"\ndataset = "tank/backupx"\n';
  t.deepEqual(await problems(text), [
    `${FILE}:7: job "inner".dataset: tank/backup/web of job "inner" is inside tank/backup of job "outer", whose pull (rsync --delete) would delete its files: give each job a dataset of its own, beside the others (e.g. tank/backup/NAME)`,
  ]);
  const reversed = '[[job]]\nname = "inner"\ndataset = "tank/b/c/d"\n\n[[job]]\nname = "outer"\ndataset = "tank/b"\n';
  t.regex((await problems(reversed))[0]!, /job "inner"\.dataset: tank\/b\/c\/d of job "inner" is inside tank\/b of job "outer"/);
});

test('job names never start like an option or a hidden file', async (t) => {
  for (const name of ['-x', '--all', '.x', '..', '_x', 'a'.repeat(101)]) {
    await refused(t, `[[job]]\nname = ${JSON.stringify(name)}\ndataset = "tank/a"\n`, 'job[0].name', /may hold only a-z, 0-9/);
  }
  t.deepEqual(await problems('[[job]]\nname = "0.web_1-a"\ndataset = "tank/a"\n'), []);
});

test('datasets: no "." or ".." component, no longer than ZFS allows', async (t) => {
  const at = (dataset: string) => `[[job]]\nname = "a"\ndataset = ${JSON.stringify(dataset)}\n`;
  await refused(t, at('tank/../etc'), 'job "a".dataset', /"tank\/\.\.\/etc" is not a dataset name: a "\.\." component/);
  await refused(t, at('tank/./a'), 'job "a".dataset', /"tank\/\.\/a" is not a dataset name: a "\." component/);
  await refused(t, at('tank/..'), 'job "a".dataset', /component/);
  await refused(t, at(`tank/${'a'.repeat(300)}`), 'job "a".dataset', /longer than ZFS allows/);
  t.deepEqual(await problems(at('tank/backup/a..b')), []);
});
