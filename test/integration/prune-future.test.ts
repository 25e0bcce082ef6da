/**
 * A clock from the future never anchors retention, on a real pool with the real CLI: a snapshot
 * named more than a day after its creation stops `prune` unless --force, and `snapshot` or `run`
 * with a --now more than a day ahead is refused where the dataset holds real snapshots. Names
 * in the past (a simulated history, an import) keep working as before.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import test from '../helpers/zfs-test.js';
import { unwrap, zbk } from '../helpers/cli.js';
import { makePool, sh } from '../helpers/pool.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const iso = (t: Date) => t.toISOString().replace(/\.\d{3}Z$/, 'Z');
const stamp = (t: Date) => `zbk_${iso(t).replace(/[-:]/g, '').replace(/^(\d{4})(\d{2})(\d{2})/, '$1-$2-$3')}`;
/** The clock, to the second, as zbk names it. */
const clockNow = () => new Date(Math.floor(Date.now() / 1000) * 1000);

const FUTURE = '2036-01-01T03:00:00Z';
const FUTURE_NAME = 'zbk_2036-01-01T030000Z';

async function setup(t: ExecutionContext) {
  const pool = await makePool(t);
  const src = join(pool.dir, 'src');
  await mkdir(src);
  await writeFile(join(src, 'pulled'), 'x');
  const config = join(pool.dir, 'zbk.toml');
  const job = (name: string, source: boolean) =>
    `[[job]]\nname = "${name}"\ndataset = "${pool.name}/${name}"\nretention = "last3"\n${source ? `source = "${src}/"\n` : ''}`;
  await writeFile(config, `[zbk]
timezone = "UTC"
state_dir = "${pool.dir}/state"

[retention.last3]
keep_last = 3

${job('real', false)}
${job('pulled', true)}
${job('fresh', false)}
`);
  const init = await zbk(['init', '--config', config]);
  t.is(init.exitCode, 0, init.stderr);
  return { pool, config, ds: (name: string) => `${pool.name}/${name}` };
}

const names = async (dataset: string) =>
  (await sh('zfs', ['list', '-H', '-o', 'name', '-t', 'snapshot', '-r', dataset])).stdout.split('\n').filter(Boolean).map((n) => n.split('@')[1]!).sort();

test('a snapshot named from the future stops prune, dry run and run\'s prune step; --force prunes, keeping it', async (t) => {
  const { config, ds } = await setup(t);
  const dataset = ds('real');
  const clock = clockNow();
  const real = [1, 2, 3, 4, 5, 6].map((h) => new Date(clock.getTime() - h * HOUR)); // tonight's hourlies, taken by the clock
  for (const at of real) t.is((await zbk(['snapshot', '--config', config, '--job', 'real', '--now', iso(at)])).exitCode, 0);
  const refused = await zbk(['snapshot', '--config', config, '--job', 'real', '--now', FUTURE]);
  t.is(refused.exitCode, 2);
  t.regex(refused.stderr, new RegExp(`^zbk: snapshot of ${dataset} failed: --now ${FUTURE} is more than a day after the clock \\(.*\\), and ${dataset} ` +
    `holds 6 real snapshots \\(the last taken: ${stamp(real[5]!)}\\): .* rehearsals belong on a scratch pool .*; --force to do it anyway$`, 'm'));
  const forced = await zbk(['snapshot', '--config', config, '--job', 'real', '--now', FUTURE, '--force']);
  t.is(forced.exitCode, 0, forced.stderr);
  const before = await names(dataset);
  t.is(before.length, 7);

  const named = new RegExp(`${dataset}@${FUTURE_NAME} is named 2036-01-01T03:00:00Z, more than a day after its creation \\(\\d{4}-\\d\\d-\\d\\dT[\\d:]{8}Z\\): ` +
    `a clock or --now from the future named it, and it would anchor retention; nothing destroyed \\(if it is a mistake: zfs destroy ${dataset}@${FUTURE_NAME}; --force prunes anyway\\)`);
  for (const now of [[], ['--now', '2037-01-01T00:00:00Z']]) {
    const r = await zbk(['prune', '--config', config, '--job', 'real', ...now]);
    t.is(r.exitCode, 2, r.stdout + r.stderr);
    t.regex(r.stderr, named);
    t.notRegex(r.stderr, /gone backwards/, 'one reason, not two');
    t.deepEqual(await names(dataset), before, 'nothing destroyed');
  }

  const dry = await zbk(['prune', '--config', config, '--job', 'real', '--dry-run']);
  t.is(dry.exitCode, 2, 'a dry run exits as the real run would');
  t.regex(dry.stdout, new RegExp(`^  A real prune would refuse: ${dataset}@${FUTURE_NAME} is`, 'm'));
  t.regex(dry.stdout, new RegExp(`^  KEEP     ${FUTURE_NAME}  newest, in the future$`, 'm'));
  t.regex(dry.stdout, new RegExp(`^  DESTROY  ${stamp(real[5]!)}$`, 'm'), 'the plan is still shown');
  const json = await zbk(['prune', '--config', config, '--job', 'real', '--dry-run', '--format', 'json']);
  t.is(json.exitCode, 2);
  const entry = (JSON.parse(json.stdout) as { datasets: { dataset: string; refused: string | null; snapshots: { name: string; action: string }[] }[] }).datasets[0]!;
  t.regex(entry.refused!, named);
  t.deepEqual(entry.snapshots.filter((s) => s.action === 'destroy').map((s) => s.name), [stamp(real[3]!), stamp(real[4]!), stamp(real[5]!)]);
  t.deepEqual(await names(dataset), before);

  const run = await zbk(['run', '--config', config, '--job', 'real']);
  t.is(run.exitCode, 1, run.stdout + run.stderr);
  t.regex(unwrap(run.stdout), /WARNING: prune: .*more than a day after its creation/);
  const afterRun = await names(dataset);
  t.is(afterRun.length, 8, 'the night\'s snapshot taken, nothing destroyed');

  const pruned = await zbk(['prune', '--config', config, '--job', 'real', '--force', '--format', 'json']);
  t.is(pruned.exitCode, 0, pruned.stderr);
  const survivors = await names(dataset);
  t.true(survivors.includes(FUTURE_NAME), 'kept: it is after now');
  t.deepEqual(survivors.filter((n) => n !== FUTURE_NAME), afterRun.filter((n) => n !== FUTURE_NAME).slice(-3), 'keep_last 3 counted among the real ones');
});

test('snapshot and run with a --now more than a day ahead: refused where there are real snapshots, allowed on a fresh or simulated dataset', async (t) => {
  const { pool, config, ds } = await setup(t);
  const clock = clockNow();
  const ahead = (days: number) => iso(new Date(clock.getTime() + days * DAY));
  const rehearsal = /is more than a day after the clock \(.*\), and .* holds 1 real snapshot \(the last taken: zbk_.*\): a snapshot named in the future would stop every prune of it; rehearsals belong on a scratch pool \(zpool create on a file\); --force to do it anyway/;

  // A fresh dataset is a rehearsal: any year will do, and so will a dataset of simulated nights only.
  for (const days of [4, 5]) {
    const r = await zbk(['snapshot', '--config', config, '--job', 'fresh', '--now', ahead(days)]);
    t.is(r.exitCode, 0, r.stderr);
  }
  t.is((await names(ds('fresh'))).length, 2);

  // Real snapshots, taken by the clock: then tomorrow + 2 days is refused, for that dataset only.
  for (const job of ['real', 'pulled']) t.is((await zbk(['snapshot', '--config', config, '--job', job])).exitCode, 0);
  const both = await zbk(['snapshot', '--config', config, '--job', 'real', '--job', 'fresh', '--now', ahead(3), '--format', 'json']);
  t.is(both.exitCode, 2);
  const out = JSON.parse(both.stdout) as { taken: string[]; failed: { dataset: string; reason: string }[] };
  t.deepEqual(out.taken, [ds('fresh')]);
  t.deepEqual(out.failed.map((f) => f.dataset), [ds('real')]);
  t.regex(out.failed[0]!.reason, rehearsal);
  t.regex(both.stderr, new RegExp(`^zbk: snapshot of ${ds('real')} failed: --now ${ahead(3)} is more than a day after the clock`, 'm'));
  t.is((await names(ds('real'))).length, 1, 'nothing created');

  // A foreign snapshot is real history too.
  await sh('zfs', ['snapshot', `${ds('fresh')}@before-upgrade`]);
  const foreign = await zbk(['snapshot', '--config', config, '--job', 'fresh', '--now', ahead(6)]);
  t.is(foreign.exitCode, 2);
  t.regex(foreign.stderr, /holds 1 real snapshot \(the last taken: before-upgrade\)/);

  // Up to a day ahead is a test's or a demo's tonight; the past is a simulation or an import.
  t.is((await zbk(['snapshot', '--config', config, '--job', 'real', '--now', ahead(0.9)])).exitCode, 0);
  t.is((await zbk(['snapshot', '--config', config, '--job', 'real', '--now', '2026-03-01T03:00:00Z'])).exitCode, 0);
  t.is((await names(ds('real'))).length, 3);

  // run: refused before the pull, the job failed and said why; its dry run says so too.
  const dry = await zbk(['run', '--config', config, '--job', 'pulled', '--now', ahead(3), '--dry-run']);
  t.regex(dry.stdout, /^ {2}cannot run: --now .* rehearsals belong on a scratch pool/m);
  const run = await zbk(['run', '--config', config, '--job', 'pulled', '--now', ahead(3)]);
  t.is(run.exitCode, 2, run.stdout + run.stderr);
  t.regex(unwrap(run.stdout), /^pulled: FAILED: nothing pulled: --now .* rehearsals belong on a scratch pool \(zpool create on a file\); --force to do it anyway$/m);
  t.is((await names(ds('pulled'))).length, 1);
  t.false(existsSync(join(pool.mountpoint, 'pulled', 'pulled')), 'nothing pulled');
  const state = JSON.parse(await readFile(join(pool.dir, 'state', 'jobs', 'pulled.json'), 'utf8')) as { lastAttempt: { outcome: string; message: string } };
  t.is(state.lastAttempt.outcome, 'failed');
  t.regex(state.lastAttempt.message, rehearsal);

  // --force does it anyway; the run's own prune then stops on the name it made, and says so.
  const forced = await zbk(['run', '--config', config, '--job', 'pulled', '--now', ahead(3), '--force']);
  t.is(forced.exitCode, 1, forced.stdout + forced.stderr);
  t.regex(unwrap(forced.stdout), /WARNING: prune: .*more than a day after its creation/);
  t.true(existsSync(join(pool.mountpoint, 'pulled', 'pulled')));
  t.is((await names(ds('pulled'))).length, 2);
});

test('a simulated history in the past prunes as before, also with a --now in the future', async (t) => {
  const { config, ds } = await setup(t);
  const dataset = ds('real');
  const nights = Array.from({ length: 8 }, (_, i) => new Date(Date.UTC(2026, 2, 1 + i, 3)));
  for (const at of nights) t.is((await zbk(['snapshot', '--config', config, '--job', 'real', '--now', iso(at)])).exitCode, 0);
  const ahead = await zbk(['prune', '--config', config, '--job', 'real', '--now', iso(new Date(Date.now() + 30 * DAY)), '--dry-run']);
  t.is(ahead.exitCode, 0, ahead.stderr);
  t.notRegex(ahead.stdout, /would refuse/);
  const r = await zbk(['prune', '--config', config, '--job', 'real', '--now', iso(nights[7]!)]);
  t.is(r.exitCode, 0, r.stderr);
  t.deepEqual(await names(dataset), nights.slice(5).map(stamp));
});
