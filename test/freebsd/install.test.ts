/**
 * `make install` / `make uninstall` (scripts/install.sh) into a DESTDIR: the FreeBSD layout, with
 * modes; the installed zbk runs (version, configtest of the installed sample); uninstall removes
 * exactly what install laid out and leaves the admin's files. And the port: its pkg-plist lists
 * exactly that tree, and its Makefile follows package.json and installs each of those files.
 */
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import test from '../helpers/zfs-test.js';
import { execa } from 'execa';
import { ROOT } from '../helpers/cli.js';

const PREFIX = '/usr/local';
const PORT = `${ROOT}ports/sysutils/zbk`;

/** What install.sh lays out under DESTDIR, with modes. */
const LAYOUT: Record<string, number> = {
  'usr/local/libexec/zbk/zbk.cjs': 0o644,
  'usr/local/libexec/zbk/zbk.mjs': 0o644,
  'usr/local/libexec/zbk/zbk.js': 0o644,
  'usr/local/libexec/zbk/zbk.js.cache': 0o644,
  'usr/local/libexec/zbk/THIRD-PARTY-NOTICES': 0o644,
  'usr/local/libexec/zbk/zbk-receive': 0o555,
  'usr/local/sbin/zbk': 0o555,
  'usr/local/etc/rc.d/zbk': 0o555,
  'usr/local/etc/periodic/daily/410.zbk': 0o555,
  'usr/local/share/man/man8/zbk.8': 0o444,
  'usr/local/share/man/man5/zbk.toml.5': 0o444,
  'usr/local/etc/zbk.toml.sample': 0o644,
  'usr/local/etc/syslog.d/zbk.conf.sample': 0o644,
  'usr/local/etc/newsyslog.conf.d/zbk.conf.sample': 0o644,
};

let destdir = '';

async function files(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isDirectory()) out.push(relative(root, join(entry.parentPath, entry.name)));
  }
  return out.sort();
}

const make = (...args: string[]) => execa('make', ['-C', ROOT, ...args], { reject: false, all: true, env: { LC_ALL: 'C' } });

test.before(async () => {
  destdir = await mkdtemp(join(tmpdir(), 'zbk-install-'));
  const r = await make('install', `DESTDIR=${destdir}`, `PREFIX=${PREFIX}`);
  if (r.exitCode !== 0) throw new Error(`make install failed (${r.exitCode}):\n${r.all}`);
});

test.after.always(async () => {
  if (destdir) await rm(destdir, { recursive: true, force: true });
});

test.serial('scripts/install.sh is clean under shellcheck -s sh', async (t) => {
  const r = await execa('shellcheck', ['-s', 'sh', `${ROOT}scripts/install.sh`], { reject: false });
  t.is(r.stdout, '');
  t.is(r.exitCode, 0);
});

test.serial('make install lays out the FreeBSD tree with its modes, and /var/db/zbk mode 700', async (t) => {
  t.deepEqual(await files(destdir), Object.keys(LAYOUT).sort());
  for (const [path, mode] of Object.entries(LAYOUT)) {
    t.is((await lstat(join(destdir, path))).mode & 0o7777, mode, `mode of ${path}`);
  }
  const state = await lstat(join(destdir, 'var/db/zbk'));
  t.true(state.isDirectory());
  t.is(state.mode & 0o7777, 0o700);
});

test.serial('the installed scripts have %%PREFIX%% replaced and stay clean under shellcheck', async (t) => {
  for (const path of ['usr/local/etc/rc.d/zbk', 'usr/local/etc/periodic/daily/410.zbk', 'usr/local/sbin/zbk']) {
    const text = await readFile(join(destdir, path), 'utf8');
    t.false(text.includes('%%'), `${path} has no %%...%% left`);
    const r = await execa('shellcheck', ['-s', 'sh', join(destdir, path)], { reject: false });
    t.is(r.stdout, '', path);
  }
  t.regex(await readFile(join(destdir, 'usr/local/etc/rc.d/zbk'), 'utf8'), /^zbk_bin="\/usr\/local\/sbin\/zbk"$/m);
  t.regex(await readFile(join(destdir, 'usr/local/etc/periodic/daily/410.zbk'), 'utf8'), /daily_zbk_program:=\/usr\/local\/sbin\/zbk\}/);
  t.regex(await readFile(join(destdir, 'usr/local/sbin/zbk'), 'utf8'), /^exec "\$\{NODE:-\/\S+\}" /m);
});

test.serial('the installed zbk prints the version of package.json and accepts the installed sample', async (t) => {
  const { version } = JSON.parse(await readFile(`${ROOT}package.json`, 'utf8')) as { version: string };
  const zbk = join(destdir, 'usr/local/sbin/zbk');
  const v = await execa(zbk, ['--version'], { reject: false });
  t.is(v.exitCode, 0, v.stderr);
  t.is(v.stdout.trim(), version);
  const c = await execa(zbk, ['configtest', '--config', join(destdir, 'usr/local/etc/zbk.toml.sample')], { reject: false, env: { ZBK_CONFIG: '' } });
  t.is(c.exitCode, 0, c.stderr);
  t.regex(c.stdout, /zbk\.toml\.sample: OK/);
});

test.serial('the installed cache is V8\'s code cache of the installed zbk.js, headed by a copy of it, and this node takes it', async (t) => {
  const libexec = join(destdir, 'usr/local/libexec/zbk');
  // In a node of its own: the cache holds V8's flags, and this test's process has others.
  const r = await execa(process.execPath, ['-e', `
    const { readFileSync } = require('node:fs');
    const { Script } = require('node:vm');
    const code = readFileSync(process.argv[1] + '/zbk.js');
    const cache = readFileSync(process.argv[1] + '/zbk.js.cache');
    const header = cache.toString('latin1', 0, cache.indexOf(10) + 1);
    const copy = cache.subarray(header.length, header.length + code.length);
    const script = new Script(code.toString(), { cachedData: cache.subarray(header.length + code.length) });
    console.log(header === code.length + '\\n', copy.equals(code), script.cachedDataRejected);`, libexec]);
  t.is(r.stdout, 'true true false');
});

test.serial('a zbk.js that is not the one its cache was made from runs as it is, even at the same length', async (t) => {
  // V8 alone takes a cache for any source of the same length and runs the cached code: an
  // edit in place, or a new zbk.js beside an old cache, would run the old program.
  const dir = await mkdtemp(join(tmpdir(), 'zbk-cache-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const libexec = join(destdir, 'usr/local/libexec/zbk');
  for (const name of ['zbk.cjs', 'zbk.mjs', 'zbk.js.cache']) await writeFile(join(dir, name), await readFile(join(libexec, name)));
  const { version } = JSON.parse(await readFile(`${ROOT}package.json`, 'utf8')) as { version: string };
  const code = await readFile(join(libexec, 'zbk.js'), 'utf8');
  const other = version.replace(/\d/g, (d) => String((Number(d) + 1) % 10));
  t.true(code.includes(`"${version}"`));
  await writeFile(join(dir, 'zbk.js'), code.replace(`"${version}"`, `"${other}"`));
  const edited = await execa(process.execPath, [join(dir, 'zbk.mjs'), '--version'], { reject: false });
  t.is(edited.stdout.trim(), other, edited.stderr);
  // A cache cut short or of another build: ignored the same way; and none at all is fine.
  await writeFile(join(dir, 'zbk.js.cache'), 'not a cache\n');
  const garbage = await execa(process.execPath, [join(dir, 'zbk.mjs'), '--version'], { reject: false });
  t.is(garbage.stdout.trim(), other, garbage.stderr);
  await rm(join(dir, 'zbk.js.cache'));
  const none = await execa(process.execPath, [join(dir, 'zbk.mjs'), '--version'], { reject: false });
  t.is(none.stdout.trim(), other, none.stderr);
});

test.serial('the wrapper runs through a symlink, and NODE= in the environment picks the node', async (t) => {
  const zbk = join(destdir, 'usr/local/sbin/zbk');
  const dir = await mkdtemp(join(tmpdir(), 'zbk-link-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await symlink(zbk, join(dir, 'zbk'));
  const linked = await execa(join(dir, 'zbk'), ['--version'], { reject: false });
  t.is(linked.exitCode, 0, linked.stderr);
  const other = await execa(zbk, ['--version'], { reject: false, env: { NODE: process.execPath } });
  t.is(other.exitCode, 0, other.stderr);
  const missing = await execa(zbk, ['--version'], { reject: false, env: { NODE: '/nonexistent/node' } });
  t.is(missing.exitCode, 127);
});

test.serial('pkg-plist lists exactly what install.sh installs (rc.d/zbk comes from USE_RC_SUBR)', async (t) => {
  const plist = (await readFile(`${PORT}/pkg-plist`, 'utf8')).split('\n').filter(Boolean);
  const listed: string[] = ['usr/local/etc/rc.d/zbk'];
  const dirs: string[] = [];
  for (const line of plist) {
    const dir = /^@dir(?:\([^)]*\))? (\/\S+)$/.exec(line);
    if (dir) {
      dirs.push(dir[1]!.slice(1));
      continue;
    }
    const file = /^(?:@sample )?(\S+)$/.exec(line);
    if (!file || file[1]!.startsWith('@')) {
      t.fail(`pkg-plist line not understood: ${line}`);
      continue;
    }
    // The ports framework gzips man pages in the stage directory.
    listed.push(`usr/local/${file[1]!.replace(/^(share\/man\/man\d\/.*)\.gz$/, '$1')}`);
  }
  t.deepEqual(listed.sort(), await files(destdir));
  t.deepEqual(dirs, ['var/db/zbk']);
  // zbk.toml.sample becomes zbk.toml at install (pkg removes it again if unchanged); the log
  // snippets stay samples that the admin enables, as zbk(8) says: nothing changes syslogd's
  // or newsyslog's configuration when the package is installed.
  t.deepEqual(plist.filter((l) => l.startsWith('@sample')), ['@sample etc/zbk.toml.sample']);
  t.true(plist.includes('etc/syslog.d/zbk.conf.sample'));
  t.true(plist.includes('etc/newsyslog.conf.d/zbk.conf.sample'));
});

test.serial('zbk(8) says what pkg-plist does: every file under etc/ in FILES, the log snippets as samples to copy', async (t) => {
  const plist = (await readFile(`${PORT}/pkg-plist`, 'utf8')).split('\n').filter(Boolean);
  const page = await readFile(`${ROOT}man/zbk.8`, 'utf8');
  const files = page.slice(page.indexOf('\n.Sh FILES\n'), page.indexOf('\n.Sh EXIT STATUS\n'));
  for (const line of plist.filter((l) => /^(@sample )?etc\//.test(l))) {
    const path = line.replace(/^@sample /, '');
    t.true(files.includes(`\n.It Pa ${PREFIX}/${path}\n`), `FILES has ${path}`);
  }
  const logging = page.slice(page.indexOf('To give the service a log file of its own'), page.indexOf('.Ss The daily periodic script'));
  t.regex(logging, /copy\n\.Pa \/usr\/local\/etc\/syslog\.d\/zbk\.conf\.sample\nand\n\.Pa \/usr\/local\/etc\/newsyslog\.conf\.d\/zbk\.conf\.sample\nto the same names without/);
  t.regex(logging, /installed as samples only/);
});

test.serial('the port follows package.json and installs every file of its pkg-plist', async (t) => {
  const makefile = await readFile(`${PORT}/Makefile`, 'utf8');
  const { version } = JSON.parse(await readFile(`${ROOT}package.json`, 'utf8')) as { version: string };
  t.regex(makefile, new RegExp(`^DISTVERSION=\\t${version.replaceAll('.', '\\.')}$`, 'm'));
  for (const line of ['PORTNAME=\tzbk', 'CATEGORIES=\tsysutils', 'USES=\t\tnodejs:build,run', 'USE_RC_SUBR=\tzbk', 'RUN_DEPENDS=\trsync:net/rsync']) {
    t.true(makefile.split('\n').includes(line), `Makefile has ${JSON.stringify(line)}`);
  }
  const doInstall = makefile.slice(makefile.indexOf('do-install:'));
  for (const path of Object.keys(LAYOUT)) {
    if (path.endsWith('/rc.d/zbk')) continue;
    const dest = path.replace(/^usr\/local\//, '');
    const [dir, name] = [dest.slice(0, dest.lastIndexOf('/')), dest.slice(dest.lastIndexOf('/') + 1)];
    t.true(doInstall.includes(`\${STAGEDIR}\${PREFIX}/${dir}`) && doInstall.includes(name), `do-install puts ${name} in ${dir}`);
  }
  t.regex(await readFile(`${PORT}/pkg-descr`, 'utf8'), /rsync --inplace/);
});

test.serial('make uninstall removes exactly what install laid out, and never the admin\'s config or state', async (t) => {
  await writeFile(join(destdir, 'usr/local/etc/zbk.toml'), '# the admin\'s\n');
  await mkdir(join(destdir, 'var/db/zbk'), { recursive: true });
  await writeFile(join(destdir, 'var/db/zbk/jobs.json'), '{}\n');
  const r = await make('uninstall', `DESTDIR=${destdir}`, `PREFIX=${PREFIX}`);
  t.is(r.exitCode, 0, r.all);
  t.deepEqual(await files(destdir), ['usr/local/etc/zbk.toml', 'var/db/zbk/jobs.json']);
  await rm(join(destdir, 'usr/local/etc/zbk.toml'));
  await rm(join(destdir, 'var/db/zbk/jobs.json'));
  const again = await make('uninstall', `DESTDIR=${destdir}`, `PREFIX=${PREFIX}`);
  t.is(again.exitCode, 0, again.all);
  t.deepEqual(await files(destdir), [], 'nothing but directories is left');
});
