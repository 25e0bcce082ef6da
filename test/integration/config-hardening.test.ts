/**
 * Issue #9 on a real pool (zfs-fuse), the real CLI, real rsync, sshd and rsyncd: a config
 * value zbk cannot compute, or that rsync or ssh would read as something else, is refused
 * before anything is pulled or destroyed; a job's bad password_file fails that job only.
 */
import { chmod, copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ExecutionContext } from 'ava';
import test from '../helpers/zfs-test.js';
import { unwrap, zbk } from '../helpers/cli.js';
import { makePool, sh, type TestPool } from '../helpers/pool.js';
import { startRsyncd } from '../helpers/rsyncd.js';
import { startSshd } from '../helpers/sshd.js';

const night = (i: number) => `2026-03-${String(i + 1).padStart(2, '0')}T03:00:00Z`;

type Value = string | number | readonly string[];
const toml = (entries: Record<string, Value>) => Object.entries(entries).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join('\n');

interface Bed {
  readonly pool: TestPool;
  readonly src: string;
  readonly config: string;
  /** Writes the config: [zbk] with the bed's state_dir, then these tables. */
  write(body: string): Promise<void>;
  /** Writes a config of these jobs (dataset POOL/NAME, source the bed's src unless given). */
  jobs(...jobs: Record<string, Value>[]): Promise<void>;
}

async function bed(t: ExecutionContext): Promise<Bed> {
  const pool = await makePool(t);
  const src = join(pool.dir, 'src');
  await mkdir(src);
  const config = join(pool.dir, 'zbk.toml');
  const write = (body: string) => writeFile(config, `[zbk]\ntimezone = "UTC"\nstate_dir = ${JSON.stringify(join(pool.dir, 'state'))}\n\n${body}\n`);
  const jobs = (...js: Record<string, Value>[]) =>
    write(js.map((j) => `[[job]]\n${toml({ dataset: `${pool.name}/${String(j.name)}`, source: `${src}/`, ...j })}\n`).join('\n'));
  return { pool, src, config, write, jobs };
}

const snapshots = async (dataset: string): Promise<string[]> =>
  (await sh('zfs', ['list', '-H', '-o', 'name', '-t', 'snapshot', '-r', dataset])).stdout.split('\n').filter(Boolean).map((n) => n.split('@')[1]!);

const mountpoint = async (dataset: string) => (await sh('zfs', ['get', '-H', '-o', 'value', 'mountpoint', dataset])).stdout.trim();

async function init(t: ExecutionContext, b: Bed): Promise<void> {
  const r = await zbk(['init', '--config', b.config]);
  t.is(r.exitCode, 0, r.stderr);
}

test.serial('keep_within = "1000000y" is a config error (78) for configtest, prune and run, and every snapshot stays', async (t) => {
  const b = await bed(t);
  const dataset = `${b.pool.name}/h1`;
  const policy = (within: string) => b.write(`[retention.forever]\nkeep_within = "${within}"\n\n[[job]]\n${toml({ name: 'h1', dataset, retention: 'forever' })}`);
  await policy('1000y');
  await init(t, b);
  for (let i = 0; i < 10; i++) {
    const r = await zbk(['snapshot', '--config', b.config, '--job', 'h1', '--now', night(i)]);
    t.is(r.exitCode, 0, r.stderr);
  }
  await policy('1000000y');
  const before = await snapshots(dataset);
  t.is(before.length, 10);

  const check = await zbk(['configtest', '--config', b.config]);
  t.is(check.exitCode, 78, check.stdout);
  t.regex(check.stderr, /zbk\.toml:6: retention\.forever\.keep_within: "1000000y" is too long: at most 1000y/);
  for (const args of [['prune'], ['prune', '--dry-run'], ['prune', dataset], ['run', '--job', 'h1'], ['snapshot', '--job', 'h1']]) {
    const r = await zbk([...args, '--config', b.config, '--now', night(10)]);
    t.is(r.exitCode, 78, `${args.join(' ')}: ${r.stderr}`);
  }
  t.deepEqual(await snapshots(dataset), before, 'nothing destroyed, nothing taken');

  await policy('1000y');
  const warned = await zbk(['configtest', '--config', b.config]);
  t.is(warned.exitCode, 0, warned.stderr);
  t.regex(warned.stderr, /warning: .*retention\.forever keeps by keep_within alone/);
  const pruned = await zbk(['prune', '--config', b.config, '--now', night(10)]);
  t.is(pruned.exitCode, 0, pruned.stderr);
  t.deepEqual(await snapshots(dataset), before, 'the longest keep_within there is keeps everything');
});

test.serial('timeouts of zero, or longer than a timer runs, are config errors: nothing is pulled', async (t) => {
  const b = await bed(t);
  await writeFile(join(b.src, 'f'), 'x');
  await b.jobs({ name: 'h1' });
  await init(t, b);
  for (const [key, value] of [['timeout', '0s'], ['timeout', '30d'], ['hook_timeout', '25d'], ['stale_after', '0s']] as const) {
    await b.jobs({ name: 'h1', [key]: value });
    const r = await zbk(['run', '--config', b.config, '--now', night(0)]);
    t.is(r.exitCode, 78, `${key} = ${value}: ${r.stderr}`);
    t.regex(r.stderr, new RegExp(`job "h1"\\.${key}: "${value}" is`));
  }
  t.deepEqual(await snapshots(`${b.pool.name}/h1`), []);
  t.deepEqual(await readdir(await mountpoint(`${b.pool.name}/h1`)), []);
});

test.serial('zbk scrub --max-age gets the same bounds: 0d and 1000000y are usage errors (64), nothing scrubbed', async (t) => {
  const b = await bed(t);
  for (const age of ['0d', '1000000y', '99999999999999999999s']) {
    const r = await zbk(['scrub', b.pool.name, '--max-age', age]);
    t.is(r.exitCode, 64, `${age}: ${r.stdout}${r.stderr}`);
    t.regex(r.stderr, /--max-age: /);
  }
  const status = (await sh('zpool', ['status', b.pool.name])).stdout;
  t.notRegex(status, /scrub in progress|scrub repaired/);
});

test.serial('an exclude of "!" or "+ /keep" is refused (78), and nothing is pulled or deleted', async (t) => {
  const b = await bed(t);
  await mkdir(join(b.src, 'cache'));
  await writeFile(join(b.src, 'cache/big'), 'cache');
  await mkdir(join(b.src, 'keep'));
  await writeFile(join(b.src, 'keep/k'), 'k');
  await b.jobs({ name: 'h1', exclude: ['/cache/'] });
  await init(t, b);
  const ok = await zbk(['run', '--config', b.config, '--now', night(0)]);
  t.is(ok.exitCode, 0, ok.stderr);
  const mnt = await mountpoint(`${b.pool.name}/h1`);
  t.deepEqual((await readdir(mnt)).sort(), ['keep']);
  // What is in the live copy and excluded stays: rsync does not delete excluded files.
  await mkdir(join(mnt, 'cache'));
  await writeFile(join(mnt, 'cache/old'), 'kept in the copy');

  for (const [exclude, why] of [[['/cache/', '!'], /"!" would clear every exclude before it/], [['/cache/', '+ /keep', '/keep/'], /"\+ \/keep" would be rsync's include rule/]] as const) {
    await b.jobs({ name: 'h1', exclude });
    const check = await zbk(['configtest', '--config', b.config]);
    t.is(check.exitCode, 78);
    t.regex(check.stderr, why);
    const r = await zbk(['run', '--config', b.config, '--now', night(1)]);
    t.is(r.exitCode, 78, r.stderr);
  }
  t.deepEqual((await readdir(mnt)).sort(), ['cache', 'keep'], 'the cache was not copied, nothing was deleted');
  t.deepEqual(await readdir(join(mnt, 'cache')), ['old']);
  t.deepEqual(await snapshots(`${b.pool.name}/h1`), ['zbk_2026-03-01T030000Z']);
});

test.serial('rsync_args that are not options (another source) or delete on the host are refused (78)', async (t) => {
  const b = await bed(t);
  const other = join(b.pool.dir, 'other');
  await mkdir(other);
  await writeFile(join(other, 'secret'), 's');
  await writeFile(join(b.src, 'f'), 'f');
  await b.jobs({ name: 'h1' });
  await init(t, b);
  for (const args of [[`${other}/`], ['--remove-source-files'], ['--bwlimit', '1000'], ['-e', 'ssh']]) {
    await b.jobs({ name: 'h1', rsync_args: args });
    const r = await zbk(['run', '--config', b.config, '--now', night(0)]);
    t.is(r.exitCode, 78, `${args.join(' ')}: ${r.stderr}`);
    t.regex(r.stderr, /job "h1"\.rsync_args: /);
  }
  t.deepEqual(await readdir(b.src), ['f'], 'the source keeps its files');
  t.deepEqual(await readdir(await mountpoint(`${b.pool.name}/h1`)), []);
});

test.serial('a job dataset inside another job\'s is refused (78) naming both, and nothing is pulled', async (t) => {
  const b = await bed(t);
  const innerSrc = join(b.pool.dir, 'inner-src');
  await mkdir(innerSrc);
  await writeFile(join(innerSrc, 'inner-file'), 'i');
  await writeFile(join(b.src, 'outer-file'), 'o');
  const outer = { name: 'outer', dataset: `${b.pool.name}/outer` };
  const inner = { name: 'inner', dataset: `${b.pool.name}/outer/inner`, source: `${innerSrc}/` };
  await b.jobs(outer);
  await init(t, b);
  await b.jobs(inner);
  await init(t, b);
  await b.jobs(outer, inner);
  for (const args of [['configtest'], ['run', '--all', '--now', night(0)], ['init']]) {
    const r = await zbk([...args, '--config', b.config]);
    t.is(r.exitCode, 78, `${args[0]}: ${r.stdout}${r.stderr}`);
    t.regex(r.stderr, new RegExp(`job "inner"\\.dataset: ${b.pool.name}/outer/inner of job "inner" is inside ${b.pool.name}/outer of job "outer"`));
  }
  t.deepEqual(await readdir(await mountpoint(inner.dataset)), []);
  t.deepEqual(await readdir(await mountpoint(outer.dataset)), ['inner']);
  t.deepEqual(await snapshots(outer.dataset), []);
});

test.serial('a config its group or others can write is refused (78), naming the file and its mode; nothing runs', async (t) => {
  const b = await bed(t);
  const marker = join(b.pool.dir, 'hook-ran');
  await b.jobs({ name: 'h1', pre_hook: `touch ${marker}` });
  await init(t, b);
  for (const mode of [0o664, 0o666]) {
    await chmod(b.config, mode);
    for (const args of [['configtest'], ['run', '--now', night(0)], ['list']]) {
      const r = await zbk([...args, '--config', b.config]);
      t.is(r.exitCode, 78, `${args[0]}: ${r.stderr}`);
      t.regex(r.stderr, new RegExp(`${b.config}: the config is writable by (its group|others) \\(mode 0${mode.toString(8)}\\)`));
    }
  }
  await chmod(b.config, 0o644);
  t.deepEqual(await readdir(b.pool.dir).then((names) => names.includes('hook-ran')), false, 'the hook never ran');
  t.deepEqual(await snapshots(`${b.pool.name}/h1`), []);
  const ok = await zbk(['run', '--config', b.config, '--now', night(0)]);
  t.is(ok.exitCode, 0, ok.stderr);
});

test.serial('a password_file others can read fails that job (and configtest), not the others', async (t) => {
  const b = await bed(t);
  const share = join(b.pool.dir, 'share');
  await mkdir(share);
  await writeFile(join(share, 'doc'), 'd');
  await writeFile(join(b.src, 'f'), 'f');
  const daemon = await startRsyncd(t, share, 'share');
  const secret = join(b.pool.dir, 'share.secret');
  await copyFile(daemon.passwordFile, secret);
  await chmod(secret, 0o640);
  await b.jobs({ name: 'nas', source: daemon.url, password_file: secret }, { name: 'local' });
  await init(t, b);

  const check = await zbk(['configtest', '--config', b.config]);
  t.is(check.exitCode, 78);
  t.regex(check.stderr, new RegExp(`job nas: password_file ${secret} is readable by its group \\(mode 0640\\): run `));
  const r = await zbk(['run', '--all', '--config', b.config, '--now', night(0)]);
  t.is(r.exitCode, 2, r.stdout + r.stderr);
  t.regex(unwrap(r.stdout) + r.stderr, new RegExp(`password_file ${secret} is readable by its group \\(mode 0640\\)`));
  t.deepEqual(await snapshots(`${b.pool.name}/nas`), [], 'the job failed: no pull, no snapshot');
  t.deepEqual(await snapshots(`${b.pool.name}/local`), ['zbk_2026-03-01T030000Z'], 'the other job ran');

  await chmod(secret, 0o600);
  const again = await zbk(['run', '--all', '--config', b.config, '--now', night(1)]);
  t.is(again.exitCode, 0, again.stdout + again.stderr);
  t.deepEqual(await readdir(await mountpoint(`${b.pool.name}/nas`)), ['doc']);
});

/**
 * Pulls `remote` (a directory holding the file "it") over ssh from a real sshd, with the
 * job's known_hosts at `knownHosts` (the sshd's file copied there) or the sshd's own.
 */
async function pullOverSsh(t: ExecutionContext, remoteName: string, knownHostsName: string | null, env: Record<string, string> = {}): Promise<void> {
  const sshd = await startSshd(t);
  const b = await bed(t);
  const remote = join(b.pool.dir, remoteName);
  await mkdir(remote);
  await writeFile(join(remote, 'it'), 'pulled');
  let knownHosts = sshd.knownHosts;
  if (knownHostsName !== null) {
    knownHosts = join(b.pool.dir, knownHostsName);
    await mkdir(dirname(knownHosts), { recursive: true });
    await copyFile(sshd.knownHosts, knownHosts);
  }
  await b.jobs({ name: 'vds', source: `root@127.0.0.1:${remote}`, ssh_key: sshd.key, ssh_port: sshd.port, known_hosts: knownHosts });
  await init(t, b);
  const r = await zbk(['run', '--config', b.config, '--now', night(0)], { env });
  t.is(r.exitCode, 0, r.stdout + r.stderr);
  t.deepEqual(await readdir(await mountpoint(`${b.pool.name}/vds`)), ['it']);
}

test.serial('ssh: a known_hosts path with a space is one file for ssh', async (t) => {
  await pullOverSsh(t, 'remote', 'ssh files/known hosts');
});

test.serial('ssh: a remote path with spaces and $ stays literal, also with RSYNC_OLD_ARGS=1 (as rsync before 3.2.4 does)', async (t) => {
  await pullOverSsh(t, 'remote $HOME dir', null, { RSYNC_OLD_ARGS: '1' });
});
