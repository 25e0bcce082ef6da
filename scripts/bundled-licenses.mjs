#!/usr/bin/env node
// The licenses of what the bundle holds, read from the metafile esbuild writes next to it
// (make bundle: build/zbk.meta.json); run it from the top of the tree.
//   node scripts/bundled-licenses.mjs [METAFILE]
//     one tab-separated line per package whose code is in the bundle: directory, name,
//     version, SPDX license, license file.  The port's LICENSE must name each license.
//   node scripts/bundled-licenses.mjs --notices [METAFILE]
//     the THIRD-PARTY-NOTICES installed beside the bundle: each package with the text of its
//     license file, as the MIT, ISC, BSD and Apache licenses ask of a copy.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const notices = args[0] === '--notices';
const metafile = (notices ? args[1] : args[0]) ?? 'build/zbk.meta.json';
const { inputs } = JSON.parse(readFileSync(metafile, 'utf8'));

const dirs = new Set();
for (const input of Object.keys(inputs)) {
  // The innermost package: node_modules/a/node_modules/b/x.js is b's.
  const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m) dirs.add(m[1]);
}

const packages = [...dirs].sort().map((dir) => {
  if (!existsSync(`${dir}/package.json`)) throw new Error(`${dir}/package.json is missing`);
  const pkg = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
  if (typeof pkg.license !== 'string') throw new Error(`${dir}: no SPDX license in package.json`);
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|-|$)/i.test(f));
  if (!file) throw new Error(`${dir}: no license file`);
  return { dir, name: pkg.name, version: pkg.version, license: pkg.license, file: `${dir}/${file}` };
});

if (notices) {
  console.log('zbk bundles the following packages into zbk.js. Their licenses follow.\n');
  for (const p of packages) {
    console.log(`${'='.repeat(78)}\n${p.name} ${p.version} (${p.license})\n${'='.repeat(78)}\n`);
    console.log(`${readFileSync(p.file, 'utf8').trimEnd()}\n`);
  }
} else {
  for (const p of packages) console.log([p.dir, p.name, p.version, p.license, p.file].join('\t'));
}
