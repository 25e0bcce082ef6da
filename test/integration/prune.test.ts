/**
 * Retention on a real pool: 400 simulated nights with the box off for two weeks, pruned with
 * `--now` as the nights go by. The expected survivors were worked out by hand from the policy
 * (restic's semantics), not by zbk's planner.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from '../helpers/zfs-test.js';
import { zbk } from '../helpers/cli.js';
import { makePool, sh } from '../helpers/pool.js';

const DAY = 86400_000;
const night = (i: number) => new Date(Date.UTC(2025, 9, 1, 3) + i * DAY); // night 0: 2025-10-01 03:00Z
const stamp = (t: Date) => t.toISOString().replace(/[-:]/g, '').replace(/^(\d{4})(\d{2})(\d{2})T(\d{6})\.000Z$/, '$1-$2-$3T$4Z');
const isoNow = (t: Date) => t.toISOString().replace('.000Z', 'Z');
const inGap = (t: Date) => t >= new Date('2026-10-10T00:00:00Z') && t < new Date('2026-10-24T00:00:00Z');

async function setup(t: Parameters<typeof makePool>[0]) {
  const pool = await makePool(t);
  const dataset = `${pool.name}/usa-vds`;
  await sh('zfs', ['create', dataset]);
  const config = join(pool.dir, 'zbk.toml');
  await writeFile(config, `[zbk]
timezone = "UTC"
state_dir = "${pool.dir}/state"

[retention.nightly]
daily = 7
weekly = 4
monthly = 6
yearly = 1

[[job]]
name = "usa-vds"
dataset = "${dataset}"
retention = "nightly"
`);
  return { pool, dataset, config };
}

const names = async (dataset: string) =>
  (await sh('zfs', ['list', '-H', '-o', 'name', '-t', 'snapshot', '-r', dataset])).stdout.split('\n').filter(Boolean).map((n) => n.split('@')[1]!);

test('400 nights, two weeks off, daily 7 weekly 4 monthly 6 yearly 1: exactly the expected survivors', async (t) => {
  const { dataset, config } = await setup(t);
  await sh('zfs', ['snapshot', `${dataset}@manual-before-upgrade`]);
  for (let i = 0; i < 397; i++) {
    const t0 = night(i);
    if (inGap(t0)) continue;
    await sh('zfs', ['snapshot', `${dataset}@zbk_${stamp(t0)}`]);
    if (i % 100 === 99) {
      const r = await zbk(['prune', '--config', config, '--now', isoNow(t0)]);
      t.is(r.exitCode, 0, r.stderr);
    }
  }
  for (let i = 397; i < 400; i++) {
    const r = await zbk(['snapshot', '--config', config, '--job', 'usa-vds', '--now', isoNow(night(i))]);
    t.is(r.exitCode, 0, r.stderr);
    t.is(r.stdout.trim(), `${dataset}@zbk_${stamp(night(i))}`);
  }
  const now = isoNow(night(399)); // 2026-11-04T03:00:00Z, a Wednesday

  const before = await names(dataset);
  const dry = await zbk(['prune', '--config', config, '--now', now, '--dry-run', '--format', 'json']);
  t.is(dry.exitCode, 0, dry.stderr);
  t.deepEqual(await names(dataset), before, '--dry-run destroys nothing');
  const plan = JSON.parse(dry.stdout) as { datasets: { dataset: string; snapshots: { name: string; action: string; reasons: string[] }[]; foreign: string[] }[] };
  t.deepEqual(plan.datasets[0]!.foreign, ['manual-before-upgrade']);
  const kept = plan.datasets[0]!.snapshots.filter((s) => s.action === 'keep').map((s) => [s.name, s.reasons]);
  const expected: [string, string[]][] = [
    ['zbk_2026-11-04T030000Z', ['newest', 'daily 1/7', 'weekly 1/4', 'monthly 1/6', 'yearly 1/1']],
    ['zbk_2026-11-03T030000Z', ['daily 2/7']],
    ['zbk_2026-11-02T030000Z', ['daily 3/7']],
    ['zbk_2026-11-01T030000Z', ['daily 4/7', 'weekly 2/4']], // Sunday: the newest of ISO week 44
    ['zbk_2026-10-31T030000Z', ['daily 5/7', 'monthly 2/6']],
    ['zbk_2026-10-30T030000Z', ['daily 6/7']],
    ['zbk_2026-10-29T030000Z', ['daily 7/7']],
    ['zbk_2026-10-25T030000Z', ['weekly 3/4']], // week 43; weeks 42 and most of 41 fell in the gap
    ['zbk_2026-10-09T030000Z', ['weekly 4/4']], // the last night before the box went off (week 41)
    ['zbk_2026-09-30T030000Z', ['monthly 3/6']],
    ['zbk_2026-08-31T030000Z', ['monthly 4/6']],
    ['zbk_2026-07-31T030000Z', ['monthly 5/6']],
    ['zbk_2026-06-30T030000Z', ['monthly 6/6']],
  ];
  t.deepEqual(kept, expected);

  const text = await zbk(['prune', '--config', config, '--now', now, '--dry-run']);
  t.regex(text.stdout, /KEEP\s+zbk_2026-10-09T030000Z\s+weekly 4\/4/);
  t.regex(text.stdout, /DESTROY\s+zbk_2026-10-08T030000Z/);
  t.regex(text.stdout, /manual-before-upgrade/);

  const real = await zbk(['prune', '--config', config, '--now', now]);
  t.is(real.exitCode, 0, real.stderr);
  t.deepEqual((await names(dataset)).sort(), [...expected.map(([n]) => n), 'manual-before-upgrade'].sort());

  const again = await zbk(['prune', '--config', config, '--now', now, '--format', 'json']);
  t.is(again.exitCode, 0);
  t.deepEqual((JSON.parse(again.stdout) as { datasets: { destroyed: string[] }[] }).datasets[0]!.destroyed, [], 'pruning the survivors destroys nothing');
});

test('a clock behind the newest snapshot prunes nothing unless forced', async (t) => {
  const { dataset, config } = await setup(t);
  for (let i = 0; i < 20; i++) await sh('zfs', ['snapshot', `${dataset}@zbk_${stamp(night(i))}`]);
  const r = await zbk(['prune', '--config', config, '--now', isoNow(night(10))]);
  t.is(r.exitCode, 2);
  t.regex(r.stderr, /after now \(2025-10-11T03:00:00Z\): the clock may have gone backwards; nothing destroyed/);
  t.is((await names(dataset)).length, 20);
  const forced = await zbk(['prune', '--config', config, '--now', isoNow(night(19)), '--force']);
  t.is(forced.exitCode, 0, forced.stderr);
  t.true((await names(dataset)).length < 20);
});

test('prune DATASET without a config uses the built-in default policy and never touches foreign names', async (t) => {
  const pool = await makePool(t);
  for (let i = 0; i < 40; i++) await sh('zfs', ['snapshot', `${pool.name}@zbk_${stamp(night(i))}`]);
  await sh('zfs', ['snapshot', `${pool.name}@zbk_notadate`]);
  await sh('zfs', ['snapshot', `${pool.name}@other_2025-10-01T030000Z`]);
  const r = await zbk(['prune', pool.name, '--now', isoNow(night(39)), '--format', 'json'], { env: { ZBK_CONFIG: '' } });
  t.is(r.exitCode, 0, r.stderr);
  const left = await names(pool.name);
  t.true(left.includes('zbk_notadate') && left.includes('other_2025-10-01T030000Z'));
  t.true(left.includes(`zbk_${stamp(night(39))}`));
  t.true(left.length < 42);
});
