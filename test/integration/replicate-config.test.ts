/**
 * Issue #13 on the real CLI: a bad [[target]] or job.replicate is a config error (78) naming
 * file, line and key; and on a real pool (zfs-fuse) the source's prune keeps the snapshot a
 * target holds as the base of its next incremental send, with the reason `replica base: T`.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import test from '../helpers/zfs-test.js';
import { zbk } from '../helpers/cli.js';
import { makePool, sh } from '../helpers/pool.js';

async function configFile(t: ExecutionContext, body: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-replcfg-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'zbk.toml');
  await writeFile(file, `[zbk]\nstate_dir = "${dir}/state"\n\n${body}`);
  return file;
}

const WEB = '[[job]]\nname = "web"\ndataset = "tank/backup/web"\n';

test.serial('configtest: a bad target is a config error (78) naming file, line and key; nothing else runs on it', async (t) => {
  const cases: [string, RegExp][] = [
    [`${WEB}\n[[target]]\nname = "offsite"\nhost = "-oProxyCommand=touch /tmp/owned"\ndataset = "vault/zbk"\n`,
      /zbk\.toml:10: target "offsite"\.host: "-oProxyCommand=touch \/tmp\/owned" starts with "-": ssh would read it as an option/],
    [`${WEB}replicate = ["offsite"]\n`, /zbk\.toml:7: job "web"\.replicate: no target "offsite" \(no \[\[target\]\] is defined\)/],
    [`${WEB}\n[[target]]\nname = "usb"\ndataset = "tank/backup/web/copies"\n`,
      /zbk\.toml:10: target "usb"\.dataset: tank\/backup\/web\/copies is inside the dataset tank\/backup\/web of job "web"/],
    [`${WEB}\n[[target]]\nname = "usb"\ndataset = "usb/zbk"\nssh_key = "/root/.ssh/k"\n`,
      /zbk\.toml:11: target "usb"\.ssh_key: is for a target with a host \(over ssh\) only/],
    [`${WEB}\n[[target]]\nname = "offsite"\nhost = "vault"\ndataset = "vault/zbk"\nschedule = "every night"\n`,
      /zbk\.toml:12: target "offsite"\.schedule: "every night" has 2 fields/],
  ];
  for (const [body, why] of cases) {
    const file = await configFile(t, body);
    const r = await zbk(['configtest', '--config', file]);
    t.is(r.exitCode, 78, `${body}\n${r.stdout}\n${r.stderr}`);
    t.true(r.stderr.includes(file), r.stderr);
    t.regex(r.stderr, why);
  }
  const good = await configFile(t, `${WEB}replicate = ["offsite"]\n\n[[target]]\nname = "offsite"\nhost = "zbk@vault.example.com"\ndataset = "vault/zbk"\n`);
  const ok = await zbk(['configtest', '--config', good]);
  t.is(ok.exitCode, 0, ok.stderr);
});

const snap = (day: number) => `zbk_2026-11-${String(day).padStart(2, '0')}T030000Z`;
const snapshots = async (dataset: string) =>
  (await sh('zfs', ['list', '-H', '-o', 'name', '-t', 'snapshot', '-r', dataset])).stdout.split('\n').filter(Boolean).map((n) => n.split('@')[1]!);

/** A replica state as `zbk replicate` leaves it: the target holds `base`. */
async function replicaState(stateDir: string, dataset: string, target: string, base: string): Promise<string> {
  const guid = (await sh('zfs', ['get', '-H', '-p', '-o', 'value', 'guid', `${dataset}@${base}`])).stdout.trim();
  const dir = join(stateDir, 'replicas');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `web@${target}.json`);
  const copy = { name: base, guid, time: '2026-11-03T03:00:00Z' };
  const attempt = { start: '2026-11-03T05:00:00Z', end: '2026-11-03T05:01:00Z', outcome: 'ok', message: null, mode: 'full', sent: [base], bytes: 4096 };
  await writeFile(file, JSON.stringify({
    job: 'web', target, source: dataset, destination: `vault/zbk/web`, base: copy, delivered: [copy], holds: [], lastAttempt: attempt, lastSuccess: attempt,
  }));
  return file;
}

/**
 * A pool with job web's dataset, a state_dir and a config: `head` before the job, the job's
 * `retention` line, replicating to target offsite (over ssh, never reached), then `tail`.
 */
async function webOnPool(t: ExecutionContext, head: string, retention: string, tail = '') {
  const pool = await makePool(t);
  const dataset = `${pool.name}/web`;
  await sh('zfs', ['create', dataset]);
  const stateDir = join(pool.dir, 'state');
  await mkdir(stateDir, { mode: 0o700 });
  const config = join(pool.dir, 'zbk.toml');
  await writeFile(config, `[zbk]\ntimezone = "UTC"\nstate_dir = "${stateDir}"\n\n${head}${head ? '\n' : ''}` +
    `[[job]]\nname = "web"\ndataset = "${dataset}"\n${retention}\nreplicate = ["offsite"]\n\n` +
    `[[target]]\nname = "offsite"\nhost = "vault"\ndataset = "vault/zbk"\n${tail}`);
  return { dataset, stateDir, config };
}

test.serial('prune keeps the snapshot a target holds (replica base: T), in dry runs, `prune`, `prune DATASET` and `run`', async (t) => {
  const { dataset, stateDir, config } = await webOnPool(t, '[retention.one]\nkeep_last = 1\n', 'retention = "one"', '\n[[target]]\nname = "unused"\ndataset = "other/zbk"\n');
  for (let day = 1; day <= 6; day++) await sh('zfs', ['snapshot', `${dataset}@${snap(day)}`]);
  const base = snap(3);
  await replicaState(stateDir, dataset, 'offsite', base);
  // A target the job does not replicate to pins nothing, whatever its state says.
  await replicaState(stateDir, dataset, 'unused', snap(2));
  const now = ['--now', '2026-11-06T04:00:00Z'];

  const json = await zbk(['prune', '--config', config, '--dry-run', '--format', 'json', ...now]);
  t.is(json.exitCode, 0, json.stderr);
  const planned = (JSON.parse(json.stdout) as { datasets: { snapshots: { name: string; action: string; reasons: string[] }[] }[] }).datasets[0]!.snapshots;
  t.deepEqual(planned.filter((s) => s.action === 'keep').map((s) => [s.name, s.reasons]), [
    [snap(6), ['newest', 'last 1/1']],
    [base, ['replica base: offsite']],
  ]);
  const text = await zbk(['prune', '--config', config, '--dry-run', ...now]);
  t.is(text.exitCode, 0, text.stderr);
  t.regex(text.stdout, new RegExp(`KEEP\\s+${base}.*replica base: offsite`));
  t.deepEqual(await snapshots(dataset), [1, 2, 3, 4, 5, 6].map(snap), 'a dry run destroys nothing');

  const real = await zbk(['prune', '--config', config, ...now]);
  t.is(real.exitCode, 0, real.stderr);
  t.deepEqual(await snapshots(dataset), [base, snap(6)], 'the base survives keep_last = 1; the rest go');

  for (let day = 7; day <= 8; day++) await sh('zfs', ['snapshot', `${dataset}@${snap(day)}`]);
  const byName = await zbk(['prune', '--config', config, dataset, '--now', '2026-11-08T04:00:00Z']);
  t.is(byName.exitCode, 0, byName.stderr);
  t.deepEqual(await snapshots(dataset), [base, snap(8)], '`prune DATASET` of a job\'s dataset keeps its base too');

  const dry = await zbk(['run', '--config', config, '--job', 'web', '--dry-run', '--now', '2026-11-09T03:00:00Z']);
  t.is(dry.exitCode, 0, dry.stderr);
  t.regex(dry.stdout.replace(/\n {4}/g, ' '), new RegExp(`would destroy 1 of 3 zbk snapshots counting the new one \\(${snap(8)}\\)`));
  const run = await zbk(['run', '--config', config, '--job', 'web', '--now', '2026-11-09T03:00:00Z']);
  t.is(run.exitCode, 0, `${run.stdout}\n${run.stderr}`);
  t.deepEqual(await snapshots(dataset), [base, snap(9)], 'the prune step of `zbk run` keeps it');
});

test.serial('a replica state that cannot be read: prune destroys nothing and says which file; run warns and destroys nothing', async (t) => {
  const { dataset, stateDir, config } = await webOnPool(t, '', 'retention = { keep_last = 1 }');
  for (let day = 1; day <= 4; day++) await sh('zfs', ['snapshot', `${dataset}@${snap(day)}`]);
  const file = await replicaState(stateDir, dataset, 'offsite', snap(2));
  await writeFile(file, '{"job": "web", "target": "offsite", "base": "zbk_2026-11-02T030000Z"}');

  const r = await zbk(['prune', '--config', config, '--now', '2026-11-04T04:00:00Z']);
  t.is(r.exitCode, 2, r.stderr);
  t.regex(r.stderr, new RegExp(`zbk: ${dataset}: nothing pruned: ${file}: not a zbk replica state \\(source missing or not a name\\)`));
  t.deepEqual(await snapshots(dataset), [1, 2, 3, 4].map(snap));

  const run = await zbk(['run', '--config', config, '--job', 'web', '--now', '2026-11-05T03:00:00Z']);
  t.is(run.exitCode, 1, `${run.stdout}\n${run.stderr}`);
  t.regex(`${run.stdout}\n${run.stderr}`.replace(/\n {4}/g, ' '), /prune: .*not a zbk replica state/);
  t.deepEqual(await snapshots(dataset), [...[1, 2, 3, 4].map(snap), snap(5)]);
});
