/**
 * FreeBSD's make is BSD make: the Makefile must work under it unchanged. Debian's bmake is the
 * same program (NetBSD's make, which FreeBSD imports); these tests run the packaging targets
 * under it and under GNU make and compare what they do.
 */
import { readFile, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import test from '../helpers/zfs-test.js';
import { execa } from 'execa';
import { ROOT } from '../helpers/cli.js';
import { makeEnv, sourceCopy, tempDir, treeOf } from './source-tree.js';

const run = (make: string, dir: string, args: string[]) =>
  execa(make, ['-C', dir, ...args], { env: makeEnv(), extendEnv: false, reject: false, all: true });

test.serial('the Makefile uses nothing that only GNU make knows', async (t) => {
  const text = await readFile(join(ROOT, 'Makefile'), 'utf8');
  for (const gnu of [/\$\((shell|wildcard|patsubst|subst|foreach|call|eval|filter|notdir|addprefix|if|or|and) /, /^\s*(ifeq|ifneq|ifdef|ifndef|define|endef|export|-?include)\b/m, /^[^#\t]*%[^=]*:/m, /^[^#\t]*:=/m]) {
    t.notRegex(text, gnu);
  }
});

test.serial('bmake install stages the very tree that GNU make install stages: files, modes, contents', async (t) => {
  const dir = await tempDir(t, 'bmake');
  const trees: Record<string, Record<string, string>> = {};
  for (const make of ['make', 'bmake']) {
    const destdir = join(dir, make);
    const r = await run(make, ROOT, ['install', `DESTDIR=${destdir}`, 'PREFIX=/usr/local']);
    t.is(r.exitCode, 0, `${make} install:\n${r.all}`);
    trees[make] = await treeOf(destdir);
  }
  t.true(Object.keys(trees.make!).includes('usr/local/sbin/zbk'));
  t.deepEqual(trees.bmake, trees.make);
  const wrapper = await readFile(join(dir, 'bmake/usr/local/sbin/zbk'), 'utf8');
  t.regex(wrapper, /^exec "\$\{NODE:-\/\S+\/node\}" /m, 'the node on PATH, as under GNU make');
});

test.serial('under both makes, dist/cli.js is out of date once a source changes, and build makes it', async (t) => {
  const tree = await sourceCopy(await tempDir(t, 'bmake-src'));
  const first = await run('bmake', tree, ['build']);
  t.is(first.exitCode, 0, first.all);
  // `-n` prints what would run (old bmake's -q calls the implicit .END target out of date).
  const wouldBuild = async (make: string) => /tsc -p tsconfig\.build\.json/.test((await run(make, tree, ['-n', 'dist/cli.js'])).all ?? '');
  for (const make of ['make', 'bmake']) t.false(await wouldBuild(make), `${make}: up to date after the build`);
  const later = new Date(Date.now() + 60_000);
  await utimes(join(tree, 'src/config/default-path.ts'), later, later);
  for (const make of ['make', 'bmake']) t.true(await wouldBuild(make), `${make}: a changed source makes dist/cli.js out of date`);
  const again = await run('bmake', tree, ['build']);
  t.is(again.exitCode, 0, again.all);
  t.regex(again.all ?? '', /tsc -p tsconfig\.build\.json/, 'bmake build ran tsc');
});
