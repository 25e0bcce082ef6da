/** state_dir checks on a real filesystem: a directory others could plant links or files in is refused as a config error. */
import { chmod, mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { ConfigError } from '../../src/config/problems.js';
import { checkStateDir, ensurePrivateDir, outputDirProblem } from '../../src/state/dir.js';

async function dir(t: ExecutionContext): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'zbk-dir-'));
  t.teardown(() => rm(d, { recursive: true, force: true }));
  return d;
}

const refused = async (t: ExecutionContext, p: Promise<unknown>, message: RegExp) => {
  const e = await t.throwsAsync(p, { instanceOf: ConfigError });
  t.regex(e?.message ?? '', message);
};

test('a missing state_dir is made 0700 when zbk writes, and left alone when it only reads', async (t) => {
  const d = await dir(t);
  t.false(await checkStateDir(join(d, 'state')));
  await t.throwsAsync(stat(join(d, 'state')), { code: 'ENOENT' });
  t.true(await checkStateDir(join(d, 'state'), { create: true }));
  t.is((await stat(join(d, 'state'))).mode & 0o777, 0o700);
});

test('a state_dir writable by its group or by others is refused, naming it, its mode and the fix', async (t) => {
  const d = await dir(t);
  const state = join(d, 'state');
  await mkdir(state);
  await chmod(state, 0o770);
  await refused(t, checkStateDir(state), new RegExp(`^${state}: state_dir: is writable by its group \\(mode 0770\\): run chmod go-w ${state}$`));
  await chmod(state, 0o1777);
  await refused(t, checkStateDir(state, { create: true }), /writable by others \(mode 1777\)/);
  await chmod(state, 0o755);
  t.true(await checkStateDir(state));
});

// Another user's directory needs root to make: test/integration/ownership.test.ts.
test('a state_dir that is a symbolic link or a file is refused', async (t) => {
  const d = await dir(t);
  await mkdir(join(d, 'real'), { mode: 0o700 });
  await symlink(join(d, 'real'), join(d, 'link'));
  await refused(t, checkStateDir(join(d, 'link')), /is a symbolic link/);
  await writeFile(join(d, 'file'), '');
  await refused(t, checkStateDir(join(d, 'file')), /is not a directory/);
});

test('jobs/ and locks/ under state_dir are checked like it', async (t) => {
  const d = await dir(t);
  await mkdir(join(d, 'state'), { mode: 0o700 });
  await mkdir(join(d, 'elsewhere'), { mode: 0o777 });
  await symlink(join(d, 'elsewhere'), join(d, 'state', 'locks'));
  await refused(t, checkStateDir(join(d, 'state')), new RegExp(`^${d}/state/locks: state_dir: is a symbolic link`));
  await rm(join(d, 'state', 'locks'));
  await mkdir(join(d, 'state', 'jobs'), { mode: 0o777 });
  await chmod(join(d, 'state', 'jobs'), 0o777);
  await refused(t, checkStateDir(join(d, 'state')), /jobs: state_dir: is writable by others/);
});

test('a directory above state_dir that others may write is refused unless it is sticky (/tmp)', async (t) => {
  const d = await dir(t);
  const open = join(d, 'open');
  await mkdir(join(open, 'state'), { recursive: true, mode: 0o700 });
  await chmod(open, 0o777);
  await refused(t, checkStateDir(join(open, 'state')), new RegExp(`lies under ${open}, which is writable by others \\(mode 0777\\): they could replace it`));
  await chmod(open, 0o1777);
  t.true(await checkStateDir(join(open, 'state')));
});

test('ensurePrivateDir makes a directory 0700, and refuses one others may write', async (t) => {
  const d = await dir(t);
  await ensurePrivateDir(join(d, 'a', 'b'));
  t.is((await stat(join(d, 'a', 'b'))).mode & 0o777, 0o700);
  await chmod(join(d, 'a', 'b'), 0o722);
  await refused(t, ensurePrivateDir(join(d, 'a', 'b')), /writable by others/);
});

test('--output: a directory others may write (not sticky), or none at all is a problem', async (t) => {
  const d = await dir(t);
  t.is(await outputDirProblem(join(d, 'zbk.prom')), null);
  await mkdir(join(d, 'open'), { mode: 0o777 });
  await chmod(join(d, 'open'), 0o777);
  t.regex((await outputDirProblem(join(d, 'open', 'zbk.prom'))) ?? '', /is writable by others \(mode 0777\), who could replace the report/);
  await chmod(join(d, 'open'), 0o1777);
  t.is(await outputDirProblem(join(d, 'open', 'zbk.prom')), null, 'sticky, like /tmp: others cannot replace what zbk made');
  t.regex((await outputDirProblem(join(d, 'none', 'zbk.prom'))) ?? '', /no such directory/);
});

test('directories made above a new state_dir get the usual mode; only state_dir itself is 0700', async (t) => {
  const d = await dir(t);
  await checkStateDir(join(d, 'var', 'db', 'zbk'), { create: true });
  t.is((await stat(join(d, 'var', 'db'))).mode & 0o777, 0o777 & ~process.umask());
  t.is((await stat(join(d, 'var', 'db', 'zbk'))).mode & 0o777, 0o700);
});
