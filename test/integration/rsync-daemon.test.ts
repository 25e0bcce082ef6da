/**
 * The runner against a real rsync daemon on 127.0.0.1 (test/helpers/rsyncd.ts), which runs as
 * root: a module with `auth users` and a password file, the right password and a wrong one.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import test from '../helpers/zfs-test.js';
import { rsyncArgv } from '../../src/sync/args.js';
import { runRsync } from '../../src/sync/runner.js';
import { parseSource, type Source } from '../../src/sync/source.js';
import { startRsyncd } from '../helpers/rsyncd.js';

const MINUTE = 60_000;

/** A pull from a real rsync daemon's module "backup", with the given password. */
async function daemonPull(t: ExecutionContext, password: 'right' | 'wrong') {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-sync-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'src/etc'), { recursive: true });
  await writeFile(join(dir, 'src/etc/rc.conf'), 'hostname=nas\n');
  const daemon = await startRsyncd(t, join(dir, 'src'));
  let passwordFile = daemon.passwordFile;
  if (password === 'wrong') {
    passwordFile = join(dir, 'wrong-password');
    await writeFile(passwordFile, 'wrong\n', { mode: 0o600 });
  }
  const job = { source: parseSource(daemon.url) as Source, exclude: [], rsyncArgs: [], timeoutMs: MINUTE, passwordFile };
  const run = await runRsync(rsyncArgv(job, { destination: join(dir, 'dst'), blockSize: null, progress: true }), { timeoutMs: MINUTE });
  return { dir, run };
}

test('a pull from an rsync daemon module with a password file', async (t) => {
  const { dir, run } = await daemonPull(t, 'right');
  t.like(run, { code: 0, outcome: 'ok', stats: { files: { total: 3, reg: 1, dir: 2 }, transferred: 1 } });
  t.is(await readFile(join(dir, 'dst/etc/rc.conf'), 'utf8'), 'hostname=nas\n');
});

test('a wrong daemon password fails in the daemon\'s words', async (t) => {
  const { run } = await daemonPull(t, 'wrong');
  t.like(run, { code: 5, outcome: 'failed' });
  t.is(run.message, 'rsync failed with code 5 (error starting client-server protocol): @ERROR: auth failed on module backup');
});
