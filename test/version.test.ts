import { readFileSync } from 'node:fs';
import test from 'ava';
import { VERSION } from '../src/version.js';

test('the version zbk prints is package.json\'s', (t) => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  t.is(VERSION, pkg.version);
});
