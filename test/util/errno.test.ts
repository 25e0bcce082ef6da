/** A failed system call's code, and nothing for an error that is not one. */
import { readFile } from 'node:fs/promises';
import test from 'ava';
import { errnoCode } from '../../src/util/errno.js';

test('the code of a failed call; undefined for other errors and non-errors', async (t) => {
  t.is(errnoCode(await readFile('/nonexistent/zbk').catch((e: unknown) => e)), 'ENOENT');
  t.is(errnoCode(new Error('plain')), undefined);
  t.is(errnoCode(null), undefined);
  t.is(errnoCode('a string'), undefined);
});
