/**
 * `[[target]]` and `job.replicate` (issue #13): every value is hostile. Each refusal names file,
 * line and key, and a good table reads with its defaults.
 */
import test, { type ExecutionContext } from 'ava';
import { parseConfig } from '../../src/config/load.js';
import { hostProblem } from '../../src/config/target.js';
import { FILE, problems } from '../helpers/config.js';


const JOB = '[[job]]\nname = "web"\ndataset = "tank/backup/web"\nsource = "root@web:/"\n';
const target = (lines: string, head = 'name = "offsite"\ndataset = "vault/zbk"') => `[[target]]\n${head}\n${lines}\n`;

/** Exactly one problem, naming file, line and `key`, matching `why`. */
async function refused(t: ExecutionContext, text: string, key: string, why: RegExp, line?: number): Promise<void> {
  const found = await problems(text);
  t.is(found.length, 1, `${text}\n→ ${found.join('\n')}`);
  const at = line === undefined ? /^\/etc\/zbk\.toml:\d+: / : new RegExp(`^/etc/zbk\\.toml:${line}: `);
  t.regex(found[0] ?? '', at, text);
  t.true(found[0]?.includes(` ${key}: `), `${found[0]} names ${key}`);
  t.regex(found[0] ?? '', why, text);
}

test('a target reads with its defaults; a job replicates to it', async (t) => {
  const config = await parseConfig(`${JOB}replicate = ["offsite", "usb"]\n${target('host = "zbk@vault.example.com"')}${target('', 'name = "usb"\ndataset = "usb/zbk"')}`, FILE, true);
  t.deepEqual(config.jobs[0]!.replicate, ['offsite', 'usb']);
  const [offsite, usb] = config.targets;
  t.like(offsite, {
    name: 'offsite', host: 'zbk@vault.example.com', dataset: 'vault/zbk', sshKey: null, sshPort: 22, knownHosts: null,
    zfs: 'zfs', retentionName: null, retention: null, schedule: null,
  });
  t.is(offsite!.timeout.text, '12h');
  t.is(offsite!.staleAfter.text, '48h');
  t.like(usb, { name: 'usb', host: null, dataset: 'usb/zbk' });
  t.deepEqual((await parseConfig(JOB, FILE)).targets, [], 'no [[target]]: none');
  t.deepEqual((await parseConfig(JOB, FILE)).jobs[0]!.replicate, [], 'no replicate: none');
});

test('every key of CONTRACT.md is read', async (t) => {
  const text = `[retention.offsite]\nkeep_last = 5\n${target(
    'host = "vault"\nssh_key = "/root/.ssh/k"\nssh_port = 2222\nknown_hosts = "/root/.ssh/known_hosts"\nzfs = "/usr/local/sbin/zfs"\n' +
      'retention = "offsite"\nschedule = "30 5 * * *"\ntimeout = "2h"\nstale_after = "3d"',
  )}`;
  const [offsite] = (await parseConfig(text, FILE, true)).targets;
  t.like(offsite, {
    host: 'vault', sshKey: '/root/.ssh/k', sshPort: 2222, knownHosts: '/root/.ssh/known_hosts', zfs: '/usr/local/sbin/zfs',
    retentionName: 'offsite', retention: { keep_last: 5 }, schedule: '30 5 * * *',
  });
  t.is(offsite!.timeout.text, '2h');
  t.is(offsite!.staleAfter.text, '3d');
  const inline = (await parseConfig(target('retention = { daily = 7 }'), FILE)).targets[0];
  t.like(inline, { retentionName: '(inline)', retention: { daily: 7 } });
});

test('replicate names targets that exist, each once', async (t) => {
  await refused(t, `${JOB}replicate = ["offsite"]\n`, 'job "web".replicate', /no target "offsite" \(no \[\[target\]\] is defined\); add a \[\[target\]\] with name = "offsite"/, 5);
  await refused(t, `${JOB}replicate = ["usb"]\n${target('')}`, 'job "web".replicate', /no target "usb" \(defined: offsite\)/);
  await refused(t, `${JOB}replicate = ["offsite", "offsite"]\n${target('')}`, 'job "web".replicate', /names "offsite" twice/);
  await refused(t, `${JOB}replicate = "offsite"\n${target('')}`, 'job "web".replicate', /must be an array of strings/);
  await refused(t, `${JOB}replicate = ["off\\nsite"]\n${target('')}`, 'job "web".replicate', /holds a control character/);
});

test('prototype keys as names: refused cleanly or plain names, never a crash or an inherited value', async (t) => {
  await refused(t, `${JOB}replicate = ["constructor"]\n${target('')}`, 'job "web".replicate', /no target "constructor"/);
  await refused(t, `${JOB}replicate = ["__proto__"]\n${target('')}`, 'job "web".replicate', /no target "__proto__"/);
  await refused(t, `${JOB}replicate = ["toString"]\n${target('')}`, 'job "web".replicate', /no target "toString"/);
  await refused(t, target('', 'name = "__proto__"\ndataset = "vault/zbk"'), 'target[0].name', /"__proto__" may hold only a-z/);
  const config = await parseConfig(`${JOB}replicate = ["constructor"]\n${target('', 'name = "constructor"\ndataset = "vault/zbk"')}`, FILE);
  t.is(config.targets[0]!.name, 'constructor', 'a valid name is a name like any other');
  t.deepEqual(config.jobs[0]!.replicate, ['constructor']);
  await refused(t, target('constructor = "x"'), 'target "offsite".constructor', /unknown key/);
  await refused(t, target('"__proto__" = "x"'), 'target "offsite".__proto__', /unknown key/);
  await refused(t, '[target]\nname = "x"\n', 'target', /must be an array of tables \(\[\[target\]\]\)/);
  await refused(t, 'target = [1]\n', 'target[0]', /must be a table \(\[\[target\]\]\)/);
});

test('names: a name and a dataset are required; names are unique and never options', async (t) => {
  await refused(t, target('', 'dataset = "vault/zbk"'), 'target[0]', /a target needs a name/);
  await refused(t, target('', 'name = "offsite"'), 'target "offsite"', /target "offsite" needs a dataset/);
  await refused(t, target('', 'name = "-oProxyCommand=x"\ndataset = "vault/zbk"'), 'target[0].name', /start with a letter or digit/);
  await refused(t, target('', 'name = "Off Site"\ndataset = "vault/zbk"'), 'target[0].name', /may hold only a-z, 0-9/);
  await refused(t, target('', 'name = "a/b"\ndataset = "vault/zbk"'), 'target[0].name', /may hold only a-z, 0-9/);
  await refused(t, target('', `name = "${'a'.repeat(101)}"\ndataset = "vault/zbk"`), 'target[0].name', /at most 100 long/);
  await refused(t, target('', 'name = 7\ndataset = "vault/zbk"'), 'target[0].name', /must be a string/);
  await refused(t, `${target('host = "a"')}${target('host = "b"', 'name = "offsite"\ndataset = "vault/zbk2"')}`, 'target[1].name', /"offsite" names an earlier target too/);
});

test('host: an ssh destination user@host or host, nothing ssh could read as an option or a path', async (t) => {
  const cases: [string, RegExp][] = [
    ['-oProxyCommand=touch /tmp/x', /starts with "-": ssh would read it as an option/],
    ['-J', /starts with "-"/],
    ['root@-oProxyCommand=x', /the host "-oProxyCommand=x" may hold only/],
    ['-root@vault', /starts with "-"/],
    ['vault example', /holds white space/],
    [' vault', /holds white space/],
    ['vault:/tank', /holds ":" or "\/": host is only an ssh destination/],
    ['vault:2222', /holds ":" or "\/"/],
    ['ssh://vault', /holds ":" or "\/"/],
    ['root@vault/x', /holds ":" or "\/"/],
    ['a@b@vault', /the user "a@b" may hold only/],
    ['@vault', /the user "" may hold only/],
    ['root@', /the host "" may hold only/],
    ['root@.vault', /the host ".vault" may hold only/],
    ['ro$ot@vault', /the user "ro\$ot"/],
    ['vault%h', /the host "vault%h"/],
    ['`reboot`', /the host "`reboot`"/],
    ['', /is empty; omit host for a pool on this machine/],
  ];
  for (const [host, why] of cases) await refused(t, target(`host = ${JSON.stringify(host)}`), 'target "offsite".host', why);
  await refused(t, target('host = "vault\\u0000"'), 'target "offsite".host', /holds a control character/);
  await refused(t, target('host = "vault\\n-oX"'), 'target "offsite".host', /holds a control character/);
  await refused(t, target('host = 22'), 'target "offsite".host', /must be a string/);
  for (const good of ['vault', 'zbk@vault.example.com', '_zbk@vault-2.example.com', '192.0.2.7', 'root@10.0.0.1']) {
    t.is(hostProblem(good), null, good);
  }
});

test('dataset is checked as a job dataset is', async (t) => {
  await refused(t, target('', 'name = "offsite"\ndataset = "-vault"'), 'target "offsite".dataset', /must start with a letter or digit/);
  await refused(t, target('', 'name = "offsite"\ndataset = "vault/zbk@snap"'), 'target "offsite".dataset', /is not a ZFS file system name/);
  await refused(t, target('', 'name = "offsite"\ndataset = "vault/../etc"'), 'target "offsite".dataset', /is not a dataset name: a "\.\." component/);
  await refused(t, target('', 'name = "offsite"\ndataset = "vault/zbk/"'), 'target "offsite".dataset', /an empty component/);
  await refused(t, target('', `name = "offsite"\ndataset = "vault/${'a'.repeat(260)}"`), 'target "offsite".dataset', /longer than ZFS allows/);
});

test('zfs: a command name or an absolute path; over ssh a plain word the remote shell cannot read as more', async (t) => {
  await refused(t, target('zfs = "-zfs"'), 'target "offsite".zfs', /must be a command name \(found on PATH\) or an absolute path/);
  await refused(t, target('zfs = "bin/zfs"'), 'target "offsite".zfs', /must be a command name/);
  await refused(t, target('zfs = "zfs; reboot"'), 'target "offsite".zfs', /must be a command name/);
  await refused(t, target('host = "vault"\nzfs = "/sbin/zfs; reboot"'), 'target "offsite".zfs', /is run by the shell on vault: a plain command name or path only/);
  await refused(t, target('host = "vault"\nzfs = "/opt/my zfs"'), 'target "offsite".zfs', /is run by the shell on vault/);
  t.deepEqual(await problems(target('zfs = "/opt/my zfs/zfs"')), [], 'a local zfs is run with argv, not by a shell');
  t.deepEqual(await problems(target('host = "vault"\nzfs = "/usr/local/sbin/zfs"')), []);
});

test('ssh_key, ssh_port and known_hosts on a target without host are errors, not silently ignored', async (t) => {
  await refused(t, target('ssh_key = "/root/.ssh/k"'), 'target "offsite".ssh_key', /is for a target with a host \(over ssh\) only; on a local target it would be ignored/);
  await refused(t, target('ssh_port = 2222'), 'target "offsite".ssh_port', /is for a target with a host/);
  await refused(t, target('known_hosts = "/root/.ssh/known_hosts"'), 'target "offsite".known_hosts', /is for a target with a host/);
  await refused(t, target('host = "vault"\nssh_key = "k"'), 'target "offsite".ssh_key', /is not an absolute path/);
  await refused(t, target('host = "vault"\nknown_hosts = "/root/%h"'), 'target "offsite".known_hosts', /holds ", \\, % or \$/);
  await refused(t, target('host = "vault"\nssh_port = 0'), 'target "offsite".ssh_port', /must be between 1 and 65535/);
  await refused(t, target('host = "vault"\nssh_port = 65536'), 'target "offsite".ssh_port', /must be between 1 and 65535/);
});

test('retention, schedule, timeout and stale_after are checked as a job\'s are', async (t) => {
  await refused(t, target('retention = "nope"'), 'target "offsite".retention', /no policy "nope" \(defined: default\); add \[retention\.nope\]/);
  await refused(t, target('retention = 3'), 'target "offsite".retention', /must be a policy name or an inline table/);
  await refused(t, target('retention = { daily = -1 }'), 'target "offsite".retention.daily', /must be between/);
  await refused(t, target('timeout = "0s"'), 'target "offsite".timeout', /is zero/);
  await refused(t, target('timeout = "25d"'), 'target "offsite".timeout', /at most 24d/);
  await refused(t, target('stale_after = "0d"'), 'target "offsite".stale_after', /is zero/);
  await refused(t, target('stale_after = "soon"'), 'target "offsite".stale_after', /soon/);
  await refused(t, target('port = 22'), 'target "offsite".port', /unknown key \(known here: name, host, dataset/);
  const cron = await problems(target('schedule = "30 5 * *"'), true);
  t.is(cron.length, 1, cron.join('\n'));
  t.regex(cron[0] ?? '', /^\/etc\/zbk\.toml:4: target "offsite"\.schedule: "30 5 \* \*" has 4 fields/);
  const bad = await problems(target('schedule = "61 5 * * *"'), true);
  t.regex(bad[0] ?? '', /target "offsite"\.schedule: "61 5 \* \* \*" is not a cron expression/);
  t.deepEqual(await problems(target('schedule = ""'), true), [], 'an empty schedule is the default: after each job');
});

test('a local target whose dataset is, holds or lies inside a job\'s is refused, naming the job', async (t) => {
  const cases: [string, RegExp][] = [
    ['tank/backup/web', /tank\/backup\/web is the dataset tank\/backup\/web of job "web": its pull \(rsync --delete\) would delete the copies/],
    ['tank/backup/web/replicas', /tank\/backup\/web\/replicas is inside the dataset tank\/backup\/web of job "web"/],
    ['tank/backup', /tank\/backup holds the dataset tank\/backup\/web of job "web"/],
    ['tank', /tank holds the dataset tank\/backup\/web of job "web"/],
  ];
  for (const [dataset, why] of cases) {
    await refused(t, `${JOB}${target('', `name = "usb"\ndataset = "${dataset}"`)}`, 'target "usb".dataset', why, 7);
  }
  t.deepEqual(await problems(`${JOB}${target('', 'name = "usb"\ndataset = "tank/replicas"')}`), [], 'beside the jobs: fine');
  t.deepEqual(await problems(`${JOB}${target('', 'name = "usb"\ndataset = "tank/backup/webx"')}`), [], 'a name that starts alike is not inside');
  t.deepEqual(await problems(`${JOB}${target('host = "vault"', 'name = "offsite"\ndataset = "tank/backup/web"')}`), [], 'on another host: another pool');
});

test('two targets receiving into the same dataset of one host are refused', async (t) => {
  const two = (a: string, b: string, da = 'vault/zbk', db = 'vault/zbk') =>
    `${target(a, `name = "one"\ndataset = "${da}"`)}${target(b, `name = "two"\ndataset = "${db}"`)}`;
  await refused(t, two('host = "vault"', 'host = "zbk@VAULT"'), 'target "two".dataset', /vault\/zbk on vault is also the dataset of target "one": their copies would be received into one another/);
  await refused(t, two('', ''), 'target "two".dataset', /vault\/zbk on this machine is also the dataset of target "one"/);
  await refused(t, two('', '', 'vault/zbk', 'vault/zbk/web'), 'target "two".dataset', /vault\/zbk\/web on this machine overlaps the dataset vault\/zbk of target "one"/);
  t.deepEqual(await problems(two('host = "vault"', 'host = "vault2"')), [], 'another host');
  t.deepEqual(await problems(two('host = "vault"', '')), [], 'one local, one remote');
  t.deepEqual(await problems(two('', '', 'vault/a', 'vault/b')), [], 'beside one another');
});

test('a dataset under which a job\'s name would be longer than ZFS allows is refused', async (t) => {
  const long = `vault/${'z'.repeat(246)}`;
  await refused(t, `${JOB}replicate = ["offsite"]\n${target('', `name = "offsite"\ndataset = "${long}"`)}`, 'target "offsite".dataset',
    new RegExp(`${long}/web, where job "web" would be received, is longer than ZFS allows \\(255\\)`));
  t.deepEqual(await problems(`${JOB}replicate = ["offsite"]\n${target('', `name = "offsite"\ndataset = "${long.slice(0, -1)}"`)}`), [], 'exactly 255: fine');
});

test('one mistake, one message: a refused host is not then taken for a local target', async (t) => {
  await refused(t, `${JOB}${target('host = "-x"\nssh_key = "/root/.ssh/k"', 'name = "offsite"\ndataset = "tank/backup/web"')}`, 'target "offsite".host', /starts with "-"/);
  t.deepEqual(await problems(`${target('', 'dataset = "a/b"')}${target('', 'dataset = "c/d"')}`), [
    '/etc/zbk.toml:1: target[0]: a target needs a name',
    '/etc/zbk.toml:4: target[1]: a target needs a name',
  ], 'two nameless targets: not also "names an earlier target"');
});
