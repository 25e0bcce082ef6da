/** stat(2) of a file a job names: through links; nothing there is null, other errors are thrown. */
import { chmod, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { statOrNull } from '../../src/util/stat.js';

test('a file, a directory, a link followed; missing (or under a file) is null', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-stat-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'key');
  await writeFile(file, 'k');
  await chmod(file, 0o600);
  await symlink(file, join(dir, 'link'));
  t.like(await statOrNull(file), { isFile: true, isDirectory: false, mode: 0o100600 });
  t.like(await statOrNull(join(dir, 'link')), { isFile: true, mode: 0o100600 });
  t.like(await statOrNull(dir), { isFile: false, isDirectory: true });
  t.is(await statOrNull(join(dir, 'missing')), null);
  t.is(await statOrNull(join(file, 'below')), null, 'ENOTDIR');
  await t.throwsAsync(statOrNull('a\0b'));
});
