/**
 * What the config refuses (issue #9): values zbk cannot compute, values rsync or ssh would
 * read as something else, jobs that would destroy each other's files, names that would be
 * options or prototype keys. Each refusal names file, line and key.
 */
import test from 'ava';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/problems.js';
import type { Config } from '../../src/config/types.js';

const FILE = '/etc/zbk.toml';

async function problems(text: string): Promise<string[]> {
  try {
    await parseConfig(text, FILE);
  } catch (e) {
    if (e instanceof ConfigError) return e.message.split('\n');
    throw e;
  }
  return [];
}

const job = (lines: string, source = 'source = "vds:/"') => `[[job]]\nname = "a"\ndataset = "tank/a"\n${source}\n${lines}\n`;

/** Exactly one problem, for `key`, matching `why`. */
async function refused(t: import('ava').ExecutionContext, text: string, key: string, why: RegExp): Promise<void> {
  const found = await problems(text);
  t.is(found.length, 1, `${text}\n→ ${found.join('\n')}`);
  t.true(found[0]?.startsWith(`${FILE}:`) && found[0].includes(` ${key}: `), `${found[0]} names ${key}`);
  t.regex(found[0] ?? '', why, text);
}

test('every duration key has bounds: zero where it means nothing, more than a timer or a Date holds', async (t) => {
  const cases: [string, string, RegExp][] = [
    ['[zbk]\nstop_timeout = "0s"', 'zbk.stop_timeout', /"0s" is zero/],
    ['[zbk]\nstop_timeout = "25d"', 'zbk.stop_timeout', /at most 24d/],
    ['[zbk]\nstop_timeout = "66s"', 'zbk.stop_timeout', /longer than 65s: the rc.d service waits 80 s/],
    [job('timeout = "0s"'), 'job "a".timeout', /"0s" is zero/],
    [job('timeout = "0h 0min"'), 'job "a".timeout', /is zero/],
    [job('timeout = "30d"'), 'job "a".timeout', /"30d" is too long: at most 24d/],
    [job('timeout = "99999999999999999999s"'), 'job "a".timeout', /too long/],
    [job('hook_timeout = "0s"'), 'job "a".hook_timeout', /is zero/],
    [job('hook_timeout = "25d"'), 'job "a".hook_timeout', /at most 24d/],
    [job('stale_after = "0d"'), 'job "a".stale_after', /is zero/],
    [job('stale_after = "1000000y"'), 'job "a".stale_after', /at most 1000y/],
    ['[retention.x]\nkeep_within = "1000000y"', 'retention.x.keep_within', /"1000000y" is too long: at most 1000y/],
    ['[retention.x]\nkeep_within = "0d"\ndaily = 3', 'retention.x.keep_within', /is zero/],
    [job('retention = { keep_within = "100000000000000000000d" }'), 'job "a".retention.keep_within', /too long/],
    ['[scrub]\nmax_age = "0d"', 'scrub.max_age', /is zero/],
    ['[scrub]\nmax_age = "1001y"', 'scrub.max_age', /at most 1000y/],
  ];
  for (const [text, key, why] of cases) await refused(t, text, key, why);
  t.deepEqual(await problems(`[zbk]\nstop_timeout = "65s"\n[retention.x]\nkeep_within = "1000y"\n${job('timeout = "24d"\nhook_timeout = "10min"\nstale_after = "1000y"')}`), []);
});

test('a keep_within of 1000000y alone is a config error, not a policy that keeps one snapshot', async (t) => {
  const found = await problems('[retention.forever]\nkeep_within = "1000000y"\n');
  t.true(found.some((p) => /retention\.forever\.keep_within: "1000000y" is too long/.test(p)), found.join('\n'));
});

test('every count has bounds', async (t) => {
  const cases: [string, string, RegExp][] = [
    ['[retention.x]\nkeep_last = 100001', 'retention.x.keep_last', /between 0 and 100000, not 100001/],
    ['[retention.x]\ndaily = -1', 'retention.x.daily', /between 0 and 100000, not -1/],
    ['[retention.x]\nhourly = 1e300\ndaily = 1', 'retention.x.hourly', /between 0 and 100000/],
    ['[retention.x]\nweekly = inf\ndaily = 1', 'retention.x.weekly', /must be a whole number, not a number \(null\)/],
    ['[retention.x]\nmonthly = nan\ndaily = 1', 'retention.x.monthly', /must be a whole number/],
    ['[retention.x]\nyearly = 1.5\ndaily = 1', 'retention.x.yearly', /must be a whole number/],
    ['[zbk]\ndestroy_batch = 0', 'zbk.destroy_batch', /between 1 and 10000/],
    ['[zbk]\ndestroy_batch = 10001', 'zbk.destroy_batch', /between 1 and 10000/],
    [job('ssh_port = 0'), 'job "a".ssh_port', /between 1 and 65535/],
    [job('ssh_port = 65536'), 'job "a".ssh_port', /between 1 and 65535/],
    ['[scrub]\ncapacity_warn = 0', 'scrub.capacity_warn', /between 1 and 100/],
    ['[scrub]\ncapacity_crit = 101', 'scrub.capacity_crit', /between 1 and 100/],
  ];
  for (const [text, key, why] of cases) await refused(t, text, key, why);
  const [big] = await problems('[retention.x]\ndaily = 9007199254740993\n');
  t.regex(big!, /^\/etc\/zbk.toml:2:9: TOML syntax: .*losslessly/, 'an integer a Number cannot hold is refused by the TOML reader, with its line');
});

test('NUL and control characters are refused in every string', async (t) => {
  const cases: [string, string][] = [
    ['[zbk]\nsnapshot_prefix = "zbk\\u0000"', 'zbk.snapshot_prefix'],
    ['[zbk]\nstate_dir = "/var/db/zbk\\n"', 'zbk.state_dir'],
    ['[zbk]\nzfs = "/sbin/zfs\\t"', 'zbk.zfs'],
    ['[zbk]\ntimezone = "UTC\\u001b"', 'zbk.timezone'],
    [job('exclude = ["/proc/", "/a\\nb"]'), 'job "a".exclude'],
    [job('rsync_args = ["--bwlimit=1\\u0000"]'), 'job "a".rsync_args'],
    [job('', 'source = "vds:/srv\\u0000/x"'), 'job "a".source'],
    [job('ssh_key = "/root/.ssh/k\\u007f"'), 'job "a".ssh_key'],
    [job('known_hosts = "/root/.ssh/k\\u0085"'), 'job "a".known_hosts'],
    [job('pre_hook = "dump\\nreboot"'), 'job "a".pre_hook'],
    [job('post_hook = "a\\u0000b"'), 'job "a".post_hook'],
    [job('schedule = "0 3 * * *\\n"'), 'job "a".schedule'],
    ['[alert]\ncommand = "mail root\\r"', 'alert.command'],
    ['[scrub]\npools = ["tank\\u0000"]', 'scrub.pools'],
    ['[[job]]\nname = "a\\u0000"\ndataset = "tank/a"', 'job[0].name'],
    ['[[job]]\nname = "a"\ndataset = "tank/a\\n"', 'job "a".dataset'],
  ];
  for (const [text, key] of cases) await refused(t, text, key, /holds a control character/);
  const [name] = await problems('[retention."a\\u0000b"]\ndaily = 1\n');
  t.regex(name!, /retention: the policy name "a\\u0000b" holds a control character/);
});

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

test('state_dir, zfs and zpool: absolute, or a plain command name', async (t) => {
  const cases: [string, string, RegExp][] = [
    ['[zbk]\nstate_dir = ""', 'zbk.state_dir', /"" is not an absolute path/],
    ['[zbk]\nstate_dir = "var/db/zbk"', 'zbk.state_dir', /is not an absolute path/],
    ['[zbk]\nzfs = ""', 'zbk.zfs', /must be a command name \(found on PATH\) or an absolute path/],
    ['[zbk]\nzpool = ""', 'zbk.zpool', /must be a command name/],
    ['[zbk]\nzfs = "./zfs"', 'zbk.zfs', /must be a command name/],
    ['[zbk]\nzfs = "sbin/zfs"', 'zbk.zfs', /must be a command name/],
    ['[zbk]\nzfs = "-x"', 'zbk.zfs', /must be a command name/],
    ['[zbk]\nzpool = "sudo zpool"', 'zbk.zpool', /must be a command name/],
    ['[scrub]\npools = ["-x"]', 'scrub.pools', /"-x": a pool name begins with a letter/],
    ['[scrub]\npools = ["tank/fs"]', 'scrub.pools', /"tank\/fs": a pool name has only letters, digits and _ - \. : or space/],
  ];
  for (const [text, key, why] of cases) await refused(t, text, key, why);
  t.deepEqual(await problems('[zbk]\nzfs = "/usr/local/sbin/zfs"\nzpool = "zpool"\nstate_dir = "/var/db/zbk"\n[scrub]\npools = ["tank", "zroot", "my pool"]\n'), []);
});

test('datasets: no "." or ".." component, no longer than ZFS allows', async (t) => {
  const at = (dataset: string) => `[[job]]\nname = "a"\ndataset = ${JSON.stringify(dataset)}\n`;
  await refused(t, at('tank/../etc'), 'job "a".dataset', /"tank\/\.\.\/etc" is not a dataset name: a "\.\." component/);
  await refused(t, at('tank/./a'), 'job "a".dataset', /"tank\/\.\/a" is not a dataset name: a "\." component/);
  await refused(t, at('tank/..'), 'job "a".dataset', /component/);
  await refused(t, at(`tank/${'a'.repeat(300)}`), 'job "a".dataset', /longer than ZFS allows/);
  t.deepEqual(await problems(at('tank/backup/a..b')), []);
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

test('policies named __proto__, constructor or toString are policies like any other', async (t) => {
  const text = `[retention.__proto__]\ndaily = 3\n[retention.constructor]\nweekly = 2\n[retention.toString]\nkeep_last = 1\n
[[job]]\nname = "a"\ndataset = "tank/a"\nretention = "__proto__"
[[job]]\nname = "b"\ndataset = "tank/b"\nretention = "constructor"
[[job]]\nname = "c"\ndataset = "tank/c"\nretention = "toString"
[[job]]\nname = "d"\ndataset = "tank/d"\nretention = "hasOwnProperty"\n`;
  const found = await problems(text);
  t.deepEqual(found, [`${FILE}:23: job "d".retention: no policy "hasOwnProperty" (defined: default, __proto__, constructor, toString); add [retention.hasOwnProperty]`]);
  const config: Config = await parseConfig(text.replace(/\[\[job\]\]\nname = "d"[^]*$/, ''), FILE);
  t.deepEqual(config.jobs.map((j) => [j.retentionName, j.retention]), [['__proto__', { daily: 3 }], ['constructor', { weekly: 2 }], ['toString', { keep_last: 1 }]]);
  t.is(Object.getPrototypeOf({}), Object.prototype, 'nothing was written into Object.prototype');
  t.is(({} as Record<string, unknown>).daily, undefined);
});

test('keys named like Object.prototype members are unknown keys, not inherited values', async (t) => {
  await refused(t, '[[job]]\nname = "a"\ndataset = "tank/a"\nconstructor = 1\n', 'job "a".constructor', /unknown key/);
  await refused(t, '[zbk]\n__proto__ = { snapshot_prefix = "x" }\n', 'zbk.__proto__', /unknown key/);
});
