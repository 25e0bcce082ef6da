/**
 * What the config refuses (issue #9) in the tables validateConfig reads itself ([zbk], [scrub],
 * [alert]) and across all of them: bounds of every duration and count, control characters in
 * every string. Each refusal names file, line and key. The tables of their own modules are
 * tested beside them: job.test.ts, policy.test.ts, values.test.ts, reader.test.ts.
 */
import test from 'ava';
import { job, problems, refused } from '../helpers/config.js';

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
