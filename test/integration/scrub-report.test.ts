/**
 * Pool health on real zfs-fuse pools: a mirror whose one leg is overwritten with random bytes
 * and scrubbed heals real checksum errors; a single disk with corrupted data cannot.
 */
import { mkdtemp, open, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import test from '../helpers/zfs-test.js';
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
  const whole = await readPools(zfs, [pool.name]);
  const [listed] = whole.parsed.pools;
  t.true((listed?.error_files.length ?? 0) > 0);
  // A limit a little above the output without the list, below the one with it.
  const { text: short } = await zfs.poolStatus([pool.name], { verbose: false });
  const cut = await readPools(zfs, [pool.name], short.length + 10);
  const [p] = cut.parsed.pools;
  t.deepEqual(p?.error_files, []);
  t.is(p?.data_errors, listed?.data_errors, 'the count is the same without the list');
  t.regex(cut.parsed.notes.join('\n'), new RegExp(`zpool status -v printed more than ${short.length + 10} characters: read without the lists of damaged files`));
  t.is(buildReport(cut.parsed, new Map(), { maxAgeMs: null, capacityWarn: 80, capacityCrit: 90 }, new Date()).alert, 'critical');
  t.deepEqual(parse(short, 'text', 'UTC').pools[0]?.unknown_lines, []);
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

type LiveJson = {
  alert: string;
  pools: { reasons: string[]; scan: { end_time: string | null }; devices: { name: string; cksum: number; rise: { read: number; write: number; cksum: number; since: string } | null }[] }[];
};
const leg = (stdout: string, name: string) => (JSON.parse(stdout) as LiveJson).pools[0]?.devices.find((d) => d.name === name);

test.serial('a mirror leg corrupted a little more before each of three scrubs: the third report names it with its rise and warns to replace it; a zpool clear gives rise null', async (t) => {
  const pool = await makePool(t, { mirror: true, sizeMiB: 128 });
  const config = await configFor(pool);
  const disk = pool.disks[1]!;
  await fill(pool, 64);
  // No export/import between scrubs: zfs-fuse's counters start again from zero on import.
  const scrubWith = async (from: number) => {
    await corrupt(disk, from * MiB, (from + 16) * MiB);
    await scrubAndWait(pool.name);
  };
  await scrubWith(24);
  const first = await zbk(['scrub-report', '--config', config, '--format', 'json', '--remember']);
  const c1 = leg(first.stdout, disk)?.cksum ?? 0;
  t.true(c1 > 0, first.stdout);
  t.is(leg(first.stdout, disk)?.rise, null, 'nothing remembered before it');
  const firstAt = JSON.parse(await readFile(join(pool.dir, 'state', 'health.json'), 'utf8'))[pool.name].at as string;

  await scrubWith(40);
  for (const format of ['nagios', 'prometheus', 'text']) t.is((await zbk(['scrub-report', '--config', config, '--format', format])).exitCode, 1, format);
  const second = await zbk(['scrub-report', '--config', config, '--format', 'json', '--new-only']);
  const c2 = leg(second.stdout, disk)?.cksum ?? 0;
  t.true(c2 > c1, `${c1} → ${c2}`);
  t.deepEqual(leg(second.stdout, disk)?.rise, { read: 0, write: 0, cksum: c2 - c1, since: firstAt }, 'the reports between only read the memory');
  t.false((JSON.parse(second.stdout) as LiveJson).pools[0]?.reasons.some((r) => r.includes('replace it soon')), 'one rise is not two');

  await scrubWith(56);
  const third = await zbk(['scrub-report', '--config', config, '--format', 'json']);
  t.is(third.exitCode, 1, third.stderr);
  const c3 = leg(third.stdout, disk)?.cksum ?? 0;
  t.true(c3 > c2, `${c2} → ${c3}`);
  t.is(leg(third.stdout, disk)?.rise?.cksum, c3 - c2);
  const warned = (JSON.parse(third.stdout) as LiveJson).pools[0]?.reasons[0] ?? '';
  t.is(warned, `${pool.name}: ${disk}: checksum errors ${c2} → ${c3} since ${new Date().toISOString().slice(0, 10)}, +${c3 - c2}, the second rise in a row — replace it soon: \`zpool replace ${pool.name} ${disk} NEW-DEVICE\``);
  const mail = await zbk(['scrub-report', '--config', config, '--remember']);
  t.true(mail.stdout.split('\n')[2]?.startsWith(`- ${pool.name}: ${disk}: checksum errors ${c2} → ${c3}`), mail.stdout);

  await sh('zpool', ['clear', pool.name]);
  const cleared = await zbk(['scrub-report', '--config', config, '--format', 'json', '--remember']);
  t.is(leg(cleared.stdout, disk)?.rise, null, 'the counters fell: a new baseline, not a negative rise');
  t.is(leg(cleared.stdout, disk)?.cksum, 0);
});

test.serial('a scrub finished at a known instant is reported at that instant, whatever timezone and the system zone say', async (t) => {
  const pool = await makePool(t, { sizeMiB: 128 });
  const config = await configFor(pool);
  await writeFile(config, (await readFile(config, 'utf8')).replace('timezone = "UTC"', 'timezone = "America/Los_Angeles"'));
  const before = Math.floor(Date.now() / 1000) * 1000;
  await scrubAndWait(pool.name);
  const after = Date.now();
  for (const tz of ['Pacific/Kiritimati', 'America/Los_Angeles', 'UTC']) {
    const r = await zbk(['scrub-report', '--config', config, '--format', 'json'], { env: { TZ: tz } });
    const end = Date.parse((JSON.parse(r.stdout) as LiveJson).pools[0]?.scan.end_time ?? '');
    t.true(end >= before && end <= after, `TZ=${tz}: ${new Date(end).toISOString()} is not between ${new Date(before).toISOString()} and ${new Date(after).toISOString()}`);
  }
});
