/**
 * PREFIX and LOCALBASE: `make install` into a temporary PREFIX, with another LOCALBASE and
 * DBDIR (DESTDIR empty, so that the installed tree is at its final place and runs as it
 * will), then the installed zbk, periodic script, rc.d script, samples and manual pages are
 * read and run: nothing assumes /usr/local, zbk reads PREFIX/etc/zbk.toml by default, and the
 * wrapper finds rsync under LOCALBASE.
 */
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from '../helpers/zfs-test.js';
import { execa } from 'execa';
import { ROOT } from '../helpers/cli.js';
import { makeEnv, treeOf } from './source-tree.js';

let dir = '';
let prefix = '';
let localbase = '';

const read = (path: string) => readFile(join(prefix, path), 'utf8');
/** The environment of cron(8) or rc(8): the base system's PATH, no ZBK_CONFIG. */
const baseEnv = { PATH: '/usr/bin:/bin', LC_ALL: 'C' };

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zbk-prefix-'));
  prefix = join(dir, 'opt/zbk');
  localbase = join(dir, 'lb');
  const r = await execa('make', ['-C', ROOT, 'install', 'DESTDIR=', `PREFIX=${prefix}`, `LOCALBASE=${localbase}`, `DBDIR=${join(dir, 'var/db/zbk')}`], { env: makeEnv(), extendEnv: false, reject: false, all: true });
  if (r.exitCode !== 0) throw new Error(`make install failed (${r.exitCode}):\n${r.all}`);
});

test.after.always(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test.serial('nothing installed but the bundle says /usr/local: scripts, wrapper, samples and pages name PREFIX or LOCALBASE', async (t) => {
  const tree = await treeOf(prefix);
  const files = Object.keys(tree).filter((p) => !tree[p]!.endsWith(' dir') && !p.startsWith('libexec/'));
  t.is(files.length, 8, files.join(', '));
  for (const path of files) t.false((await read(path)).includes('/usr/local'), `${path} does not say /usr/local`);
  t.regex(await read('etc/rc.d/zbk'), new RegExp(`^: "\\$\\{zbk_config:=${prefix}/etc/zbk\\.toml\\}"$`, 'm'));
  t.regex(await read('etc/rc.d/zbk'), new RegExp(`^zbk_bin="${prefix}/sbin/zbk"$`, 'm'));
  t.regex(await read('etc/periodic/daily/410.zbk'), new RegExp(`daily_zbk_program:=${prefix}/sbin/zbk\\}`));
  const zbk8 = await read('share/man/man8/zbk.8');
  t.true(zbk8.includes(`.Pa ${prefix}/etc/zbk.toml`));
  t.true(zbk8.includes(`.It Pa ${prefix}/libexec/zbk/zbk.mjs`));
  t.true((await read('share/man/man5/zbk.toml.5')).includes(`.Pa ${localbase}/sbin/zfs .`), 'the openzfs port is under LOCALBASE');
  t.regex(await read('etc/zbk.toml.sample'), new RegExp(`Copy this file to ${prefix}/etc/zbk\\.toml`));
  const lint = await execa('mandoc', ['-Tlint', '-W', 'warning', join(prefix, 'share/man/man8/zbk.8'), join(prefix, 'share/man/man5/zbk.toml.5')], { reject: false });
  t.is(`${lint.stdout}${lint.stderr}`, '', 'the installed pages are clean too');
});

test.serial('the installed zbk reads PREFIX/etc/zbk.toml when no --config is given', async (t) => {
  await writeFile(join(prefix, 'etc/zbk.toml'), `[zbk]\nstate_dir = "${join(dir, 'state')}"\n`);
  t.teardown(() => rm(join(prefix, 'etc/zbk.toml'), { force: true }));
  const r = await execa(join(prefix, 'sbin/zbk'), ['configtest'], { env: baseEnv, extendEnv: false, reject: false });
  t.is(r.exitCode, 0, r.stderr);
  t.is(r.stdout.trim().split(':')[0], join(prefix, 'etc/zbk.toml'));
  await rm(join(prefix, 'etc/zbk.toml'));
  const missing = await execa(join(prefix, 'sbin/zbk'), ['configtest'], { env: baseEnv, extendEnv: false, reject: false });
  t.is(missing.exitCode, 78);
  t.true(missing.stderr.includes(`${prefix}/etc/zbk.toml: no such file`), missing.stderr);
});

test.serial('the installed periodic script runs the installed zbk on PREFIX/etc/zbk.toml', async (t) => {
  await writeFile(join(prefix, 'etc/zbk.toml'), '[zbk]\ndestroy_batch = "many"\n');
  t.teardown(() => rm(join(prefix, 'etc/zbk.toml'), { force: true }));
  const r = await execa('dash', [join(prefix, 'etc/periodic/daily/410.zbk')], {
    env: { ...baseEnv, daily_zbk_enable: 'YES' },
    extendEnv: false,
    reject: false,
    all: true,
  });
  t.is(r.exitCode, 2, r.all);
  t.true((r.all ?? '').includes(`${prefix}/etc/zbk.toml:2: zbk.destroy_batch`), r.all);
  t.regex(r.all ?? '', /zbk run: configuration error/);
});

test.serial('the wrapper adds LOCALBASE/bin and sbin after the PATH it is given, once, and so finds rsync there', async (t) => {
  // NODE= points the wrapper at a probe that reports what zbk would see.
  const probe = join(dir, 'probe');
  await writeFile(probe, '#!/bin/sh\necho "PATH=$PATH"\necho "rsync=$(command -v rsync)"\n');
  await chmod(probe, 0o755);
  const wrapper = join(prefix, 'sbin/zbk');
  const base = await execa(wrapper, [], { env: { ...baseEnv, NODE: probe }, extendEnv: false });
  t.true(base.stdout.includes(`PATH=/usr/bin:/bin:${localbase}/bin:${localbase}/sbin\n`), base.stdout);
  const again = await execa(wrapper, [], { env: { PATH: `/usr/bin:/bin:${localbase}/bin:${localbase}/sbin`, NODE: probe }, extendEnv: false });
  t.true(again.stdout.includes(`PATH=/usr/bin:/bin:${localbase}/bin:${localbase}/sbin\n`), 'not added twice');
  // A PATH without the system's rsync (only realpath, which the wrapper needs), and rsync
  // installed under LOCALBASE, as the rsync package puts it.
  const only = join(dir, 'only-realpath');
  await mkdir(only, { recursive: true });
  await symlink((await execa('sh', ['-c', 'command -v realpath'])).stdout, join(only, 'realpath'));
  await mkdir(join(localbase, 'bin'), { recursive: true });
  await symlink((await execa('sh', ['-c', 'command -v rsync'])).stdout, join(localbase, 'bin/rsync'));
  const found = await execa(wrapper, [], { env: { PATH: only, NODE: probe }, extendEnv: false });
  t.true(found.stdout.includes(`rsync=${localbase}/bin/rsync`), found.stdout);
});
