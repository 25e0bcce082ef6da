import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { configPath, loadConfig, parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/problems.js';
import { problems as problemsOf } from '../helpers/config.js';

const FILE = '/usr/local/etc/zbk.toml';

const problems = (text: string) => problemsOf(text, false, FILE);

const contractExample = `
[zbk]
snapshot_prefix = "zbk"
timezone = "Europe/Athens"
state_dir = "/var/db/zbk"
destroy_batch = 100
zfs = "zfs"
zpool = "zpool"

[retention.default]
keep_last = 3
keep_within = "2d"
hourly = 24
daily = 14
weekly = 8
monthly = 12
yearly = 3

[[job]]
name = "usa-vds"
dataset = "tank/backup/usa-vds"
source = "root@vds.example.com:/"
schedule = "0 3 * * *"
retention = "default"
exclude = ["/proc/", "/sys/", "/dev/", "/tmp/"]
rsync_args = []
block_size = "auto"
recordsize = "16K"
ssh_key = "/root/.ssh/zbk_ed25519"
ssh_port = 22
known_hosts = "/root/.ssh/known_hosts"
# password_file = "/usr/local/etc/zbk/usa-vds.secret"   # rsync:// sources only (an error on ssh)
timeout = "6h"
pre_hook = "/usr/local/libexec/zbk-pre-dump"
post_hook = ""
hook_timeout = "10m"
stale_after = "36h"

[scrub]
pools = []
max_age = "35d"
schedule = "0 4 * * 0"
capacity_warn = 80
capacity_crit = 90

[alert]
command = "mail -s 'zbk alert' root"
`;

test('the example of CONTRACT.md loads, every key read', async (t) => {
  const c = await parseConfig(contractExample, FILE, true);
  t.is(c.timeZone, 'Europe/Athens');
  t.is(c.destroyBatch, 100);
  t.deepEqual(c.policies.get('default'), {
    keep_last: 3, hourly: 24, daily: 14, weekly: 8, monthly: 12, yearly: 3,
    keep_within: { text: '2d', years: 0, months: 0, days: 2, seconds: 0 },
  });
  const job = c.jobs[0]!;
  t.is(job.name, 'usa-vds');
  t.deepEqual(job.source, { kind: 'ssh', user: 'root', host: 'vds.example.com', path: '/' }, 'the source comes parsed');
  t.is(job.retention, c.policies.get('default')!);
  t.deepEqual(job.exclude, ['/proc/', '/sys/', '/dev/', '/tmp/']);
  t.is(job.blockSize, 'auto');
  t.is(job.recordsize, '16K');
  t.is(job.sshPort, 22);
  t.is(job.postHook, null, 'an empty hook is no hook');
  t.is(job.timeout?.seconds, 6 * 3600);
  t.is(job.hookTimeout.seconds, 600, 'in a timer, m is minutes');
  t.is(c.scrub.maxAge.days, 35);
  t.is(c.alert.command, "mail -s 'zbk alert' root");
});

test('an empty file gives CONTRACT.md\'s defaults', async (t) => {
  const c = await parseConfig('', FILE);
  t.is(c.prefix, 'zbk');
  t.is(c.stateDir, '/var/db/zbk');
  t.is(c.destroyBatch, 100);
  t.deepEqual(c.policies.get('default'), { daily: 15, weekly: 8, monthly: 12, yearly: 3 });
  t.deepEqual(c.jobs, []);
  t.is(c.scrub.capacityWarn, 80);
  t.is(c.alert.command, null);
});

test('an unknown key names file, line and key', async (t) => {
  t.deepEqual(await problems('[zbk]\nsnapshot_prefix = "zbk"\nsnapshot_prefx = "x"\n'), [
    `${FILE}:3: zbk.snapshot_prefx: unknown key (known here: snapshot_prefix, timezone, state_dir, destroy_batch, stop_timeout, zfs, zpool)`,
  ]);
});

test('wrong types, bad durations, bad names: every problem at once, each with its line', async (t) => {
  const text = `[zbk]
destroy_batch = "100"
timezone = "Mars/Olympus"

[[job]]
name = "Web Server"
dataset = "tank/backup/web@x"
timeout = "6 hours"
ssh_port = 70000
exclude = "/proc/"
source = "vds:/"
`;
  t.deepEqual(await problems(text), [
    `${FILE}:2: zbk.destroy_batch: must be a whole number, not a string ("100")`,
    `${FILE}:3: zbk.timezone: "Mars/Olympus" is not an IANA time zone (e.g. Europe/Athens, UTC)`,
    `${FILE}:6: job[0].name: "Web Server" may hold only a-z, 0-9, ".", "_" and "-", start with a letter or digit, and be at most 100 long`,
    `${FILE}:7: job[0].dataset: "tank/backup/web@x" is not a ZFS file system name (pool/path of A-Z a-z 0-9 _ . : -; no @ or #)`,
    `${FILE}:8: job[0].timeout: "6 hours" is not a duration (a number and a unit, e.g. 36h, 2d, 1w, 10m, 10min, 90s; m is minutes here)`,
    `${FILE}:9: job[0].ssh_port: must be between 1 and 65535, not 70000`,
    `${FILE}:10: job[0].exclude: must be an array of strings, not a string ("/proc/")`,
  ]);
});

test('duplicate job names and datasets, and a retention that names no policy', async (t) => {
  const text = `[[job]]
name = "a"
dataset = "tank/a"
retention = "weekly-only"

[[job]]
name = "a"
dataset = "tank/a"
`;
  t.deepEqual(await problems(text), [
    `${FILE}:4: job "a".retention: no policy "weekly-only" (defined: default); add [retention.weekly-only]`,
    `${FILE}:7: job[1].name: "a" names an earlier job too; each job needs a name of its own`,
    `${FILE}:8: job[1].dataset: tank/a already belongs to job "a"`,
  ]);
});

test('TOML syntax errors carry their line and column, in the parser\'s words without its preamble', async (t) => {
  t.deepEqual(await problems('[zbk]\nsnapshot_prefix = "zbk\n'), [`${FILE}:2:23: TOML syntax: control characters are not allowed in strings`]);
  t.deepEqual(await problems('[zbk]\nstate_dir = /var/db/zbk\n'), [`${FILE}:2:13: TOML syntax: invalid value`]);
  t.deepEqual(await problems('[[job]]\nname = "a"\ndataset = "t/a" extra\n'), [`${FILE}:3:17: TOML syntax: each key-value declaration must be followed by an end-of-line`]);
});

test('block_size and recordsize take sizes within what rsync and ZFS allow', async (t) => {
  const ok = await parseConfig('[[job]]\nname = "a"\ndataset = "t/a"\nblock_size = "16K"\nrecordsize = "128K"\n', FILE);
  t.is(ok.jobs[0]!.blockSize, 16384);
  const found = await problems('[[job]]\nname = "a"\ndataset = "t/a"\nblock_size = "1M"\nrecordsize = "12K"\n');
  t.regex(found[0]!, /:4: job "a"\.block_size: must be "auto", "rsync" or a size up to 128K/);
  t.regex(found[1]!, /:5: job "a"\.recordsize: "12K" is not a record size/);
});

test('where the config comes from: --config, then ZBK_CONFIG, then the default', (t) => {
  t.deepEqual(configPath({ path: '/a.toml', env: { ZBK_CONFIG: '/b.toml' } }), { file: '/a.toml', explicit: true });
  t.deepEqual(configPath({ env: { ZBK_CONFIG: '/b.toml' } }), { file: '/b.toml', explicit: true });
  t.deepEqual(configPath({ env: {} }), { file: FILE, explicit: false });
});

test('a missing default file means defaults for commands that need no job; a named one must exist', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-config-'));
  const missing = join(dir, 'nope.toml');
  const e = await t.throwsAsync(loadConfig({ path: missing, optional: true }), { instanceOf: ConfigError });
  t.regex(e!.message, new RegExp(`^${missing}: no such file`));
  const file = join(dir, 'zbk.toml');
  await writeFile(file, '[zbk]\nsnapshot_prefix = "nightly"\n');
  t.is((await loadConfig({ path: file })).prefix, 'nightly');
  t.is((await loadConfig({ path: file })).file, file);
});

test('a config others can change is refused, naming the file and its mode: its hooks run as root', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-config-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'zbk.toml');
  await writeFile(file, '[[job]]\nname = "a"\ndataset = "tank/a"\npre_hook = "id"\n');
  for (const [mode, who] of [[0o664, 'its group'], [0o646, 'others'], [0o666, 'others']] as const) {
    await chmod(file, mode);
    const e = await t.throwsAsync(loadConfig({ path: file }), { instanceOf: ConfigError });
    t.is(e!.message.split('\n')[0], `${file}: the config is writable by ${who} (mode 0${mode.toString(8)}); its hooks and commands run as zbk's user, so nobody else may change it (chmod go-w, chown root)`);
  }
  await chmod(file, 0o644);
  t.is((await loadConfig({ path: file })).jobs.length, 1, 'mode 0644 (umask 022) is fine');
  await chmod(file, 0o600);
  t.is((await loadConfig({ path: file })).jobs.length, 1);
});

test('a config in a directory others can write (without the sticky bit) is refused', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-config-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const sub = join(dir, 'etc');
  await mkdir(sub);
  const file = join(sub, 'zbk.toml');
  await writeFile(file, '');
  await chmod(sub, 0o777);
  const e = await t.throwsAsync(loadConfig({ path: file }), { instanceOf: ConfigError });
  t.regex(e!.message, new RegExp(`^${file}: its directory ${sub} is writable by others \\(mode 0777\\)`));
  await chmod(sub, 0o1777);
  t.is((await loadConfig({ path: file })).file, file, 'a sticky directory (like /tmp) lets no one else replace the file');
  await chmod(sub, 0o755);
  t.is((await loadConfig({ path: file })).file, file);
});

test('a job\'s problems name the job by its name; by its index when the name is not a valid one', async (t) => {
  t.deepEqual(await problems('[[job]]\nname = "web"\ndataset = "tank/web"\nshedule = "0 3 * * *"\n'), [
    `${FILE}:4: job "web".shedule: unknown key (known here: name, dataset, source, schedule, retention, exclude, rsync_args, block_size, recordsize, ssh_key, ssh_port, known_hosts, password_file, timeout, pre_hook, post_hook, hook_timeout, stale_after, replicate)`,
  ]);
  const hostile = await problems('[[job]]\nname = "web\\u001b[2J"\ndataset = "tank/web"\nssh_port = 0\n');
  t.true(hostile.length >= 2 && hostile.every((p) => p.includes(': job[0].') && !p.includes('\u001b[2J"')), hostile.join('\n'));
  t.regex((await problems('[[job]]\nname = "db"\ndataset = "tank/db"\n\n[[job]]\ndataset = "tank/x"\nssh_port = 0\n'))[1]!, /:7: job\[1\]\.ssh_port: /, 'a job with no name');
});
