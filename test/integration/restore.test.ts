/**
 * `zbk restore` on a real zfs-fuse pool: three nights of two jobs, `loc` (a local source) and
 * `vds` (root@127.0.0.1 over the loopback sshd), with owners by number (1234), modes, mtimes,
 * a hard link, a symlink and a file named `-n`. Each restore goes through a clone view (zfs-fuse
 * has no .zfs/snapshot), and none is left behind.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, lchown, lstat, mkdir, open, readdir, readFile, readlink, rm, symlink, link, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from '../helpers/zfs-test.js';
import { execa } from 'execa';
import { CLI, zbk } from '../helpers/cli.js';
import { bedForFile } from '../helpers/bed.js';
import { makePool, sh, type TestPool } from '../helpers/pool.js';
import { startSshd, type TestSshd } from '../helpers/sshd.js';

const night = (n: number) => `2026-03-0${n}T03:00:00Z`;
const snap = (n: number) => `zbk_2026-03-0${n}T030000Z`;
const stamp = (n: number, minutes: number) => new Date(Date.parse(night(n)) - minutes * 60_000);

interface Bed {
  pool: TestPool;
  sshd: TestSshd;
  config: string;
  state: string;
  loc: string;
  host: string;
  /** Each tree as it was at night 2. */
  atNight2: { loc: Listing; host: Listing };
}

/** A tree on a night: the same in both sources. */
async function grow(dir: string, n: number, big: Buffer): Promise<void> {
  const put = async (path: string, data: string | Buffer, minutes = 60) => {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), data);
    await utimes(join(dir, path), stamp(n, minutes), stamp(n, minutes));
  };
  if (n === 1) {
    await put('etc/rc.conf', 'hostname="one"\n');
    await put('etc/secret', 'pass\n');
    await chown(join(dir, 'etc/secret'), 1234, 2345);
    await chmod(join(dir, 'etc/secret'), 0o600);
    await put('data/big.bin', big);
    await link(join(dir, 'data/big.bin'), join(dir, 'data/big.link'));
    await put('www/index.html', '<h1>one</h1>\n');
    await put('www/-n', 'a file named -n\n');
    await symlink('index.html', join(dir, 'www/current'));
    await lchown(join(dir, 'www/current'), 1234, 1234);
    await chown(join(dir, 'www'), 1234, 1234);
    await chmod(join(dir, 'www'), 0o750);
  } else if (n === 2) {
    await put('etc/rc.conf', 'hostname="two"\nsshd_enable="YES"\n', 30);
    const f = await open(join(dir, 'data/big.bin'), 'r+');
    await f.write(Buffer.from('night two'), 0, 9, 4096);
    await f.close();
    await utimes(join(dir, 'data/big.bin'), stamp(2, 20), stamp(2, 20));
  } else {
    await put('etc/rc.conf', 'hostname="three"\n', 10);
    await chown(join(dir, 'etc/secret'), 0, 0);
    await chmod(join(dir, 'etc/secret'), 0o644);
    await rm(join(dir, 'www/index.html'));
    await put('www/extra.txt', 'new on night 3\n', 10);
    await rm(join(dir, 'data/big.link'));
    await writeFile(join(dir, 'data/big.link'), await readFile(join(dir, 'data/big.bin')));
    await symlink('/etc', join(dir, 'evil'));
  }
  // Directory times last: the entries above changed them.
  for (const d of ['', 'etc', 'data', 'www']) await utimes(join(dir, d), stamp(n, 5), stamp(n, 5));
}

interface Entry { type: string; mode: number; uid: number; gid: number; size: number | null; mtime: number; sha256: string | null; target: string | null; links: string | null }
type Listing = Record<string, Entry>;

/** Every entry under `dir` (not `dir` itself) with its metadata; hard links as the group of paths sharing an inode. */
async function listing(dir: string): Promise<Listing> {
  const out: Listing = {};
  const inodes = new Map<number, string[]>();
  const walk = async (rel: string) => {
    for (const name of (await readdir(join(dir, rel))).sort()) {
      const path = rel === '' ? name : `${rel}/${name}`;
      const st = await lstat(join(dir, path));
      const type = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : 'other';
      out[path] = {
        type, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, size: st.isDirectory() ? null : st.size,
        mtime: Math.floor(st.mtimeMs / 1000), sha256: st.isFile() ? createHash('sha256').update(await readFile(join(dir, path))).digest('hex') : null,
        target: st.isSymbolicLink() ? await readlink(join(dir, path)) : null, links: null,
      };
      if (st.isFile() && st.nlink > 1) inodes.set(st.ino, [...(inodes.get(st.ino) ?? []), path]);
      if (st.isDirectory()) await walk(path);
    }
  };
  await walk('');
  for (const paths of inodes.values()) for (const p of paths) out[p]!.links = paths.join(' ');
  return out;
}

const only = (l: Listing, tops: readonly string[]): Listing =>
  Object.fromEntries(Object.entries(l).filter(([p]) => tops.some((t) => p === t || p.startsWith(`${t}/`))));

const views = async (pool: TestPool) =>
  (await sh('zfs', ['list', '-H', '-o', 'name', '-r', pool.name])).stdout.split('\n').filter((n) => n.includes('zbk-view'));

// One bed for the file (bed.ts): built before the tests, rebuilt after a wedged zfs-fuse.
const bed = bedForFile(async (t): Promise<Bed> => {
  const sshd = await startSshd(t);
  const pool = await makePool(t);
  const loc = join(pool.dir, 'loc');
  const host = join(pool.dir, 'host');
  const state = join(pool.dir, 'state');
  const config = join(pool.dir, 'zbk.toml');
  await mkdir(loc);
  await mkdir(host);
  await writeFile(config, [
    '[zbk]', 'timezone = "UTC"', `state_dir = ${JSON.stringify(state)}`, '',
    '[[job]]', 'name = "loc"', `dataset = "${pool.name}/loc"`, `source = ${JSON.stringify(`${loc}/`)}`, 'exclude = ["/skip/"]', '',
    '[[job]]', 'name = "vds"', `dataset = "${pool.name}/vds"`, `source = "root@127.0.0.1:${host}/"`,
    `ssh_key = ${JSON.stringify(sshd.key)}`, `ssh_port = ${sshd.port}`, `known_hosts = ${JSON.stringify(sshd.knownHosts)}`, 'rsync_args = ["-z", "--inplace"]', '',
  ].join('\n'));
  const init = await zbk(['init', '--config', config]);
  if (init.exitCode !== 0) throw new Error(`zbk init: ${init.stderr}`);
  const big = randomBytes(200_000);
  let atNight2: Bed['atNight2'] | undefined;
  for (let n = 1; n <= 3; n++) {
    await grow(loc, n, big);
    await grow(host, n, big);
    const r = await zbk(['run', '--config', config, '--now', night(n)]);
    if (r.exitCode !== 0) throw new Error(`zbk run night ${n}: exit ${r.exitCode}: ${r.stdout}${r.stderr}`);
    if (n === 2) atNight2 = { loc: await listing(loc), host: await listing(host) };
  }
  return { pool, sshd, config, state, loc, host, atNight2: atNight2! };
});

const restore = (b: Bed, ...args: string[]) => zbk(['restore', '--config', b.config, ...args]);

test.serial('--to DIR: byte-identical files with owners by number, modes, mtimes, a hard link, a symlink, laid out as the source directory', async (t) => {
  const b = await bed();
  const out = join(b.pool.dir, 'out');
  const r = await restore(b, '--job', 'loc', '--at', '2026-03-02T12:00:00Z', 'etc', 'data', `${b.loc}/www`, '--to', out);
  t.is(r.exitCode, 0, r.stderr);
  t.regex(r.stdout, new RegExp(`^job loc: restore from ${snap(2)} \\(the newest at or before 2026-03-02T12:00:00Z\\) into ${out}: \\d+ changes$`, 'm'));
  t.regex(r.stdout, new RegExp(`^created +${b.loc}/www/-n$`, 'm'));
  const got = await listing(out);
  t.deepEqual(got, only(b.atNight2.loc, ['etc', 'data', 'www']));
  t.is(got['etc/secret']!.uid, 1234);
  t.is(got['etc/secret']!.mode, 0o600);
  t.is(got['data/big.bin']!.links, 'data/big.bin data/big.link');
  t.deepEqual(await views(b.pool), []);
  const again = await restore(b, '--job', 'loc', '--at', snap(2), 'etc', 'data', 'www', '--to', out, '--format', 'json');
  t.is(again.exitCode, 0, again.stderr);
  t.deepEqual((JSON.parse(again.stdout) as { changes: unknown[] }).changes, [], 'a second restore changes nothing');
});

test.serial('--to-source --dry-run over ssh: lists what would change on the host (deletions only with --delete) and changes nothing', async (t) => {
  const b = await bed();
  const before = await listing(b.host);
  const r = await restore(b, '--job', 'vds', '--at', snap(2), '--to-source', '--dry-run', '--format', 'json', 'etc', 'www', 'data');
  t.is(r.exitCode, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { job: string; at: string; snapshot: string; to: string; destination: string; dryRun: boolean; delete: boolean; changes: { path: string; change: string }[]; leftOut: { arg: string; why: string }[] };
  t.like(j, { job: 'vds', at: snap(2), snapshot: snap(2), to: 'source', destination: `root@127.0.0.1:${b.host}/`, dryRun: true, delete: false });
  const changes = j.changes.map((c) => `${c.change} ${c.path.slice(b.host.length + 1)}`);
  for (const c of ['updated etc/rc.conf', 'updated etc/secret', 'created www/index.html', 'updated data/big.link']) t.true(changes.includes(c), `${c} in ${changes.join(', ')}`);
  t.false(changes.some((c) => c.startsWith('deleted')), changes.join(', '));
  t.deepEqual(j.leftOut.map((d) => d.arg), ['--inplace']);
  t.regex(r.stderr, /the job's rsync_args "--inplace" left out: /);
  const withDelete = await restore(b, '--job', 'vds', '--at', snap(2), '--to-source', '--dry-run', '--delete', 'etc', 'www');
  t.is(withDelete.exitCode, 0, withDelete.stderr);
  t.regex(withDelete.stdout, /changes would be made \(dry run: nothing was changed\)$/m);
  t.regex(withDelete.stdout, new RegExp(`^deleted +${b.host}/www/extra\\.txt$`, 'm'));
  t.deepEqual(await listing(b.host), before, 'the host is as it was');
  t.deepEqual(await views(b.pool), []);
});

test.serial('--to-source over ssh: the host gets PATH back byte-identical with owners, modes and hard links; --delete is needed to delete', async (t) => {
  const b = await bed();
  const r = await restore(b, '--job', 'vds', '--at', snap(2), '--to-source', 'etc', 'www', 'data');
  t.is(r.exitCode, 0, r.stderr);
  t.regex(r.stdout, new RegExp(`^job vds: restore from ${snap(2)} onto root@127\\.0\\.0\\.1:${b.host}/: \\d+ changes$`, 'm'));
  t.true(existsSync(join(b.host, 'www/extra.txt')), 'not deleted without --delete');
  const del = await restore(b, '--job', 'vds', '--at', snap(2), '--to-source', '--delete', 'www');
  t.is(del.exitCode, 0, del.stderr);
  t.regex(del.stdout, new RegExp(`^deleted +${b.host}/www/extra\\.txt$`, 'm'));
  const got = await listing(b.host);
  t.deepEqual(only(got, ['etc', 'data', 'www']), only(b.atNight2.host, ['etc', 'data', 'www']));
  t.like(got['etc/secret'], { uid: 1234, gid: 2345, mode: 0o600 });
  t.is(got['data/big.bin']!.links, 'data/big.bin data/big.link');
  t.is(got.evil?.type, 'symlink', 'what PATH does not cover stays');
  t.deepEqual(await views(b.pool), []);
});

test.serial('--to-source of a local source: the local path; a PATH named -n is a file, never an option', async (t) => {
  const b = await bed();
  const r = await restore(b, '--job', 'loc', '--at', snap(1), '--to-source', `${b.loc}/etc/rc.conf`, 'www/-n');
  t.is(r.exitCode, 0, r.stderr);
  t.is(await readFile(join(b.loc, 'etc/rc.conf'), 'utf8'), 'hostname="one"\n');
  t.is(await readFile(join(b.loc, 'www/-n'), 'utf8'), 'a file named -n\n');
});

test.serial('refused (64), nothing written and no view left: a symlink on the way, a path not in the snapshot, DIR inside the dataset or state_dir or shared, the whole source unsaid, a bad --at', async (t) => {
  const b = await bed();
  const mnt = join(b.pool.mountpoint, 'loc');
  const out = join(b.pool.dir, 'refused');
  const before = await listing(b.host);
  const cases: Array<[string[], RegExp]> = [
    [['--job', 'vds', '--at', snap(3), 'evil/passwd', '--to', out], new RegExp(`"${b.host}/evil/passwd": ${b.host}/evil is a symlink in ${snap(3)}; name the path the link points to instead`)],
    [['--job', 'vds', '--at', snap(1), 'www/extra.txt', '--to', out], new RegExp(`"${b.host}/www/extra.txt" does not exist in ${snap(1)}`)],
    [['--job', 'loc', '--at', snap(1), 'etc', '--to', join(mnt, 'x')], new RegExp(`--to ".*" is inside the mountpoint of ${b.pool.name}/loc`)],
    [['--job', 'loc', '--at', snap(1), 'etc', '--to', join(b.state, 'views')], /is inside the job's state_dir/],
    [['--job', 'vds', '--at', snap(1), 'etc', '--to', '/tmp'], /--to "\/tmp" is writable by others than its owner/],
    [['--job', 'vds', '--at', snap(1), '.', '--to', out], /is the whole source directory .*, said indirectly: to restore all of it, write /],
    [['--job', 'vds', '--at', snap(1), b.host, '--to-source'], /needs --whole-source/],
    [['--job', 'vds', '--at', snap(1), '../../../../../../../etc/shadow', '--to-source'], /climbs above \/ with \.\./],
    [['--job', 'vds', '--at', snap(1), '../../etc/shadow', '--to-source'], /is not under the job's source directory .* \(a relative path is taken from there\)/],
    [['--job', 'vds', '--at', snap(1), '/etc/shadow', '--to-source'], /is not under the job's source directory/],
    [['--job', 'vds', '--at', '2026-01-01T00:00:00Z', 'etc', '--to-source'], /--at: no zbk_ snapshot at or before 2026-01-01T00:00:00Z/],
    [['--job', 'vds', '--at', 'yesterday', 'etc', '--to-source'], /--at: "yesterday" is neither a snapshot/],
    [['--job', 'vds', '--at', snap(1), 'etc', '-n', '--to-source'], /Unknown argument: n/],
  ];
  for (const [args, re] of cases) {
    const r = await restore(b, ...args);
    t.is(r.exitCode, 64, `${args.join(' ')}: ${r.stderr}`);
    t.regex(r.stderr, re, args.join(' '));
    t.is(r.stdout, '', args.join(' '));
  }
  t.false(existsSync(out));
  t.false(existsSync(join(mnt, 'x')));
  t.deepEqual(await listing(b.host), before);
  t.deepEqual(await views(b.pool), []);
});

test.serial('the job\'s lock: a restore onto the host while the job runs is refused (75); a dry run or a restore --to DIR goes ahead', async (t) => {
  const b = await bed();
  const slow = join(b.pool.dir, 'slow.toml');
  await writeFile(slow, `${await readFile(b.config, 'utf8')}pre_hook = "sleep 4"\n`);
  const run = execa(process.execPath, [CLI, 'run', '--config', slow, '--job', 'vds', '--now', night(4)], { reject: false, env: { LC_ALL: 'C' } });
  const lockFile = join(b.state, 'locks', 'vds.lock');
  for (let i = 0; i < 100 && !existsSync(lockFile); i++) await new Promise((r) => setTimeout(r, 50));
  t.true(existsSync(lockFile), 'the run holds the lock');
  const locked = await restore(b, '--job', 'vds', '--at', snap(2), 'etc', '--to-source');
  t.is(locked.exitCode, 75, locked.stderr);
  t.regex(locked.stderr, /^zbk: restore: job vds is locked by pid \d+/m);
  const dry = await restore(b, '--job', 'vds', '--at', snap(2), 'etc', '--to-source', '--dry-run');
  t.is(dry.exitCode, 0, dry.stderr);
  const dir = await restore(b, '--job', 'vds', '--at', snap(2), 'etc', '--to', join(b.pool.dir, 'while-locked'));
  t.is(dir.exitCode, 0, dir.stderr);
  t.is((await run).exitCode, 0);
  t.deepEqual(await views(b.pool), []);
});

test.serial('SIGTERM mid-restore: rsync\'s group is stopped, the view destroyed, exit 143', async (t) => {
  const b = await bed();
  const slow = join(b.pool.dir, 'slow-rsync.toml');
  await writeFile(slow, (await readFile(b.config, 'utf8')).replace('exclude = ["/skip/"]', 'exclude = ["/skip/"]\nrsync_args = ["--bwlimit=20"]'));
  const out = join(b.pool.dir, 'interrupted');
  const child = execa(process.execPath, [CLI, 'restore', '--config', slow, '--job', 'loc', '--at', snap(2), 'data', '--to', out], { reject: false, env: { LC_ALL: 'C' } });
  const clone = async () => (await views(b.pool)).length > 0;
  for (let i = 0; i < 100 && !(await clone()); i++) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 500));
  child.kill('SIGTERM');
  const r = await child;
  t.is(r.exitCode, 143, r.stderr);
  t.deepEqual(await views(b.pool), []);
  const ps = await execa('ps', ['-eo', 'args'], { reject: false });
  t.false(ps.stdout.includes(out), 'no rsync of the restore runs on');
});
