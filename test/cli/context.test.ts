/** What every command takes from its arguments: the config, the clock (`--now`), the Zfs. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { clock, configFor, useZfs, zfsFor } from '../../src/cli/context.js';
import { ExitError } from '../../src/cli/errors.js';
import { ConfigError } from '../../src/config/problems.js';
import { replay } from '../helpers/replay.js';

test('--now: ISO 8601 with a zone, or a date; without it, the clock', (t) => {
  t.is(clock({ now: '2026-11-26T03:00:00Z' }).toISOString(), '2026-11-26T03:00:00.000Z');
  t.is(clock({ now: '2026-11-26T05:00+02:00' }).toISOString(), '2026-11-26T03:00:00.000Z');
  t.is(clock({ now: '2026-11-26T03:00:00.250-0100' }).toISOString(), '2026-11-26T04:00:00.250Z');
  t.is(clock({ now: '2026-11-26' }).toISOString(), '2026-11-26T00:00:00.000Z');
  const before = Date.now();
  const now = clock({}).getTime();
  t.true(now >= before && now <= Date.now());
});

test('a bad --now is a usage error (64), never a guess', (t) => {
  for (const now of ['yesterday', '2026-11-26T03:00:00', '2026-11-26 03:00:00Z', '2026-13-01T00:00:00Z', '26-11-2026', '']) {
    const e = t.throws(() => clock({ now }), { instanceOf: ExitError }, now);
    t.is(e?.code, 64);
    t.is(e?.message, `--now ${now}: not an ISO 8601 instant with a zone (e.g. 2026-11-26T03:00:00Z)`);
  }
});

test('the config: --config, checked; optional only where the command says so', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-context-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'zbk.toml');
  await writeFile(file, '[zbk]\nzfs = "/sbin/zfs"\n[[job]]\nname = "a"\ndataset = "tank/a"\nschedule = "61 3 * * *"\n');
  const config = await configFor({ config: file });
  t.deepEqual([config.file, config.tools.zfs, config.jobs.map((j) => j.name)], [file, '/sbin/zfs', ['a']]);
  await t.throwsAsync(configFor({ config: file }, { schedules: true }), { instanceOf: ConfigError, message: /schedule: "61 3 \* \* \*" is not a cron expression/ });
  await t.throwsAsync(configFor({ config: join(dir, 'none.toml') }), { instanceOf: ConfigError, message: /none\.toml: no such file/ });
});

test.serial('zfsFor: a Zfs on the config\'s tools; useZfs hands commands another until restored', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-context-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'zbk.toml');
  await writeFile(file, `[zbk]\nzfs = "${dir}/no-zfs"\n`);
  const config = await configFor({ config: file });
  await t.throwsAsync(zfsFor(config).listFilesystems(), { message: `${dir}/no-zfs not found (set [zbk] zfs in the config to its absolute path)` });
  const r = replay(t);
  const restore = useZfs(r.zfs);
  t.is(zfsFor(config), r.zfs);
  restore();
  t.not(zfsFor(config), r.zfs);
});
