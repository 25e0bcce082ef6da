import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { readStateFile, StateUnreadable } from '../../src/state/read-state.js';

const shape = (data: unknown) => (typeof data === 'object' && data !== null && 'n' in data ? null : 'no n');

test('a state file read as untrusted: null when absent; the file named, and what to do, for every other failure', async (t) => {
  const d = await mkdtemp(join(tmpdir(), 'zbk-read-state-'));
  t.teardown(() => rm(d, { recursive: true, force: true }));
  const file = join(d, 'x.json');
  t.is(await readStateFile(file, 'test state', shape), null);
  await writeFile(file, '{"n": 1}');
  t.deepEqual(await readStateFile(file, 'test state', shape), { n: 1 });
  await writeFile(file, '{"m": 1}');
  await t.throwsAsync(readStateFile(file, 'test state', shape), { instanceOf: StateUnreadable, message: `${file}: not a zbk test state (no n); move it aside to start afresh` });
  await writeFile(file, '{"n": ');
  await t.throwsAsync(readStateFile(file, 'test state', shape), { instanceOf: StateUnreadable, message: new RegExp(`^${file}: not valid JSON`) });
  const dir = join(d, 'dir.json');
  await mkdir(dir);
  await t.throwsAsync(readStateFile(dir, 'test state', shape), { instanceOf: StateUnreadable, message: `${dir}: cannot be read (EISDIR); move it aside to start afresh` });
});
