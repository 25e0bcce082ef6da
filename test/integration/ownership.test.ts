/**
 * What zbk refuses because another user owns it: the config and its directory, state_dir, a
 * directory above it, the directory of --output. Making a file another user's takes root
 * (chown), so these run with the integration tests, as root; the rest of the checks are unit
 * tests (test/config/load.test.ts, test/state/dir.test.ts).
 */
import { chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import test from '../helpers/zfs-test.js';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/problems.js';
import { checkStateDir, outputDirProblem } from '../../src/state/dir.js';

async function dir(t: ExecutionContext): Promise<string> {
  if (process.getuid?.() !== 0) throw new Error('these tests chown files: run them as root (make integration)');
  const d = await mkdtemp(join(tmpdir(), 'zbk-owner-'));
  t.teardown(() => rm(d, { recursive: true, force: true }));
  return d;
}

test('a config owned by another user is refused, and so is one in another user\'s directory', async (t) => {
  const d = await dir(t);
  const file = join(d, 'zbk.toml');
  await writeFile(file, '');
  await chown(file, 4321, 0);
  const e = await t.throwsAsync(loadConfig({ path: file }), { instanceOf: ConfigError });
  t.regex(e!.message, /the config is owned by uid 4321, neither root nor zbk's user \(uid 0\)/);
  await chown(d, 4321, 0);
  await chown(file, 0, 0);
  const above = await t.throwsAsync(loadConfig({ path: file }), { instanceOf: ConfigError });
  t.regex(above!.message, new RegExp(`its directory ${d} is owned by uid 4321`));
});

test('a state_dir that is another user\'s is refused, and so is one under another user\'s directory', async (t) => {
  const d = await dir(t);
  await mkdir(join(d, 'theirs'), { mode: 0o700 });
  await chown(join(d, 'theirs'), 65534, 65534);
  await t.throwsAsync(checkStateDir(join(d, 'theirs')), { instanceOf: ConfigError, message: /is owned by uid 65534, neither root nor zbk's user \(uid 0\): chown it, or move it aside/ });
  const open = join(d, 'open');
  await mkdir(join(open, 'state'), { recursive: true, mode: 0o700 });
  await chown(open, 65534, 65534);
  await t.throwsAsync(checkStateDir(join(open, 'state')), { instanceOf: ConfigError, message: /lies under .*, which is owned by uid 65534, neither root nor zbk's user \(uid 0\): that user could replace it/ });
});

test('--output into another user\'s directory is a problem', async (t) => {
  const d = await dir(t);
  await mkdir(join(d, 'open'), { mode: 0o1777 });
  await chown(join(d, 'open'), 65534, 65534);
  t.regex((await outputDirProblem(join(d, 'open', 'zbk.prom'))) ?? '', /is owned by uid 65534, neither root nor zbk's user \(uid 0\): that user could replace the report/);
});
