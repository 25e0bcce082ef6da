/** The exit codes of zbk(8): sysexits(3) for usage, lock and config; Nagios' 0-3 for the rest. */
import { readFileSync } from 'node:fs';
import test from 'ava';
import { EXIT } from '../../src/cli/exit.js';

test('the codes are the contract\'s: 0 ok, 1 warnings, 2 failed, 3 unknown; EX_USAGE, EX_TEMPFAIL, EX_CONFIG', (t) => {
  t.deepEqual(EXIT, { ok: 0, warning: 1, failed: 2, unknown: 3, usage: 64, locked: 75, config: 78 });
  t.is(new Set(Object.values(EXIT)).size, Object.keys(EXIT).length, 'no two outcomes share a code');
});

test('zbk(8) documents every code', (t) => {
  const man = readFileSync(new URL('../../man/zbk.8', import.meta.url), 'utf8');
  const section = man.slice(man.indexOf('.Sh EXIT STATUS'), man.indexOf('.Sh', man.indexOf('.Sh EXIT STATUS') + 1));
  for (const code of Object.values(EXIT)) t.regex(section, new RegExp(`\\b${code}\\b`), `exit ${code}`);
});
