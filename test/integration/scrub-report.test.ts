/**
 * Pool health on real zfs-fuse pools: a mirror whose one leg is overwritten with random bytes
 * and scrubbed heals real checksum errors; a single disk with corrupted data cannot.
 */
import { mkdtemp, open, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import test from 'ava';
import { parse } from '../../src/health/parse.js';
import { buildReport } from '../../src/health/report.js';
import { readPools } from '../../src/jobs/health.js';
import { createRunner, SYSTEM_TOOLS } from '../../src/zfs/exec.js';
import { Zfs } from '../../src/zfs/zfs.js';
import { zbk } from '../helpers/cli.js';
import { destroyPool, makePool, sh, TEST_POOL_PREFIX, type TestPool } from '../helpers/pool.js';

const MiB = 1024 * 1024;

/**
 * Random bytes in 256 KiB patches every 8 MiB from `from` to `to`: away from the labels at
 * both ends, and sparse enough that ZFS's ditto copies of metadata survive (whole stretches
 * of garbage take the pool down, and zfs-fuse with it).
 */
async function corrupt(disk: string, from: number, to: number): Promise<void> {
  const fh = await open(disk, 'r+');
  try {
    for (let at = from; at < to; at += 8 * MiB) await fh.write(randomBytes(256 * 1024), 0, 256 * 1024, at);
  } finally {
    await fh.close();
  }
}

async function scrubAndWait(pool: string): Promise<void> {
  await sh('zpool', ['scrub', pool]);
  for (let i = 0; i < 300; i++) {
    const { stdout } = await sh('zpool', ['status', pool]);
    if (!/scrub in progress/.test(stdout)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`scrub of ${pool} did not finish`);
}

async function fill(pool: TestPool, mib: number): Promise<void> {
  await sh('dd', ['if=/dev/urandom', `of=${join(pool.mountpoint, 'data.bin')}`, 'bs=1M', `count=${mib}`, 'conv=fsync', 'status=none']);
}

async function configFor(pool: TestPool): Promise<string> {
  const file = join(pool.dir, 'zbk.toml');
  await writeFile(file, `[zbk]\nstate_dir = "${pool.dir}/state"\ntimezone = "UTC"\n\n[scrub]\npools = ["${pool.name}"]\n`);
  return file;
}

test.serial('a mirror leg overwritten with random bytes: WARNING naming the leg and its checksum count; after zpool clear, OK', async (t) => {
  const pool = await makePool(t, { mirror: true, sizeMiB: 128 });
  const config = await configFor(pool);
  await fill(pool, 64);
  await sh('zpool', ['export', pool.name]);
  await corrupt(pool.disks[1]!, 24 * MiB, 72 * MiB);
  await sh('zpool', ['import', '-d', pool.dir, pool.name]);
  await scrubAndWait(pool.name);

  const r = await zbk(['scrub-report', '--config', config, '--format', 'json']);
  t.is(r.exitCode, 1, r.stderr);
  const out = JSON.parse(r.stdout) as { alert: string; pools: { name: string; alert: string; reasons: string[]; devices: { name: string; cksum: number }[]; scan: { function: string; repaired_bytes: number } }[] };
  const p = out.pools[0]!;
  t.is(out.alert, 'warning');
  t.is(p.name, pool.name);
  const leg = p.devices.find((d) => d.name === pool.disks[1]);
  t.truthy(leg, `the corrupted leg ${pool.disks[1]} is listed`);
  t.true(leg!.cksum > 0);
  t.is(p.scan.function, 'scrub');
  t.true(p.scan.repaired_bytes > 0);
  t.true(p.reasons.some((s) => s.includes(pool.disks[1]!) && s.includes(`${leg!.cksum} checksum errors`)), p.reasons.join('\n'));

  const nagios = await zbk(['scrub-report', '--config', config, '--format', 'nagios']);
  t.is(nagios.exitCode, 1);
  t.regex(nagios.stdout, /^ZBK POOLS WARNING - /);

  const news = await zbk(['scrub-report', '--config', config, '--new-only']);
  t.regex(news.stdout, /first report of this pool/, 'the reports above only read the memory: this is the first to write it');
  const quiet = await zbk(['scrub-report', '--config', config, '--new-only']);
  t.is(quiet.stdout, '', 'nothing new since the last report');

  await sh('zpool', ['clear', pool.name]);
  const ok = await zbk(['scrub-report', '--config', config, '--format', 'json']);
  t.is(ok.exitCode, 0, ok.stdout);
  t.is((JSON.parse(ok.stdout) as { alert: string }).alert, 'ok');
});

test.serial('a single disk with corrupted data: CRITICAL, with the damaged files', async (t) => {
  const pool = await makePool(t, { sizeMiB: 128 });
  const config = await configFor(pool);
  await fill(pool, 64);
  await sh('zpool', ['export', pool.name]);
  await corrupt(pool.disks[0]!, 24 * MiB, 72 * MiB);
  await sh('zpool', ['import', '-d', pool.dir, pool.name]);
  await scrubAndWait(pool.name);
  const r = await zbk(['scrub-report', '--config', config, '--format', 'json']);
  t.is(r.exitCode, 2, r.stdout + r.stderr);
  const p = (JSON.parse(r.stdout) as { pools: { alert: string; data_errors: number | null; error_files: string[] }[] }).pools[0]!;
  t.is(p.alert, 'critical');
  t.true((p.data_errors ?? 1) > 0);
  t.true(p.error_files.some((f) => f.includes('data.bin')), p.error_files.join(', '));
  const text = await zbk(['scrub-report', '--config', config]);
  t.regex(text.stdout, /CRITICAL/);
  t.regex(text.stdout, /data\.bin/);
});

test.serial('zpool status -v too big to read: read again without the lists, CRITICAL with the full count', async (t) => {
  const pool = await makePool(t, { sizeMiB: 128 });
  await fill(pool, 64);
  await sh('zpool', ['export', pool.name]);
  await corrupt(pool.disks[0]!, 24 * MiB, 72 * MiB);
  await sh('zpool', ['import', '-d', pool.dir, pool.name]);
  await scrubAndWait(pool.name);
  const zfs = new Zfs(createRunner(SYSTEM_TOOLS));
  const whole = await readPools(zfs, [pool.name], 'UTC');
  const [listed] = whole.pools;
  t.true((listed?.error_files.length ?? 0) > 0);
  // A limit a little above the output without the list, below the one with it.
  const { text: short } = await zfs.poolStatus([pool.name], { verbose: false });
  const cut = await readPools(zfs, [pool.name], 'UTC', short.length + 10);
  const [p] = cut.pools;
  t.deepEqual(p?.error_files, []);
  t.is(p?.data_errors, listed?.data_errors, 'the count is the same without the list');
  t.regex(cut.notes.join('\n'), new RegExp(`zpool status -v printed more than ${short.length + 10} characters: read without the lists of damaged files`));
  t.is(buildReport(cut, new Map(), { maxAgeMs: null, capacityWarn: 80, capacityCrit: 90 }, new Date()).alert, 'critical');
  t.deepEqual(parse(short, 'UTC').pools[0]?.unknown_lines, []);
});

test.serial('devices named constructor, __proto__ and toString on a real pool: reported and remembered by name', async (t) => {
  const name = `${TEST_POOL_PREFIX}${process.pid}_names`;
  const dir = await mkdtemp(join(tmpdir(), `${name}-`));
  const disk = (d: string) => join(dir, d);
  for (const d of ['constructor', '__proto__', 'toString']) await sh('truncate', ['-s', '128M', disk(d)]);
  t.teardown(() => destroyPool(name, dir));
  await sh('zpool', ['create', '-f', '-o', 'failmode=continue', '-m', disk('mnt'), name, 'mirror', disk('constructor'), disk('__proto__')]);
  const config = join(dir, 'zbk.toml');
  await writeFile(config, `[zbk]\nstate_dir = "${dir}/state"\ntimezone = "UTC"\n\n[scrub]\npools = ["${name}"]\nmax_age = "3650d"\n`);
  const first = await zbk(['scrub-report', '--config', config, '--format', 'json', '--remember']);
  t.is(first.exitCode, 1, first.stderr); // never scrubbed: a warning
  const devices = (JSON.parse(first.stdout) as { pools: { devices: { name: string }[] }[] }).pools[0]?.devices.map((d) => d.name);
  t.deepEqual(devices, [name, 'mirror-0', disk('constructor'), disk('__proto__')]);

  await sh('zpool', ['attach', name, disk('constructor'), disk('toString')]);
  for (let i = 0; i < 100 && /resilver in progress/.test((await sh('zpool', ['status', name])).stdout); i++) await new Promise((r) => setTimeout(r, 200));
  const second = await zbk(['scrub-report', '--config', config, '--remember']);
  t.is(second.stderr, '');
  t.notRegex(second.stdout, /undefined|\[object|function/);
  t.regex(second.stdout, new RegExp(`^${name}: ONLINE, WARNING$`, 'm'));
  const memory = JSON.parse(await sh('cat', [join(dir, 'state', 'health.json')]).then((r) => r.stdout)) as Record<string, { devices: Record<string, unknown> }>;
  t.deepEqual(Object.keys(memory[name]?.devices ?? {}).sort(), [name, 'mirror-0', disk('constructor'), disk('__proto__'), disk('toString')].sort());
});
