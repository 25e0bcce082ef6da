/**
 * `zbk daemon` as rc.d runs it: a real process, a real zfs-fuse job on a six-field
 * (per-second) schedule, and the signals an admin sends.
 */
import { mkdir, writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { execa, type ResultPromise } from 'execa';
import { CLI, zbk } from '../helpers/cli.js';
import { makePool, sh, type TestPool } from '../helpers/pool.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function setup(t: Parameters<typeof makePool>[0], job: string) {
  const pool = await makePool(t);
  const source = join(pool.dir, 'source');
  await mkdir(source, { recursive: true });
  await writeFile(join(source, 'hello.txt'), 'hello\n');
  const config = join(pool.dir, 'zbk.toml');
  const write = (text: string) => writeFile(config, text);
  await write(configText(pool, source, job));
  const init = await zbk(['init', '--config', config]);
  if (init.exitCode !== 0) throw new Error(`zbk init: ${init.stderr}`);
  return { pool, source, config, write };
}

function configText(pool: TestPool, source: string, job: string): string {
  return `[zbk]
timezone = "UTC"
state_dir = "${pool.dir}/state"
stop_timeout = "2s"

[scrub]
schedule = "0 4 1 1 *"

[[job]]
name = "host"
dataset = "${pool.name}/host"
source = "${source}/"
retention = { keep_last = 1000 }
${job}
`;
}

function startDaemon(t: Parameters<typeof makePool>[0], config: string): { child: ResultPromise; log: () => string } {
  let log = '';
  const child = execa(process.execPath, [CLI, 'daemon', '--config', config], { reject: false, stdin: 'ignore', env: { LC_ALL: 'C' } });
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  return { child, log: () => log };
}

const snapshots = async (dataset: string) =>
  (await sh('zfs', ['list', '-H', '-o', 'name', '-t', 'snapshot', '-r', dataset])).stdout.split('\n').filter(Boolean);

async function until(what: string, f: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

test('a six-field schedule runs the job again and again; SIGTERM exits 0', async (t) => {
  const { pool, config } = await setup(t, 'schedule = "*/3 * * * * *"');
  const d = startDaemon(t, config);
  await until('three snapshots', async () => (await snapshots(`${pool.name}/host`)).length >= 3, 30_000);
  d.child.kill('SIGTERM');
  const r = await d.child;
  t.is(r.exitCode, 0, d.log());
  t.regex(d.log(), /info: job host: missed its last scheduled run \(last success: never\): running it now/);
  t.regex(d.log(), /info: job host: ok .*@zbk_/);
  t.regex(d.log(), /info: SIGTERM: stopping/);
});

test('SIGHUP with a broken config logs file:line and keeps the old schedule running', async (t) => {
  const { pool, config, write } = await setup(t, 'schedule = "*/2 * * * * *"');
  const d = startDaemon(t, config);
  await until('a first snapshot', async () => (await snapshots(`${pool.name}/host`)).length >= 1);
  await write(`${await readFile(config, 'utf8')}\n[bogus]\nx = 1\n`);
  d.child.kill('SIGHUP');
  await until('the reload error', () => /reload failed/.test(d.log()));
  t.regex(d.log(), new RegExp(`error: reload failed, keeping the running config: ${config}:\\d+: bogus: unknown key`));
  const before = (await snapshots(`${pool.name}/host`)).length;
  await until('more snapshots on the old schedule', async () => (await snapshots(`${pool.name}/host`)).length >= before + 2);
  d.child.kill('SIGTERM');
  t.is((await d.child).exitCode, 0);
});

test('SIGTERM during a long pull: exit 0 within stop_timeout, no snapshot; the next run is fine', async (t) => {
  const { pool, source, config } = await setup(t, 'schedule = "0 3 1 1 *"\nrsync_args = ["--bwlimit=512"]');
  await sh('dd', ['if=/dev/urandom', `of=${join(source, 'big.img')}`, 'bs=1M', 'count=24', 'status=none']);
  const d = startDaemon(t, config);
  await until('rsync to start', async () => (await sh('pgrep', ['-f', `${source}/`]).then(() => true, () => false)));
  await sleep(1000);
  const t0 = Date.now();
  d.child.kill('SIGTERM');
  const r = await d.child;
  const took = Date.now() - t0;
  t.is(r.exitCode, 0, d.log());
  t.true(took < 2000 + 12_000, `stopped in ${took} ms`);
  t.regex(d.log(), /warning: job host: still running at stop_timeout: stopping it/);
  t.deepEqual(await snapshots(`${pool.name}/host`), [], 'no snapshot of an interrupted pull');
  const state = JSON.parse(await readFile(join(pool.dir, 'state', 'jobs', 'host.json'), 'utf8')) as { lastAttempt: { outcome: string; message: string } };
  t.is(state.lastAttempt.outcome, 'failed');

  await writeFile(config, (await readFile(config, 'utf8')).replace('rsync_args = ["--bwlimit=512"]', ''));
  const next = await zbk(['run', '--config', config]);
  t.is(next.exitCode, 0, next.stderr);
  t.is((await snapshots(`${pool.name}/host`)).length, 1);
});
