/**
 * The port, ports/sysutils/zbk, as far as it can be checked without FreeBSD: its SUB_FILES are
 * the templates make install fills in, its LICENSE covers zbk and every package in the bundle,
 * its pkg-message gives the setup steps, and `make dist` makes the distfile it fetches: the
 * sources with the runtime node modules, from which the bundle builds offline under bmake.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from '../helpers/zfs-test.js';
import { execa } from 'execa';
import { ROOT } from '../helpers/cli.js';
import { makeEnv, tempDir } from './source-tree.js';

const PORT = `${ROOT}ports/sysutils/zbk`;
const SPDX_TO_PORTS: Record<string, string> = { 'BSD-2-Clause': 'BSD2CLAUSE', 'BSD-3-Clause': 'BSD3CLAUSE', MIT: 'MIT', ISC: 'ISCL', 'Apache-2.0': 'APACHE20' };

/** A variable of the port's Makefile, its continuation lines joined. */
async function portVar(name: string): Promise<string> {
  const text = (await readFile(`${PORT}/Makefile`, 'utf8')).replace(/\\\n\s*/g, ' ');
  const m = new RegExp(`^${name}=\\s*(.*)$`, 'm').exec(text);
  if (!m) throw new Error(`the port's Makefile has no ${name}=`);
  return m[1]!.trim();
}

const make = (args: string[], cwd = ROOT) => execa('make', ['-C', cwd, ...args], { env: makeEnv(), extendEnv: false, reject: false, all: true });

test.serial('SUB_FILES name files/*.in; the wrapper and periodic script are the templates make install fills in', async (t) => {
  const subFiles = (await portVar('SUB_FILES')).split(/\s+/);
  t.deepEqual(subFiles.sort(), ['410.zbk', 'pkg-message', 'zbk-wrapper']);
  const templates: Record<string, string> = { '410.zbk': 'periodic/daily/410.zbk', 'zbk-wrapper': 'sbin/zbk.in', zbk: 'rc.d/zbk' };
  const subList = new Set(['PREFIX', 'LOCALBASE', ...(await portVar('SUB_LIST')).split(/\s+/).map((kv) => kv.split('=')[0]!)]);
  for (const name of [...subFiles, 'zbk']) {
    const text = await readFile(`${PORT}/files/${name}.in`, 'utf8');
    if (templates[name]) t.is(text, await readFile(`${ROOT}${templates[name]}`, 'utf8'), `files/${name}.in is a copy of ${templates[name]}`);
    for (const [, token] of text.matchAll(/%%([A-Z_]+)%%/g)) t.true(subList.has(token!), `%%${token}%% of files/${name}.in is in SUB_LIST`);
  }
  const makefile = await readFile(`${PORT}/Makefile`, 'utf8');
  t.notRegex(makefile, /\$\{(PRINTF|SED|ECHO_CMD)\}/, 'no file written by hand in do-install');
  t.regex(makefile, /\$\{INSTALL_SCRIPT\} \$\{WRKDIR\}\/zbk-wrapper \$\{STAGEDIR\}\$\{PREFIX\}\/sbin\/zbk/);
  t.regex(makefile, /\$\{INSTALL_SCRIPT\} \$\{WRKDIR\}\/410\.zbk /);
});

test.serial('LICENSE names zbk\'s license and the license of every package whose code is in the bundle', async (t) => {
  const bundle = await make(['bundle']);
  t.is(bundle.exitCode, 0, bundle.all);
  const listed = await execa(process.execPath, ['scripts/bundled-licenses.mjs', 'build/zbk.meta.json'], { cwd: ROOT });
  const rows = listed.stdout.split('\n').map((l) => l.split('\t'));
  t.true(rows.some((r) => r[1] === 'yargs') && rows.some((r) => r[1] === 'smol-toml'), 'the bundle holds yargs and smol-toml');
  const own = JSON.parse(await readFile(`${ROOT}package.json`, 'utf8')).license as string;
  const needed = new Set<string>();
  for (const spdx of [own, ...rows.map((r) => r[3]!)]) {
    t.truthy(SPDX_TO_PORTS[spdx], `a ports name for ${spdx}`);
    needed.add(SPDX_TO_PORTS[spdx] ?? spdx);
  }
  const licenses = (await portVar('LICENSE')).split(/\s+/);
  t.deepEqual([...licenses].sort(), [...needed].sort());
  t.is(licenses[0], 'BSD2CLAUSE', 'zbk\'s own first');
  t.is(await portVar('LICENSE_COMB'), 'multi');
  for (const license of licenses) t.regex(await portVar(`LICENSE_FILE_${license}`), /^\$\{WRKSRC\}\/\S+$/);
  t.regex(await readFile(`${ROOT}LICENSE`, 'utf8'), /^BSD 2-Clause License\n\nCopyright \(c\) \d{4}, The zbk authors\n/);
  // The notices installed beside the bundle carry each package's own license text.
  const notices = await readFile(`${ROOT}build/THIRD-PARTY-NOTICES`, 'utf8');
  for (const [, name, version, spdx, file] of rows) {
    t.true(notices.includes(`\n${name} ${version} (${spdx})\n`), `THIRD-PARTY-NOTICES names ${name}`);
    t.true(notices.includes((await readFile(`${ROOT}${file}`, 'utf8')).trimEnd()), `and holds its license, ${file}`);
  }
});

test.serial('pkg-message is UCL for pkg(8) with the rc.conf, periodic.conf and syslog steps', async (t) => {
  const message = await readFile(`${PORT}/files/pkg-message.in`, 'utf8');
  t.regex(message, /^\[\n\{ type: install\n {2}message: <<EOM\n[\s\S]*\nEOM\n\}\n\]\n$/);
  for (const step of ['zbk.toml.sample %%PREFIX%%/etc/zbk.toml', 'sysrc zbk_enable=YES', 'service zbk start', 'daily_zbk_enable="YES"', 'daily_show_badconfig="YES"',
    'cp syslog.d/zbk.conf.sample syslog.d/zbk.conf', 'cp newsyslog.conf.d/zbk.conf.sample newsyslog.conf.d/zbk.conf', 'newsyslog -C', 'service syslogd reload']) {
    t.true(message.includes(step), step);
  }
});

test.serial('make dist makes the distfile the port fetches: sources, LICENSE_FILEs, runtime modules only', async (t) => {
  const r = await make(['dist']);
  t.is(r.exitCode, 0, r.all);
  const version = await portVar('DISTVERSION');
  t.is(version, JSON.parse(await readFile(`${ROOT}package.json`, 'utf8')).version);
  const tarball = `${ROOT}build/${await portVar('PORTNAME')}-${version}.tar.gz`;
  const entries = (await execa('tar', ['-tzf', tarball])).stdout.split('\n').filter(Boolean);
  const wrksrc = `zbk-${version}/`;
  t.true(entries.every((e) => e.startsWith(wrksrc)), 'everything under WRKSRC');
  const files = new Set(entries.map((e) => e.slice(wrksrc.length)));
  for (const license of (await portVar('LICENSE')).split(/\s+/)) {
    const path = (await portVar(`LICENSE_FILE_${license}`)).replace('${WRKSRC}/', '');
    t.true(files.has(path), `LICENSE_FILE_${license} (${path}) is in the distfile`);
  }
  // What do-install and post-patch read from WRKSRC, but what do-build makes in build/.
  const makefile = await readFile(`${PORT}/Makefile`, 'utf8');
  for (const [, path] of makefile.matchAll(/\$\{WRKSRC\}\/(\S+)/g)) {
    if (!path!.startsWith('build/')) t.true(files.has(path!), `${path} is in the distfile`);
  }
  for (const path of ['Makefile', 'package-lock.json', 'src/cli.ts', 'sbin/zbk.in', 'node_modules/yargs/package.json', 'node_modules/execa/package.json', 'node_modules/smol-toml/package.json']) {
    t.true(files.has(path), path);
  }
  const modules = new Set([...files].map((f) => /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1]).filter(Boolean));
  for (const dev of ['typescript', 'ava', 'esbuild', 'tsx', 'fast-check', '@types']) t.false(modules.has(dev), `no ${dev}: it is a devDependency`);
  t.deepEqual([...files].filter((f) => f.endsWith('.node') || f.startsWith('test/') || f.startsWith('dist/') || f.startsWith('build/')), [], 'no native addons, tests or build outputs');
});

test.serial('from the distfile, as the port builds it: bmake bundle with an outside esbuild, offline; post-patch fills in the pages', async (t) => {
  const version = await portVar('DISTVERSION');
  const dir = await tempDir(t, 'port-build');
  const tarball = `${ROOT}build/zbk-${version}.tar.gz`;
  const made = await make(['dist']);
  t.is(made.exitCode, 0, made.all);
  await mkdir(join(dir, 'work'));
  await execa('tar', ['-xzf', tarball, '-C', join(dir, 'work')]);
  const wrksrc = join(dir, 'work', `zbk-${version}`);
  // ALL_TARGET=bundle, MAKE_ARGS=ESBUILD=${LOCALBASE}/bin/esbuild: the esbuild of devel/esbuild.
  t.is(await portVar('ALL_TARGET'), 'bundle');
  t.is(await portVar('MAKE_ARGS'), 'ESBUILD=${LOCALBASE}/bin/esbuild');
  const esbuild = join(ROOT, 'node_modules/.bin/esbuild');
  const build = await execa('unshare', ['-n', 'bmake', '-C', wrksrc, 'bundle', `ESBUILD=${esbuild}`], { env: makeEnv(), extendEnv: false, reject: false, all: true });
  t.is(build.exitCode, 0, build.all);
  const v = await execa(process.execPath, [join(wrksrc, 'build/zbk.mjs'), '--version'], { reject: false });
  t.is(v.stdout.trim(), version, v.stderr);
  t.regex(await readFile(join(wrksrc, 'build/THIRD-PARTY-NOTICES'), 'utf8'), /\nyargs \d+\.\d+\.\d+ \(MIT\)\n/);
  // post-patch: REINPLACE_CMD -f scripts/doc-paths.sed -e PREFIX -e LOCALBASE on the pages and the sample.
  const docs = ['man/zbk.8', 'man/zbk.toml.5', 'etc/zbk.toml.sample'];
  const postPatch = (await readFile(`${PORT}/Makefile`, 'utf8')).split('\npost-patch:\n')[1]!.split('\n\n')[0]!.replace(/\s*\\\n\s*/g, ' ');
  t.is(postPatch.trim(), `@\${REINPLACE_CMD} -f \${WRKSRC}/scripts/doc-paths.sed -e 's|%%PREFIX%%|\${PREFIX}|g' -e 's|%%LOCALBASE%%|\${LOCALBASE}|g' ${docs.map((d) => `\${WRKSRC}/${d}`).join(' ')}`);
  const patched = await execa('sed', ['-i.bak', '-f', 'scripts/doc-paths.sed', '-e', 's|%%PREFIX%%|/opt/zbk|g', '-e', 's|%%LOCALBASE%%|/opt/local|g', ...docs], { cwd: wrksrc, reject: false });
  t.is(patched.exitCode, 0, patched.stderr);
  for (const doc of docs) {
    const text = await readFile(join(wrksrc, doc), 'utf8');
    t.false(text.includes('/usr/local'), doc);
    t.true(text.includes('/opt/zbk/etc/zbk.toml'), doc);
  }
});
