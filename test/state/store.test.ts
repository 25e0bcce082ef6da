/** The atomic JSON store on a real filesystem: whole files or none, no temporaries left, errors that name the file. */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { readJson, writeFileAtomic, writeJson } from '../../src/state/store.js';

async function dir(t: ExecutionContext): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'zbk-store-'));
  t.teardown(() => rm(d, { recursive: true, force: true }));
  return d;
}

test('writeJson then readJson gives the data back; the file is pretty JSON with a final newline, mode 600', async (t) => {
  const d = await dir(t);
  const file = join(d, 'jobs', 'usa-vds.json');
  const data = { job: 'usa-vds', lastAttempt: { outcome: 'ok', bytes: 12_345 }, list: [1, 2, 3], none: null };
  await writeJson(file, data);
  t.deepEqual(await readJson(file), data);
  t.is(await readFile(file, 'utf8'), `${JSON.stringify(data, null, 2)}\n`);
  t.is((await stat(file)).mode & 0o777, 0o600);
  t.is((await stat(join(d, 'jobs'))).mode & 0o777, 0o700, 'the directory it made is private too');
});

test('an atomic write leaves no temporary files, also when it replaces a file many times', async (t) => {
  const d = await dir(t);
  const file = join(d, 'state.json');
  for (let i = 0; i < 20; i++) await writeJson(file, { i });
  t.deepEqual(await readdir(d), ['state.json']);
  t.deepEqual(await readJson(file), { i: 19 });
});

test('a write that cannot complete leaves the old file whole and no temporary behind', async (t) => {
  const d = await dir(t);
  const file = join(d, 'state.json');
  await writeJson(file, { old: true });
  // rename(2) over a directory fails: the new content is written, then cannot replace the target.
  const target = join(d, 'target');
  await writeJson(join(target, 'inside.json'), {});
  await t.throwsAsync(writeFileAtomic(target, 'new'));
  t.deepEqual((await readdir(d)).sort(), ['state.json', 'target']);
  t.deepEqual(await readJson(file), { old: true });
});

test('readJson of a missing file is null (nothing recorded yet)', async (t) => {
  const d = await dir(t);
  t.is(await readJson(join(d, 'nope.json')), null);
  t.is(await readJson(join(d, 'no', 'such', 'dir.json')), null);
});

test('readJson of garbage names the file and says what to do', async (t) => {
  const d = await dir(t);
  const file = join(d, 'usa-vds.json');
  await writeFile(file, '{"job": "usa-vds", "lastAtt');
  const e = await t.throwsAsync(readJson(file));
  t.regex(e!.message, new RegExp(`^${file}: not valid JSON \\(.+\\); move it aside to start afresh$`));
});

test('readJson of something that is not a file fails with the system\'s words, not as "missing"', async (t) => {
  const d = await dir(t);
  await t.throwsAsync(readJson(d), { code: 'EISDIR' });
});
