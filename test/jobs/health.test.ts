/**
 * Pool health at the edges: the report memory in state_dir, pool names checked, zpool failing
 * reported; and the health service on zpool's recorded answers (test/helpers/replay.ts), in
 * both dialects: the text of zfs-fuse and older ZFS, and OpenZFS 2.3's `zpool status -j`.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/problems.js';
import { badPoolArgument, healthCheck, loadMemory, poolsToCheck, readPools, saveMemory } from '../../src/jobs/health.js';
import { createRunner } from '../../src/zfs/exec.js';
import { Zfs } from '../../src/zfs/zfs.js';
import { fixture } from '../helpers/fixtures.js';
import { exchange, replay } from '../helpers/replay.js';

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

const R = 'zfs/replay/';
const status = (command: string, file: string) => exchange(command, { stdout: fixture(`zpool-status/${file}`) });
/** `zpool list -H -o name,capacity,health` as zpool-list(8) prints it: tab-separated, the capacity with its %. */
const capacity = (pool: string, percent: number) =>
  exchange(`zpool list -H -o name,capacity,health -- ${pool}`, { stdout: `${pool}\t${percent}%\tONLINE\n` });

test('text (zfs-fuse): probe, status, capacity; healed checksum errors alert once, then are remembered and not news', async (t) => {
  const { dir, config } = await configWith(t, '\n[scrub]\npools = ["zbkh_m"]\n');
  const mail = join(dir, 'mail.txt');
  const withAlert = { ...config, alert: { ...config.alert, command: `cat >> ${mail}` } };
  const look = [status('zpool status -v -- zbkh_m', 'fuse-mirror-scrub-healed-checksum-errors.txt'), capacity('zbkh_m', 1)];
  const r = replay(t, `${R}legacy-probe-status-j.txt`, look, look);
  const now = new Date('2026-11-28T06:00:00Z');
  const first = await healthCheck(withAlert, r.zfs, now);
  t.deepEqual(r.calls, ['zpool status -j zbk-probe-no-such-pool', 'zpool status -v -- zbkh_m', 'zpool list -H -o name,capacity,health -- zbkh_m']);
  t.is(first.report.alert, 'warning');
  t.deepEqual(first.report.pools.map((p) => [p.status.name, p.capacity]), [['zbkh_m', 1]]);
  t.deepEqual(first.scrubs.map((s) => [s.pool, s.scrub]), [['zbkh_m', false]], 'scrubbed the day before');
  t.true(first.alerted);
  t.deepEqual(first.problems, []);
  t.regex(await readFile(mail, 'utf8'), /zbkh_m/);
  const second = await healthCheck(withAlert, r.zfs, new Date('2026-11-28T07:00:00Z'));
  t.is(r.calls.length, 5, 'the probe is asked once');
  t.is(second.report.alert, 'warning');
  t.false(second.alerted, 'nothing new since the report before');
});

test('text (zfs-fuse): a pool never scrubbed gets its scrub, and is read again after it', async (t) => {
  const { config } = await configWith(t, '\n[scrub]\npools = ["zbkh_m"]\n');
  const r = replay(t, `${R}legacy-probe-status-j.txt`,
    [status('zpool status -v -- zbkh_m', 'fuse-mirror-healthy-never-scrubbed.txt'), capacity('zbkh_m', 1), exchange('zpool scrub -- zbkh_m'),
      status('zpool status -v -- zbkh_m', 'fuse-mirror-scrub-completed-clean.txt'), capacity('zbkh_m', 1)]);
  const c = await healthCheck(config, r.zfs, new Date('2026-11-28T06:00:00Z'));
  t.deepEqual(c.scrubs.map((s) => [s.pool, s.scrub]), [['zbkh_m', true]]);
  t.deepEqual(c.problems, []);
  t.is(c.report.alert, 'ok', 'the report is of the pools as they are after the scrub started');
});

test('text: a scrub zpool refuses to start is a problem of the check, not its end', async (t) => {
  const { config } = await configWith(t, '\n[scrub]\npools = ["zbkh_m"]\n');
  const look = [status('zpool status -v -- zbkh_m', 'fuse-mirror-healthy-never-scrubbed.txt'), capacity('zbkh_m', 1)];
  const r = replay(t, `${R}legacy-probe-status-j.txt`, look,
    [exchange('zpool scrub -- zbkh_m', { exitCode: 1, stderr: "cannot scrub 'zbkh_m': pool I/O is currently suspended\n" })], look);
  const c = await healthCheck(config, r.zfs, new Date('2026-11-28T06:00:00Z'));
  t.is(c.problems.length, 1);
  t.regex(c.problems[0]!, /^zbkh_m: could not start a scrub: .*pool I\/O is currently suspended/);
});

test('-j (OpenZFS 2.3): probe, status as JSON, capacity from zpool list; a pool over capacity_crit is CRITICAL', async (t) => {
  const { dir, config } = await configWith(t, '\n[scrub]\npools = ["tank"]\n');
  const mail = join(dir, 'mail.txt');
  const withAlert = { ...config, alert: { ...config.alert, command: `cat > ${mail}` } };
  const r = replay(t, `${R}openzfs-probe-status-j.txt`,
    [status('zpool status -j --json-int -v -- tank', 'openzfs-2.3-json-int-nested-groups-healed-checksum.json'), capacity('tank', 93)]);
  const c = await healthCheck(withAlert, r.zfs, new Date('2026-11-28T06:00:00Z'));
  t.is(c.report.alert, 'critical');
  t.deepEqual(c.report.pools.map((p) => [p.status.name, p.capacity]), [['tank', 93]]);
  t.true(c.report.pools[0]!.assessment.reasons.some((reason) => /93%/.test(reason)), c.report.pools[0]!.assessment.reasons.join('; '));
  t.true(c.alerted);
  t.regex(await readFile(mail, 'utf8'), /tank/);
});

test('readPools in both dialects: each answer parsed in the form zpool was asked for, capacities by pool', async (t) => {
  const text = replay(t, `${R}legacy-probe-status-j.txt`, [status('zpool status -v -- zbkh_s', 'fuse-single-permanent-errors-snapshot-files-v.txt'), capacity('zbkh_s', 5)]);
  const read = await readPools(text.zfs, ['zbkh_s']);
  t.deepEqual(read.parsed.pools.map((p) => p.name), ['zbkh_s']);
  t.deepEqual(read.parsed.unknown_lines, [], 'read as text');
  t.deepEqual([...read.capacities], [['zbkh_s', 5]]);
  const json = replay(t, `${R}openzfs-probe-status-j.txt`, [status('zpool status -j --json-int -v -- tank', 'openzfs-2.3-json-int-flat-vdevs.json'), capacity('tank', 40)]);
  const readJson = await readPools(json.zfs, ['tank']);
  t.true(readJson.parsed.pools.some((p) => p.name === 'tank'));
  t.deepEqual(readJson.parsed.unknown_lines, [], 'read as JSON');
  t.deepEqual([...readJson.capacities], [['tank', 40]]);
});

test('an output too big to read with -v is read again without the lists of damaged files, and says so', async (t) => {
  const verbose = fixture('zpool-status/fuse-single-permanent-errors-snapshot-files-v.txt');
  const counted = fixture('zpool-status/fuse-single-data-errors-count.txt');
  t.true(counted.length < verbose.length);
  const r = replay(t, `${R}legacy-probe-status-j.txt`,
    [status('zpool status -v -- zbkh_s', 'fuse-single-permanent-errors-snapshot-files-v.txt'),
      status('zpool status -- zbkh_s', 'fuse-single-data-errors-count.txt'), capacity('zbkh_s', 5)]);
  const read = await readPools(r.zfs, ['zbkh_s'], counted.length);
  t.deepEqual(read.parsed.pools.map((p) => p.name), ['zbkh_s']);
  t.true(read.parsed.notes.includes(`zpool status -v printed more than ${counted.length} characters: read without the lists of damaged files`));
});
