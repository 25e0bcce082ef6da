/** shellWord: a word sh(1) reads back as it was, quoted only when it must be. */
import { execFileSync } from 'node:child_process';
import test from 'ava';
import fc from 'fast-check';
import { shellWord } from '../../src/util/shell-word.js';

test('plain words stay plain; anything else is single-quoted, quotes inside escaped', (t) => {
  t.is(shellWord('tank/backup/web@zbk_2026-11-26T030000Z'), 'tank/backup/web@zbk_2026-11-26T030000Z');
  t.is(shellWord('--job=web,mail:1+%'), '--job=web,mail:1+%');
  t.is(shellWord(''), "''");
  t.is(shellWord('a b'), "'a b'");
  t.is(shellWord('$(rm -rf /)'), "'$(rm -rf /)'");
  t.is(shellWord("it's"), "'it'\\''s'");
  t.is(shellWord('*'), "'*'");
});

test('sh reads every quoted word back as it was', (t) => {
  const words = fc.sample(fc.string({ unit: 'binary', minLength: 0, maxLength: 12 }).filter((s) => !s.includes('\0')), { numRuns: 60, seed: 11 });
  const script = words.map((w) => `printf '%s\\0' ${shellWord(w)}`).join('\n');
  const out = execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
  t.deepEqual(out.split('\0').slice(0, -1), words);
});
