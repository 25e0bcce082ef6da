/**
 * For the tests of the packaging targets: a copy of the source tree in a temporary directory
 * (with the checkout's node modules linked in), so that build, bundle and dist really run
 * instead of finding their outputs up to date; the installed tree read back with modes and
 * contents; and an environment for make without the flags of a make that runs the tests.
 */
import { createHash } from 'node:crypto';
import { cp, lstat, mkdtemp, readdir, readFile, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT } from '../helpers/cli.js';

/** What a checkout holds that the Makefile's targets read. */
const SOURCES = ['LICENSE', 'README.md', 'Makefile', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'biome.jsonc', '.ci', 'bin', 'src', 'man', 'etc', 'rc.d', 'periodic', 'sbin', 'libexec', 'scripts'];

export async function tempDir(t: { teardown(fn: () => Promise<void>): void }, name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `zbk-${name}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A copy of the sources under `dir`/zbk, node_modules linked to the checkout's. */
export async function sourceCopy(dir: string): Promise<string> {
  const tree = join(dir, 'zbk');
  for (const name of SOURCES) await cp(join(ROOT, name), join(tree, name), { recursive: true });
  await symlink(await realpath(join(ROOT, 'node_modules')), join(tree, 'node_modules'));
  return tree;
}

/** The environment for make and bmake: the test's, without what a parent GNU make passes on. */
export function makeEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(MAKEFLAGS|MFLAGS|MAKELEVEL|MAKEOVERRIDES|GNUMAKEFLAGS|MAKE_TERMOUT|MAKE_TERMERR)$/.test(k)) env[k] = v;
  }
  return { ...env, LC_ALL: 'C', ...extra };
}

/** Every file and symlink under `root`: its mode and the hash of its contents. */
export async function treeOf(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const st = await lstat(path);
    const what = entry.isFile() ? createHash('sha256').update(await readFile(path)).digest('hex').slice(0, 16) : entry.isDirectory() ? 'dir' : 'other';
    out[relative(root, path)] = `${(st.mode & 0o7777).toString(8)} ${what}`;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
