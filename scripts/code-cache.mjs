/**
 * make bundle: turns esbuild's CommonJS bundle into the program zbk.cjs runs (zbk.js: the
 * bundle as a function of require, module and import.meta.url) and writes its V8 code cache
 * (zbk.js.cache: a line with the length of zbk.js in bytes, a copy of zbk.js, then V8's data,
 * so that zbk.cjs takes it only for that very program), made after a
 * training run of `scrub-report --from-file` on a sample, in this process, so that the
 * functions a start-up compiles are in it, not only the top level. See scripts/zbk-loader.cjs.
 *
 *   node scripts/code-cache.mjs BUNDLE.cjs OUT.js   (writes OUT.js and OUT.js.cache)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

const [bundle, out] = process.argv.slice(2);
if (!bundle || !out?.endsWith('.js')) throw new Error('usage: node scripts/code-cache.mjs BUNDLE.cjs OUT.js');

writeFileSync(out, `(function (require, module, __zbkUrl) {\n${readFileSync(bundle, 'utf8')}\n})\n`);

// A healthy pool and an empty configuration of zbk's own, so that the training reads nothing
// of the machine that builds the package.
const dir = mkdtempSync(join(tmpdir(), 'zbk-code-cache-'));
const config = join(dir, 'zbk.toml');
const status = join(dir, 'zpool-status.txt');
writeFileSync(config, `[zbk]\nstate_dir = "${dir}/state"\n`, { mode: 0o600 });
writeFileSync(status, `  pool: tank
 state: ONLINE
  scan: scrub repaired 0B in 00:10:02 with 0 errors on Sun Nov 22 05:41:10 2026
config:

\tNAME        STATE     READ WRITE CKSUM
\ttank        ONLINE       0     0     0
\t  mirror-0  ONLINE       0     0     0
\t    ada0p3  ONLINE       0     0     0
\t    ada1p3  ONLINE       0     0     0

errors: No known data errors
`);

// Exactly the source zbk.cjs compiles: the file as read back.
const bytes = readFileSync(out);
const script = new Script(bytes.toString('utf8'), { filename: out });
const loader = pathToFileURL(join(dir, 'zbk.mjs')).href; // as zbk.cjs gives it
const argv = process.argv;
const write = { out: process.stdout.write, err: process.stderr.write };
let printed = '';

let written = false;
process.once('beforeExit', () => {
  Object.assign(process.stdout, { write: write.out });
  Object.assign(process.stderr, { write: write.err });
  process.argv = argv;
  if (process.exitCode !== 0 || !/tank/.test(printed)) return; // told at exit
  writeFileSync(`${out}.cache`, Buffer.concat([Buffer.from(`${bytes.length}\n`, 'latin1'), bytes, script.createCachedData()]));
  written = true;
});
// Also when zbk ends the process itself (process.exit): the build fails, saying why.
process.once('exit', (code) => {
  rmSync(dir, { recursive: true, force: true });
  if (written) return;
  writeSync(2, `code-cache.mjs: the training run of ${out} failed (exit ${code}):\n${printed}\n`);
  process.exitCode = 1;
});

// The training run: the bundle runs zbk's main as it is evaluated.
process.argv = [argv[0], 'zbk', 'scrub-report', '--config', config, '--from-file', status];
process.stdout.write = process.stderr.write = (chunk) => ((printed += chunk), true);
script.runInThisContext()(createRequire(loader), { exports: {} }, loader);
