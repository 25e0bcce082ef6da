/**
 * zbk's entry point, installed as PREFIX/libexec/zbk/zbk.cjs (sbin/zbk runs it; zbk.mjs beside
 * it imports it, for whoever runs that). CommonJS, so that node does not start its ES module
 * loader. It runs the program, zbk.js beside it (the one-file bundle as a function expression,
 * scripts/code-cache.mjs), with the V8 code cache made for it at build time, zbk.js.cache, so
 * that node deserialises the compiled functions instead of parsing and compiling half a
 * megabyte of JavaScript at every start. Nothing is written at run time.
 *
 * The cache is used only when it holds a copy of zbk.js as it is now, byte for byte: V8 checks
 * only the source's length, and runs the cached code of another program of the same length
 * (a zbk.js edited in place, or one of another build beside an old cache). A cache of another
 * zbk.js, or one V8 rejects (another node, other V8 flags), is ignored: the program is then
 * compiled as usual. Comparing the copy costs less than hashing zbk.js (node's crypto module
 * and SHA-256 of half a megabyte: ~1.5 ms of every start).
 */
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { Script } = require('node:vm');

const program = join(__dirname, 'zbk.js');
const bytes = readFileSync(program);

function cacheFor(source) {
  let data;
  try {
    data = readFileSync(`${program}.cache`);
  } catch (e) {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  }
  // A line with the copy's length in bytes, the copy, then V8's data (scripts/code-cache.mjs).
  const header = `${source.length}\n`;
  if (data.toString('latin1', 0, header.length) !== header) return undefined;
  const copy = data.subarray(header.length, header.length + source.length);
  return copy.equals(source) ? data.subarray(header.length + source.length) : undefined;
}

// The program's import.meta.url is zbk.mjs's: PREFIX is read off it (src/config/default-path.ts).
const url = pathToFileURL(join(__dirname, 'zbk.mjs')).href;
const script = new Script(bytes.toString('utf8'), { filename: program, cachedData: cacheFor(bytes) });
script.runInThisContext()(require, { exports: {} }, url);
