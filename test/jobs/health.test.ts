/** Pool health at the edges: the report memory in state_dir, pool names checked, zpool failing reported. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/problems.js';
import { badPoolArgument, healthCheck, loadMemory, poolsToCheck, saveMemory } from '../../src/jobs/health.js';
import { createRunner } from '../../src/zfs/exec.js';
import { Zfs } from '../../src/zfs/zfs.js';

async function configWith(t: ExecutionContext, extra = '') {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-health-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'zbk.toml');
  await writeFile(file, `[zbk]\nstate_dir = "${dir}/state"\ntimezone = "UTC"\n${extra}`);
  return { dir, config: await loadConfig({ path: file }) };
}

test('the memory is saved and loaded by pool name, constructor included; none yet is empty', async (t) => {
  const { dir, config } = await configWith(t);
  t.is((await loadMemory(config)).size, 0);
  const pool = { at: '2026-11-26T06:00:00Z', state: 'ONLINE', alert: 'ok' as const, data_errors: 0, last_scan_end: null, last_scrub_end: null, devices: new Map() };
  await saveMemory(config, new Map([['constructor', pool], ['__proto__', pool]]));
  t.deepEqual([...(await loadMemory(config)).keys()], ['constructor', '__proto__']);
  t.regex(await readFile(join(dir, 'state', 'health.json'), 'utf8'), /^\{\n {2}"constructor": \{/);
});

test('pool arguments and [scrub] pools that are no pool names are refused', async (t) => {
  t.is(badPoolArgument(['tank', 'constructor']), null);
  t.is(badPoolArgument(['tank', '-f']), '"-f": a pool name begins with a letter');
  // The config check refuses a [scrub] pools entry at load; poolsToCheck is the second guard.
  const { config } = await configWith(t, '\n[scrub]\npools = ["tank"]\n');
  const forged = { ...config, scrub: { ...config.scrub, pools: ['tank', '--help'] } };
  t.throws(() => poolsToCheck(forged, undefined), { instanceOf: ConfigError, message: /scrub\.pools: "--help": a pool name begins with a letter/ });
  t.deepEqual(poolsToCheck(forged, ['tank']), ['tank']);
});

test('the daemon\'s check: zpool failing is an UNKNOWN report that goes to [alert] command', async (t) => {
  const { dir, config } = await configWith(t);
  const mail = join(dir, 'mail.txt');
  const withAlert = { ...config, alert: { ...config.alert, command: `cat > ${mail}` } };
  const r = await healthCheck(withAlert, new Zfs(createRunner({ zfs: join(dir, 'no-zfs'), zpool: join(dir, 'no-zpool') })));
  t.is(r.report.alert, 'unknown');
  t.true(r.alerted);
  t.deepEqual(r.problems, []);
  t.regex(await readFile(mail, 'utf8'), /not understood: zpool status failed: .*no-zpool not found/);
});
