/**
 * Packaging never touches the host: make build, bundle, install, dist and lint, under GNU make
 * and bmake, run for real on a fresh copy of the sources, with no network (a network namespace
 * of their own) and with a PATH on which apt-get, npm, zfs-fuse, zpool, kldload and the like
 * are tripwires: stubs that record being called and fail. Only make test and make demo prepare
 * a machine.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from '../helpers/zfs-test.js';
import { execa } from 'execa';
import { makeEnv, sourceCopy, tempDir, treeOf } from './source-tree.js';

const FORBIDDEN = ['apt-get', 'apt', 'dpkg', 'npm', 'npx', 'zfs-fuse', 'zpool', 'zfs', 'kldload', 'kldstat', 'pkg', 'curl', 'wget', 'git'];

for (const make of ['make', 'bmake']) {
  test.serial(`${make} build, bundle, install, dist and lint run offline and call no installer, npm or ZFS`, async (t) => {
    const dir = await tempDir(t, `offline-${make}`);
    const tree = await sourceCopy(dir);
    const stubs = join(dir, 'stubs');
    const log = join(dir, 'called.log');
    await mkdir(stubs);
    await writeFile(log, '');
    for (const name of FORBIDDEN) {
      await writeFile(join(stubs, name), `#!/bin/sh\necho "${name} $*" >> "${log}"\nexit 1\n`);
      await chmod(join(stubs, name), 0o755);
    }
    const env = makeEnv({ PATH: `${stubs}:${process.env.PATH ?? '/usr/bin:/bin'}` });
    const destdir = join(dir, 'stage');
    for (const target of [['build'], ['bundle'], ['install', `DESTDIR=${destdir}`], ['dist'], ['lint']]) {
      // unshare -n: a new network namespace with only a loopback that is down.
      const r = await execa('unshare', ['-n', make, '-C', tree, ...target], { env, extendEnv: false, reject: false, all: true });
      t.is(r.exitCode, 0, `${make} ${target.join(' ')}:\n${r.all}`);
    }
    t.is(await readFile(log, 'utf8'), '', 'no tripwire was called');
    const staged = Object.keys(await treeOf(destdir));
    t.true(staged.includes('usr/local/libexec/zbk/zbk.mjs') && staged.includes('usr/local/sbin/zbk'), 'install staged the tree');
    const version = JSON.parse(await readFile(join(tree, 'package.json'), 'utf8')).version as string;
    t.true(Object.keys(await treeOf(join(tree, 'build'))).includes(`zbk-${version}.tar.gz`), 'dist made the tarball');
  });
}

test.serial('the tripwires work: a stub records its call and fails, so a target that called one would fail', async (t) => {
  const dir = await tempDir(t, 'tripwire');
  const log = join(dir, 'called.log');
  await writeFile(join(dir, 'apt-get'), `#!/bin/sh\necho "apt-get $*" >> "${log}"\nexit 1\n`);
  await chmod(join(dir, 'apt-get'), 0o755);
  const r = await execa('sh', ['-c', 'apt-get install -y zfs-fuse'], { env: { PATH: `${dir}:/usr/bin:/bin` }, reject: false });
  t.is(r.exitCode, 1);
  t.is(await readFile(log, 'utf8'), 'apt-get install -y zfs-fuse\n');
  const offline = await execa('unshare', ['-n', process.execPath, '-e', 'require("node:net").connect(80, "1.1.1.1").on("error", (e) => { console.log(e.code); process.exit(0); })'], { reject: false });
  t.regex(offline.stdout, /ENETUNREACH|EHOSTUNREACH|ENETDOWN/, 'no route out of the namespace');
});
