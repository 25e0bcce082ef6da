/**
 * The atomic JSON store on a real filesystem: whole files or none, no temporaries left, errors
 * that name the file; nothing written or read through a link planted in zbk's way.
 */
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { ConfigError } from '../../src/config/problems.js';
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

test('the temporary file has a random name: a link planted at the name an older zbk used is not followed', async (t) => {
  const d = await dir(t);
  const victim = join(d, 'victim');
  await writeFile(victim, 'precious\n');
  // zbk up to 0.x wrote `.<name>.<pid>.tmp` with O_TRUNC, following a link planted there.
  await symlink(victim, join(d, `.state.json.${process.pid}.tmp`));
  await writeJson(join(d, 'state.json'), { ok: true });
  t.is(await readFile(victim, 'utf8'), 'precious\n');
  t.deepEqual(await readJson(join(d, 'state.json')), { ok: true });
});

test('a link planted at the file itself is replaced, never written through', async (t) => {
  const d = await dir(t);
  const victim = join(d, 'victim');
  await writeFile(victim, 'precious\n');
  await symlink(victim, join(d, 'report.prom'));
  await writeFileAtomic(join(d, 'report.prom'), 'report\n', 0o644);
  t.is(await readFile(victim, 'utf8'), 'precious\n');
  t.is(await readFile(join(d, 'report.prom'), 'utf8'), 'report\n');
  t.true((await stat(join(d, 'report.prom'))).isFile());
});

test('reading a state file that is a link is refused as a config error, not followed', async (t) => {
  const d = await dir(t);
  await writeFile(join(d, 'elsewhere.json'), '{"forged": true}');
  await symlink(join(d, 'elsewhere.json'), join(d, 'health.json'));
  const e = await t.throwsAsync(readJson(join(d, 'health.json')), { instanceOf: ConfigError });
  t.regex(e?.message ?? '', /health\.json: state_dir: is a symbolic link/);
});

test('writeJson refuses a directory for state that others may write', async (t) => {
  const d = await dir(t);
  await mkdir(join(d, 'jobs'));
  await chmod(join(d, 'jobs'), 0o777);
  await t.throwsAsync(writeJson(join(d, 'jobs', 'web.json'), {}), { instanceOf: ConfigError, message: /jobs: state_dir: is writable by others/ });
  t.deepEqual(await readdir(join(d, 'jobs')), []);
});
