/**
 * `zbk status` over written state files (the real CLI, no ZFS needed): per job and target the
 * newest copy and its lag, WARNING past the target's stale_after counted in the Nagios code, the
 * `replicas` array of --format json, and zbk_replica_lag_seconds in --format prometheus.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import test from '../helpers/zfs-test.js';
import { recordAttempt } from '../../src/state/jobs.js';
import { replicaStateFile, writeReplicaState, type ReplicaState } from '../../src/state/replicas.js';
import { unwrap, zbk } from '../helpers/cli.js';
import { copyOf, replicaState, webConfig } from '../helpers/replica-state.js';

const NOW = '2026-11-26T12:00:00Z';

async function setup(t: ExecutionContext): Promise<{ config: string; state: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'zbk-status-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const state = join(dir, 'state');
  await mkdir(state, { mode: 0o700 });
  const config = join(dir, 'zbk.toml');
  await writeFile(config, webConfig({ head: `[zbk]\nstate_dir = "${state}"\ntimezone = "UTC"\n`, usb: 'stale_after = "3d"\n' }));
  await recordAttempt(state, 'web', 'tank/backup/web', {
    start: '2026-11-26T03:00:00Z', end: '2026-11-26T03:04:00Z', simulated: null, outcome: 'ok', message: null,
    snapshot: 'tank/backup/web@zbk_2026-11-26T030000Z', stats: null,
  }, null);
  return { config, state };
}

function replica(target: string, dataset: string, newest: string, outcome: 'ok' | 'warning', message: string | null = null): ReplicaState {
  const attempt = { start: '2026-11-26T05:30:00Z', end: '2026-11-26T05:30:09Z', outcome, message, mode: outcome === 'ok' ? 'incremental' as const : null, sent: outcome === 'ok' ? [newest] : [], bytes: outcome === 'ok' ? 1258291 : null };
  return replicaState('web', target, {
    destination: `${dataset}/web`, base: copyOf(newest), delivered: [copyOf(newest)], lastAttempt: attempt, lastSuccess: outcome === 'ok' ? attempt : null,
  });
}

test('a fresh copy on one target and one past stale_after on the other: WARNING (1), in text, json and prometheus', async (t) => {
  const { config, state } = await setup(t);
  await writeReplicaState(state, replica('offsite', 'vault/zbk', 'zbk_2026-11-26T030000Z', 'ok'));
  await writeReplicaState(state, replica('usb', 'usb/zbk', 'zbk_2026-11-19T030000Z', 'warning', 'target usb: pool usb is not imported'));

  const text = await zbk(['status', '--config', config, '--now', NOW]);
  t.is(text.exitCode, 1, text.stderr);
  const out = unwrap(text.stdout);
  t.regex(out, /^web +offsite +OK +zbk_2026-11-26T030000Z \(9h old\) +ok, incremental, 1 snapshot$/m);
  t.regex(out, /^web +usb +WARNING +zbk_2026-11-19T030000Z \(7d old\) +warning$/m);
  t.regex(out, /^web → usb: newest copy zbk_2026-11-19T030000Z, 7d old \(over stale_after 3d\); last attempt warning: target usb: pool usb is not imported$/m);

  const json = await zbk(['status', '--config', config, '--now', NOW, '--format', 'json']);
  t.is(json.exitCode, 1);
  const parsed = JSON.parse(json.stdout) as { alert: string; jobs: { alert: string; replicas: Record<string, unknown>[] }[] };
  t.is(parsed.alert, 'warning');
  t.is(parsed.jobs[0]!.alert, 'ok', 'the job itself is fine');
  t.like(parsed.jobs[0]!.replicas[0], {
    target: 'offsite', destination: 'vault/zbk/web', alert: 'ok', newest_copy: 'zbk_2026-11-26T030000Z',
    newest_copy_time: '2026-11-26T03:00:00Z', lag_seconds: 9 * 3600, last_attempt: { outcome: 'ok', mode: 'incremental', bytes: 1258291 },
  });
  t.like(parsed.jobs[0]!.replicas[1], {
    target: 'usb', alert: 'warning', lag_seconds: 7 * 86400 + 9 * 3600, last_attempt: { outcome: 'warning', message: 'target usb: pool usb is not imported' },
  });

  const prom = await zbk(['status', '--config', config, '--now', NOW, '--format', 'prometheus']);
  t.is(prom.exitCode, 1);
  t.regex(prom.stdout, /^zbk_replica_lag_seconds\{job="web",target="offsite"\} 32400$/m);
  t.regex(prom.stdout, /^zbk_replica_lag_seconds\{job="web",target="usb"\} 637200$/m);
  t.regex(prom.stdout, /^zbk_replica_alert\{job="web",target="usb"\} 1$/m);
});

test('a target never replicated to after the job succeeded is a WARNING; both fresh is OK (0)', async (t) => {
  const { config, state } = await setup(t);
  await writeReplicaState(state, replica('offsite', 'vault/zbk', 'zbk_2026-11-26T030000Z', 'ok'));
  const never = await zbk(['status', '--config', config, '--now', NOW]);
  t.is(never.exitCode, 1, never.stdout);
  t.regex(never.stdout, /^web +usb +WARNING +none +never$/m);
  t.regex(unwrap(never.stdout), /^web → usb: no copy on usb yet; zbk replicate never ran for it$/m);
  await writeReplicaState(state, replica('usb', 'usb/zbk', 'zbk_2026-11-25T030000Z', 'ok'));
  const fresh = await zbk(['status', '--config', config, '--now', NOW]);
  t.is(fresh.exitCode, 0, fresh.stdout);
});

test('a replica state file that is not zbk\'s: that row UNKNOWN (3), naming the file', async (t) => {
  const { config, state } = await setup(t);
  await writeReplicaState(state, replica('offsite', 'vault/zbk', 'zbk_2026-11-26T030000Z', 'ok'));
  await writeFile(replicaStateFile(state, 'web', 'usb'), '{"job": "web", "target": "usb", "base": 42}', { mode: 0o600 });
  const r = await zbk(['status', '--config', config, '--now', NOW, '--format', 'json']);
  t.is(r.exitCode, 3, r.stderr);
  const usb = (JSON.parse(r.stdout) as { jobs: { replicas: { target: string; alert: string; reason: string }[] }[] }).jobs[0]!.replicas[1]!;
  t.is(usb.alert, 'unknown');
  t.true(usb.reason.includes(replicaStateFile(state, 'web', 'usb')), usb.reason);
});
