/**
 * `zbk run` from rsync:// sources: a real `rsync --daemon` on 127.0.0.1 with an authenticated
 * module (test/helpers/rsyncd.ts), the job's password_file, a real pool.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import test from '../helpers/zfs-test.js';
import { zbk } from '../helpers/cli.js';
import { rewrite } from '../helpers/files.js';
import { makePool, sh } from '../helpers/pool.js';
import { startRsyncd } from '../helpers/rsyncd.js';

const NIGHT1 = '2026-03-01T03:00:00Z';
const NIGHT2 = '2026-03-02T03:00:00Z';
const SNAP1 = 'zbk_2026-03-01T030000Z';
const SNAP2 = 'zbk_2026-03-02T030000Z';

async function setup(t: ExecutionContext) {
  const pool = await makePool(t);
  const src = join(pool.dir, 'share');
  await mkdir(src);
  const daemon = await startRsyncd(t, src, 'fileserver');
  const state = join(pool.dir, 'state');
  const config = join(pool.dir, 'zbk.toml');
  const dataset = `${pool.name}/fileserver`;
  const write = (passwordFile: string) => writeFile(config, `[zbk]
timezone = "UTC"
state_dir = "${state}"

[[job]]
name = "fileserver"
dataset = "${dataset}"
source = "${daemon.url}"
password_file = "${passwordFile}"
`);
  await write(daemon.passwordFile);
  const init = await zbk(['init', '--config', config]);
  t.is(init.exitCode, 0, init.stderr);
  return { pool, src, daemon, state, config, dataset, write };
}

const snapshots = async (dataset: string): Promise<string[]> =>
  (await sh('zfs', ['list', '-H', '-o', 'name', '-t', 'snapshot', '-r', dataset])).stdout.split('\n').filter(Boolean).map((n) => n.split('@')[1]!);

const mountpoint = async (dataset: string) => (await sh('zfs', ['get', '-H', '-o', 'value', 'mountpoint', dataset])).stdout.trim();

interface Attempt { outcome: string; message: string | null; snapshot: string | null; stats: { literalData: number; deleted: { total: number } } | null }
const jobState = async (state: string) =>
  JSON.parse(await readFile(join(state, 'jobs', 'fileserver.json'), 'utf8')) as { lastAttempt: Attempt; lastSuccess: Attempt | null };

test.serial('an rsync:// source with password_file: pulled from the module, snapshotted, changes and deletions the next night', async (t) => {
  const { src, daemon, state, config, dataset } = await setup(t);
  await mkdir(join(src, 'Documents'));
  const sheet = randomBytes(600_000);
  await writeFile(join(src, 'Documents/budget.xls'), sheet);
  await writeFile(join(src, 'Documents/old.doc'), 'to be deleted\n');

  const dry = await zbk(['run', '--config', config, '--now', NIGHT1, '--dry-run']);
  t.regex(dry.stdout, new RegExp(` --password-file=${daemon.passwordFile} rsync://zbk@127\\.0\\.0\\.1:${daemon.port}/fileserver/ `));

  const r = await zbk(['run', '--config', config, '--now', NIGHT1]);
  t.is(r.exitCode, 0, r.stdout + r.stderr);
  t.regex(r.stdout, new RegExp(`^fileserver: 4 files, 2 changed, .*\\n  snapshot ${dataset}@${SNAP1}$`, 'm'));
  const mnt = await mountpoint(dataset);
  t.deepEqual(await readFile(join(mnt, 'Documents/budget.xls')), sheet);
  t.regex(await readFile(daemon.log, 'utf8'), /rsync allowed access on module fileserver from localhost \(127\.0\.0\.1\)/, 'the daemon served it');

  sheet.write('Q3 figures', 300_000);
  await rewrite(join(src, 'Documents/budget.xls'), sheet);
  await rm(join(src, 'Documents/old.doc'));
  const r2 = await zbk(['run', '--config', config, '--now', NIGHT2]);
  t.is(r2.exitCode, 0, r2.stdout + r2.stderr);
  t.deepEqual(await snapshots(dataset), [SNAP1, SNAP2]);
  t.deepEqual(await readFile(join(mnt, 'Documents/budget.xls')), sheet);
  await t.throwsAsync(readFile(join(mnt, 'Documents/old.doc')), { code: 'ENOENT' });
  const s = await jobState(state);
  t.is(s.lastAttempt.outcome, 'ok');
  t.is(s.lastAttempt.stats!.deleted.total, 1);
  t.true(s.lastAttempt.stats!.literalData <= 2 * 131072, `literal data ${s.lastAttempt.stats!.literalData}`);
});

test.serial('a wrong password: the daemon refuses, no snapshot, exit 2, the state says so in rsync\'s words', async (t) => {
  const { pool, src, daemon, state, config, dataset, write } = await setup(t);
  await writeFile(join(src, 'f'), 'x');
  const wrong = join(pool.dir, 'wrong.secret');
  await writeFile(wrong, 'not-the-password\n', { mode: 0o600 });
  await write(wrong);
  const r = await zbk(['run', '--config', config, '--now', NIGHT1]);
  t.is(r.exitCode, 2, r.stdout + r.stderr);
  t.deepEqual(await snapshots(dataset), []);
  const s = await jobState(state);
  t.is(s.lastAttempt.outcome, 'failed');
  t.is(s.lastSuccess, null);
  t.is(s.lastAttempt.message, `the rsync daemon on 127.0.0.1:${daemon.port} refused the password of zbk for module fileserver: the first line of password_file ${wrong} must be that user's password in the daemon's secrets file\n` +
    'rsync failed with code 5 (error starting client-server protocol): @ERROR: auth failed on module fileserver; no snapshot taken');
});
