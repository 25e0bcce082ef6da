/**
 * periodic/daily/410.zbk as periodic(8) runs it: under dash, with the periodic.conf variables in
 * the environment (there is no /etc/defaults/periodic.conf here), against real pools on
 * zfs-fuse, running the built CLI. Checked: the report it prints for the daily mail and the
 * code it returns (0 nothing to report, 1 something to report, 2 bad configuration, 3 error).
 */
import { access, constants, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import test from '../helpers/zfs-test.js';
import { execa } from 'execa';
import { CLI, ROOT } from '../helpers/cli.js';
import { makePool, sh, type TestPool } from '../helpers/pool.js';

const SCRIPT = `${ROOT}periodic/daily/410.zbk`;
const NOW = '2026-11-26T03:00:00Z';

interface Periodic {
  readonly code: number;
  /** stdout and stderr together, as periodic(8) collects them for the mail. */
  readonly output: string;
}

async function periodic(vars: Record<string, string>): Promise<Periodic> {
  await access(CLI, constants.R_OK).catch(() => {
    throw new Error(`${CLI} is missing: run \`make build\` (make test does it)`);
  });
  const r = await execa('dash', [SCRIPT], {
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C', daily_zbk_program: `${process.execPath} ${CLI}`, ...vars },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    all: true,
  });
  return { code: r.exitCode ?? -1, output: r.all ?? '' };
}

/** A config for `pool`, with its state in a temporary directory; `extra` is appended. */
async function configFor(t: ExecutionContext, pool: TestPool | null, extra = ''): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-periodic-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'zbk.toml');
  await writeFile(file, [
    '[zbk]',
    `state_dir = "${join(dir, 'state')}"`,
    '[scrub]',
    `pools = [${pool ? `"${pool.name}"` : ''}]`,
    extra,
  ].join('\n'));
  return file;
}

async function scrubAndWait(pool: string): Promise<string> {
  await sh('zpool', ['scrub', pool]);
  for (let i = 0; i < 120; i++) {
    const { stdout } = await sh('zpool', ['status', pool]);
    if (!/in progress/.test(stdout)) return stdout;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the scrub of ${pool} did not finish`);
}

test('the script is clean under shellcheck -s sh and executable', async (t) => {
  const r = await execa('shellcheck', ['-s', 'sh', SCRIPT], { reject: false });
  t.is(r.stdout, '');
  t.is(r.exitCode, 0);
  t.true(((await stat(SCRIPT)).mode & 0o111) !== 0);
});

test('with nothing enabled it prints nothing and returns 0', async (t) => {
  const r = await periodic({});
  t.is(r.output, '');
  t.is(r.code, 0);
});

test('a missing configuration file is a bad configuration: 2, with zbk\'s words', async (t) => {
  const r = await periodic({ daily_zbk_enable: 'YES', daily_zbk_flags: '--config /nonexistent/zbk.toml' });
  t.regex(r.output, /^\nBackups \(zbk\):\n/);
  t.regex(r.output, /\/nonexistent\/zbk\.toml: no such file/);
  t.regex(r.output, /zbk run: configuration error/);
  t.is(r.code, 2);
});

test('a configuration error is said once, by the first part, and the later parts are skipped: 2', async (t) => {
  const config = await configFor(t, null, '[[job]]\nname = "web"\ndataset = "tank/backup/web"\nshedule = "0 3 * * *"\n');
  const r = await periodic({
    daily_zbk_enable: 'YES', daily_zbk_scrub_report_enable: 'YES', daily_zbk_scrub_enable: 'YES', daily_zbk_flags: `--config ${config}`,
  });
  t.is(r.code, 2, r.output);
  t.is(r.output.match(/unknown key/g)?.length, 1, r.output);
  t.regex(r.output, /zbk\.toml:\d+: job "web"\.shedule: unknown key/);
  const headings = [...r.output.matchAll(/^(.*\(zbk\)):$/gm)].map((m) => m[1]);
  t.deepEqual(headings, ['Backups (zbk)'], 'no heading for the skipped parts');
  t.regex(r.output, /^zbk run: configuration error \(see above\);\nlater zbk parts skipped \(they would say the same\)$/m);
});

test('a usage error in daily_zbk_flags is said once too', async (t) => {
  const r = await periodic({ daily_zbk_scrub_report_enable: 'YES', daily_zbk_scrub_enable: 'YES', daily_zbk_flags: '--no-such-option' });
  t.is(r.code, 2, r.output);
  t.is(r.output.match(/check daily_zbk_flags/g)?.length, 1, r.output);
  t.deepEqual([...r.output.matchAll(/^(.*\(zbk\)):$/gm)].map((m) => m[1]), ['Pool health (zbk)']);
});

test('an unknown argument in daily_zbk_flags is a bad configuration: 2, naming the variable', async (t) => {
  const r = await periodic({ daily_zbk_scrub_report_enable: 'YES', daily_zbk_flags: '--no-such-option' });
  t.regex(r.output, /^\nPool health \(zbk\):\n/);
  t.regex(r.output, /check daily_zbk_flags/);
  t.is(r.code, 2);
});

test.serial('a healthy pool, scrubbed: the pool health section and 0', async (t) => {
  const pool = await makePool(t);
  await scrubAndWait(pool.name);
  const config = await configFor(t, pool);
  const r = await periodic({ daily_zbk_scrub_report_enable: 'YES', daily_zbk_flags: `--config ${config}` });
  t.regex(r.output, /^\nPool health \(zbk\):\n/);
  t.true(r.output.includes(pool.name), r.output);
  t.is(r.code, 0, r.output);
});

test.serial('a mirror whose leg ZFS healed: a warning in the mail, so 1', async (t) => {
  const pool = await makePool(t, { mirror: true });
  await sh('dd', ['if=/dev/urandom', `of=${join(pool.mountpoint, 'data')}`, 'bs=1M', 'count=16', 'status=none']);
  await sh('sync', []);
  await sh('zpool', ['export', pool.name]);
  // Past the front labels and short of the back ones: only data blocks of one leg.
  await sh('dd', ['if=/dev/urandom', `of=${pool.disks[0]}`, 'bs=1M', 'seek=8', 'count=100', 'conv=notrunc', 'status=none']);
  await sh('zpool', ['import', '-d', pool.dir, pool.name]);
  const status = await scrubAndWait(pool.name);
  t.regex(status, /repaired/, 'the scrub healed the leg (the test bed works)');
  const config = await configFor(t, pool);
  const r = await periodic({ daily_zbk_scrub_report_enable: 'YES', daily_zbk_flags: `--config ${config}` });
  t.regex(r.output, /^\nPool health \(zbk\):\n/);
  t.true(r.output.includes(pool.name), r.output);
  t.regex(r.output, /checksum|cksum|repaired|healed/i);
  t.is(r.code, 1, r.output);
});

test.serial('daily_zbk_enable runs every job: a snapshot-only job takes its snapshot, 0', async (t) => {
  const pool = await makePool(t);
  const dataset = `${pool.name}/host`;
  await sh('zfs', ['create', dataset]);
  const config = await configFor(t, pool, `[[job]]\nname = "host"\ndataset = "${dataset}"\n`);
  const r = await periodic({ daily_zbk_enable: 'YES', daily_zbk_flags: `--config ${config} --now ${NOW}` });
  t.regex(r.output, /^\nBackups \(zbk\):\n/);
  t.is(r.code, 0, r.output);
  const { stdout } = await sh('zfs', ['list', '-H', '-t', 'snapshot', '-o', 'name', '-r', dataset]);
  t.deepEqual(stdout.split('\n'), [`${dataset}@zbk_2026-11-26T030000Z`]);
});

test.serial('a job whose pull failed is an error: 3, so that periodic(8) always mails it', async (t) => {
  const pool = await makePool(t);
  const dataset = `${pool.name}/gone`;
  await sh('zfs', ['create', '-o', 'zbk:job=gone', dataset]); // marked as the job's, as `zbk init` would: the pull itself fails
  const config = await configFor(t, pool, `[[job]]\nname = "gone"\ndataset = "${dataset}"\nsource = "/nonexistent/zbk-source/"\n`);
  const r = await periodic({ daily_zbk_enable: 'YES', daily_zbk_flags: `--config ${config} --now ${NOW}` });
  t.regex(r.output, /^\nBackups \(zbk\):\n/);
  t.regex(r.output, /gone/);
  t.is(r.code, 3, r.output);
  const { stdout } = await sh('zfs', ['list', '-H', '-t', 'snapshot', '-o', 'name', '-r', dataset]);
  t.is(stdout, '', 'a failed pull takes no snapshot');
});

test.serial('daily_zbk_scrub_enable starts the scrub that is due, with daily_zbk_scrub_max_age', async (t) => {
  const pool = await makePool(t);
  const before = await sh('zpool', ['status', pool.name]);
  t.notRegex(before.stdout, /scrub (completed|repaired|in progress)/, 'the pool was never scrubbed');
  const config = await configFor(t, pool);
  // Two days after the pool was made, a scrub older than a day (or none) is due.
  const later = new Date(Date.now() + 2 * 86400_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const r = await periodic({
    daily_zbk_scrub_enable: 'YES',
    daily_zbk_scrub_max_age: '1d',
    daily_zbk_flags: `--config ${config} --now ${later}`,
  });
  t.regex(r.output, /^\nScrubbing of zfs pools \(zbk\):\n/);
  t.true(r.output.includes(pool.name), r.output);
  t.is(r.code, 0, r.output);
  const after = await scrubAndWait(pool.name).catch(() => '');
  t.regex(after, /scrub (completed|repaired|in progress)/, 'zbk started a scrub');
});

test.serial('all three parts together return the highest code: backups fine, a pool healed, so 1', async (t) => {
  const pool = await makePool(t, { mirror: true });
  const dataset = `${pool.name}/host`;
  await sh('zfs', ['create', dataset]);
  await sh('dd', ['if=/dev/urandom', `of=${join(pool.mountpoint, 'host', 'data')}`, 'bs=1M', 'count=16', 'status=none']);
  await sh('sync', []);
  await sh('zpool', ['export', pool.name]);
  await sh('dd', ['if=/dev/urandom', `of=${pool.disks[1]}`, 'bs=1M', 'seek=8', 'count=100', 'conv=notrunc', 'status=none']);
  await sh('zpool', ['import', '-d', pool.dir, pool.name]);
  await scrubAndWait(pool.name);
  const config = await configFor(t, pool, `[[job]]\nname = "host"\ndataset = "${dataset}"\n`);
  const r = await periodic({
    daily_zbk_enable: 'YES',
    daily_zbk_scrub_report_enable: 'YES',
    daily_zbk_scrub_enable: 'YES',
    daily_zbk_flags: `--config ${config} --now ${NOW}`,
  });
  const headings = [...r.output.matchAll(/^(.*\(zbk\)):$/gm)].map((m) => m[1]);
  t.deepEqual(headings, ['Backups (zbk)', 'Pool health (zbk)', 'Scrubbing of zfs pools (zbk)']);
  t.is(r.code, 1, r.output);
});

test('replicate alone with a missing configuration file: 2, said by the replication part', async (t) => {
  const r = await periodic({ daily_zbk_replicate_enable: 'YES', daily_zbk_flags: '--config /nonexistent/zbk.toml' });
  t.regex(r.output, /^\nReplication \(zbk\):\n/);
  t.regex(r.output, /zbk replicate: configuration error/);
  t.is(r.code, 2, r.output);
});

/** A snapshot-only job on `source` that names a local target on `target`'s pool. */
async function replicatedJob(t: ExecutionContext, source: TestPool, targetPool: string): Promise<{ config: string; dataset: string }> {
  const dataset = `${source.name}/host`;
  await sh('zfs', ['create', dataset]);
  const config = await configFor(t, source, [
    '[[job]]', 'name = "host"', `dataset = "${dataset}"`, 'replicate = ["usb"]',
    '[[target]]', 'name = "usb"', `dataset = "${targetPool}/zbk"`,
  ].join('\n'));
  return { config, dataset };
}

test.serial('daily_zbk_replicate_enable sends the night\'s snapshot to a local target after the pull: 0', async (t) => {
  const source = await makePool(t);
  const target = await makePool(t);
  const { config } = await replicatedJob(t, source, target.name);
  const r = await periodic({ daily_zbk_enable: 'YES', daily_zbk_replicate_enable: 'YES', daily_zbk_flags: `--config ${config} --now ${NOW}` });
  t.deepEqual([...r.output.matchAll(/^(.*\(zbk\)):$/gm)].map((m) => m[1]), ['Backups (zbk)', 'Replication (zbk)'], r.output);
  t.regex(r.output, /host → usb: full, 1 snapshot/);
  t.is(r.code, 0, r.output);
  const { stdout } = await sh('zfs', ['list', '-H', '-t', 'snapshot', '-o', 'name', '-r', `${target.name}/zbk`]);
  t.deepEqual(stdout.split('\n'), [`${target.name}/zbk/host@zbk_2026-11-26T030000Z`]);
});

test.serial('a target that is away (its pool not imported) is something to report, not an error: 1', async (t) => {
  const source = await makePool(t);
  const { config } = await replicatedJob(t, source, 'zbkt_not_imported');
  const r = await periodic({ daily_zbk_enable: 'YES', daily_zbk_replicate_enable: 'YES', daily_zbk_flags: `--config ${config} --now ${NOW}` });
  t.regex(r.output, /^\nReplication \(zbk\):\n/m);
  t.regex(r.output, /usb/);
  t.is(r.code, 1, r.output);
});
