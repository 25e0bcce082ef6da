#!/usr/bin/env node
// The licenses of what the bundle holds: reads the metafile esbuild writes next to it
// (make bundle: build/zbk.meta.json) and prints, for each package whose code is in the
// bundle, a tab-separated line: directory, name, version, SPDX license, license file.
// The port's LICENSE (ports/sysutils/zbk/Makefile) must name each license listed here.
//   usage: node scripts/bundled-licenses.mjs [build/zbk.meta.json]
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const metafile = process.argv[2] ?? 'build/zbk.meta.json';
const { inputs } = JSON.parse(readFileSync(metafile, 'utf8'));

const dirs = new Set();
for (const input of Object.keys(inputs)) {
  // The innermost package: node_modules/a/node_modules/b/x.js is b's.
  const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m) dirs.add(m[1]);
}

const rows = [...dirs].sort().map((dir) => {
  if (!existsSync(`${dir}/package.json`)) throw new Error(`${dir}/package.json is missing`);
  const pkg = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
  if (typeof pkg.license !== 'string') throw new Error(`${dir}: no SPDX license in package.json`);
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|-|$)/i.test(f));
  return [dir, pkg.name, pkg.version, pkg.license, file ? `${dir}/${file}` : '-'];
});
for (const row of rows) console.log(row.join('\t'));
