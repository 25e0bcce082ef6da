// `make unit`: src/ and test/ compiled once to build/unit/ (esbuild, as tsx would in every test
// process), so that the unit tests run as plain JavaScript, without a TypeScript loader in each
// of ava's ~90 processes (half a second each). The tree keeps its shape: every other file and
// every top-level entry is a symbolic link to the checkout, so that paths a test builds from
// import.meta.url (fixtures/, man/, package.json, the .ts sources) lead where they do under tsx.
import { mkdir, readdir, rm, symlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'build', 'unit');
const COMPILED = ['src', 'test'];
const LEFT_OUT = new Set(['.git', 'build', 'node_modules', ...COMPILED]);

async function files(dir) {
  const entries = await readdir(join(ROOT, dir), { withFileTypes: true });
  return (await Promise.all(entries.map((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)])))).flat();
}

const link = async (path) => {
  await mkdir(dirname(join(OUT, path)), { recursive: true });
  await symlink(relative(dirname(join(OUT, path)), join(ROOT, path)), join(OUT, path));
};

await rm(OUT, { recursive: true, force: true });
const all = (await Promise.all(COMPILED.map(files))).flat();
const sources = all.filter((f) => f.endsWith('.ts'));
await build({
  entryPoints: sources.map((f) => join(ROOT, f)),
  outdir: OUT,
  outbase: ROOT,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
});
await Promise.all(all.map(link));
await Promise.all((await readdir(ROOT)).filter((name) => !LEFT_OUT.has(name)).map(link));
