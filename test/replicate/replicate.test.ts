/**
 * The replication service on modern OpenZFS, which this machine cannot run: the commands it
 * runs on both sides (replayed, in order) and what it plans from their answers. The dry run:
 * an interrupted receive continued from its token, and the target's prune over copies the
 * source no longer has; it changes nothing (no hold, no state). An incremental: every probe
 * once and only where its answer is used, the hold moved, the bookmark made. (zfs-fuse runs
 * the rest for real: test/integration/replicate*.test.ts.)
 */
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import type { Config, Job, Target } from '../../src/config/types.js';
import { replicate, TargetSessions } from '../../src/replicate/replicate.js';
import { transportFor } from '../../src/replicate/transport.js';
import { readReplicaState, writeReplicaState } from '../../src/state/replicas.js';
import { exchange, replay } from '../helpers/replay.js';

const TOKEN = '1-e604ea4bf-e0-789c63a2';
const guidRows = (dataset: string, rows: [string, string, number][]) =>
  rows.flatMap(([name, guid, creation]) => [`${dataset}@${name}\tguid\t${guid}`, `${dataset}@${name}\tcreation\t${creation}`, `${dataset}@${name}\tuserrefs\t0`]).join('\n') + '\n';

const day = (d: number) => `zbk_2026-11-${String(d).padStart(2, '0')}T030000Z`;
const at = (d: number) => Date.parse(`2026-11-${String(d).padStart(2, '0')}T03:00:00Z`) / 1000;

async function setting() {
  const stateDir = await mkdtemp(join(tmpdir(), 'zbk-replicate-'));
  const job = { name: 'web', dataset: 'tank/web', retention: { keep_last: 2 }, retentionName: 'two', replicate: ['vault'] } as unknown as Job;
  const target: Target = {
    name: 'vault', host: null, dataset: 'vault/zbk', sshKey: null, sshPort: 22, knownHosts: null, zfs: 'zfs',
    retentionName: null, retention: null, schedule: null, timeout: { text: '12h' } as Target['timeout'], staleAfter: { text: '48h' } as Target['staleAfter'],
  };
  const config = { prefix: 'zbk', timeZone: 'UTC', stateDir, destroyBatch: 100, tools: { zfs: 'zfs', zpool: 'zpool' }, jobs: [job], targets: [target] } as unknown as Config;
  return { stateDir, job, target, config };
}

test('modern ZFS, an interrupted receive: the dry run plans a resume from the token and the prune after it, and changes nothing', async (t) => {
  const { stateDir, job, target, config } = await setting();
  const r = replay(t, [
    // The two sides side by side, each side's commands in their order; no probe: the listing
    // needs no dialect, and the token's read is its own probe.
    exchange('zfs get -H -p -d 1 -o name,property,value guid,creation,userrefs tank/web', {
      stdout: guidRows('tank/web', [[day(3), '103', at(3)], [day(4), '104', at(4)], [day(5), '105', at(5)]]),
    }),
    exchange('zfs get -H -p -d 1 -o name,property,value guid,creation,userrefs vault/zbk/web', {
      stdout: guidRows('vault/zbk/web', [[day(1), '101', at(1) + 60], [day(2), '102', at(2) + 60], [day(3), '103', at(3) + 60]]),
    }),
    exchange('zfs get -H -o value receive_resume_token vault/zbk/web', { stdout: `${TOKEN}\n` }),
  ]);
  const transport = { ...transportFor(target, config.tools), run: r.run };
  const report = await replicate({ config, job, target, zfs: r.zfs, now: new Date('2026-11-05T03:00:00Z'), dryRun: true, force: false, transport });
  t.like(report, { outcome: 'ok', mode: 'resume', base: day(3), send: [day(4), day(5)] });
  // The target after the send holds days 1..5; days 1 and 2 are zbk's only through the state (none here): left alone.
  t.deepEqual(report.prune, [day(3)]);
  t.deepEqual(report.prunePlan!.foreign, [day(1), day(2)]);
  t.deepEqual(await readdir(stateDir), [], 'no state written');
});

test('modern ZFS, an incremental: each probe once and only where used, four commands to the target; the hold, its stale twin, the bookmark and the resume token checked', async (t) => {
  const { stateDir, job, target, config } = await setting();
  const missing = (name: string) => ({ exitCode: 1, stderr: `cannot open '${name}': dataset does not exist\n` });
  const r = replay(t, [
    // Both sides listed side by side; the target's token read, which is also its probe.
    exchange('zfs get -H -p -d 1 -o name,property,value guid,creation,userrefs tank/web', {
      stdout: guidRows('tank/web', [[day(3), '103', at(3)], [day(4), '104', at(4)], [day(5), '105', at(5)]]),
    }),
    exchange('zfs get -H -p -d 1 -o name,property,value guid,creation,userrefs vault/zbk/web', { stdout: guidRows('vault/zbk/web', [[day(3), '103', at(3) + 60]]) }),
    exchange('zfs get -H -o value receive_resume_token vault/zbk/web', { stdout: '-\n' }),
    // The new base held before it is sent. No probe of -u: a zfs with tokens has it.
    exchange(`zfs hold zbk-replica:vault tank/web@${day(5)}`),
    // After the stream, side by side: the copies with the copy's own inert properties (already
    // inert: nothing set), the source's snapshots for the holds (no dialect needed), and whether
    // the source has bookmarks.
    exchange('zfs get -H -p -d 1 -o name,property,value guid,creation,userrefs,canmount,readonly,setuid,exec,mounted vault/zbk/web', {
      stdout: 'vault/zbk/web\tguid\t900\nvault/zbk/web\tcanmount\tnoauto\nvault/zbk/web\treadonly\ton\nvault/zbk/web\tsetuid\toff\nvault/zbk/web\texec\toff\nvault/zbk/web\tmounted\tno\n' +
        guidRows('vault/zbk/web', [[day(3), '103', at(3) + 60], [day(4), '104', at(4) + 60], [day(5), '105', at(5) + 60]]),
    }),
    exchange('zfs get -H -p -d 1 -o name,property,value guid,creation,userrefs tank/web', {
      stdout: guidRows('tank/web', [[day(3), '103', at(3)], [day(4), '104', at(4)], [day(5), '105', at(5)]]).replace(`${day(3)}\tuserrefs\t0`, `${day(3)}\tuserrefs\t1`).replace(`${day(5)}\tuserrefs\t0`, `${day(5)}\tuserrefs\t1`),
    }),
    exchange('zfs list -H -o name -t bookmark zbk-probe-no-such-pool', missing('zbk-probe-no-such-pool')),
    // A hold no state names (the state moved aside): found by its tag and released.
    exchange('zfs holds -H zbk-probe-no-such-pool@zbk-probe-no-such-pool', missing('zbk-probe-no-such-pool@zbk-probe-no-such-pool')),
    exchange(`zfs holds -H tank/web@${day(3)}`, { stdout: `tank/web@${day(3)}\tzbk-replica:vault\tThu Nov 26 03:00 2026\n` }),
    exchange(`zfs release zbk-replica:vault tank/web@${day(3)}`),
    exchange(`zfs bookmark tank/web@${day(5)} tank/web#zbk-replica_vault_${day(5)}`),
  ]);
  const received: string[][] = [];
  const transport = { ...transportFor(target, config.tools), run: r.run, command: (args: readonly string[]) => {
      received.push([...args]);
      return { file: 'sh', args: ['-c', 'cat >/dev/null'] };
    } };
  const report = await replicate({
    config: { ...config, tools: { zfs: 'echo', zpool: 'zpool' } }, job: { ...job, retention: { keep_last: 10 } } as unknown as Job,
    target: { ...target, timeout: { years: 0, months: 0, days: 0, seconds: 60 } as unknown as Target['timeout'] },
    zfs: r.zfs, now: new Date('2026-11-05T03:00:00Z'), dryRun: false, force: false, transport,
  });
  t.like(report, { outcome: 'ok', mode: 'incremental', base: day(3), send: [day(4), day(5)], prune: [] });
  t.deepEqual(received, [['receive', '-u', '-s', 'vault/zbk/web']]);
  t.is(r.calls.filter((c) => c.includes(' vault/')).length, 3, 'and the receive: four');
  t.like(await readReplicaState(stateDir, 'web', 'vault'), { base: { name: day(5) }, holds: [{ snapshot: day(5), tag: 'zbk-replica:vault' }] });
});

test('modern ZFS, the base destroyed on the source by hand: the incremental starts from its bookmark (-i), then -I; the bookmark moves', async (t) => {
  const { stateDir, job, target, config } = await setting();
  const mark = (d: number) => `zbk-replica_vault_${day(d)}`;
  // The last run left day 4 as the base; an admin then destroyed tank/web@day4 (its hold released first).
  await writeReplicaState(stateDir, {
    job: 'web', target: 'vault', source: 'tank/web', destination: 'vault/zbk/web', base: { name: day(4), guid: '104', time: `2026-11-04T03:00:00Z` },
    delivered: [], holds: [], lastAttempt: null, lastSuccess: null,
  });
  const missing = (name: string) => ({ exitCode: 1, stderr: `cannot open '${name}': dataset does not exist\n` });
  const source = guidRows('tank/web', [[day(3), '103', at(3)], [day(5), '105', at(5)], [day(6), '106', at(6)]]);
  const r = replay(t, [
    exchange('zfs get -H -p -d 1 -o name,property,value guid,creation,userrefs tank/web', { stdout: source }),
    exchange('zfs get -H -p -d 1 -o name,property,value guid,creation,userrefs vault/zbk/web', { stdout: guidRows('vault/zbk/web', [[day(3), '103', at(3) + 60], [day(4), '104', at(4) + 60]]) }),
    exchange('zfs get -H -o value receive_resume_token vault/zbk/web', { stdout: '-\n' }),
    // Day 4 is a copy the source no longer has: the bookmarks are asked, and hold its base.
    exchange('zfs list -H -o name -t bookmark zbk-probe-no-such-pool', missing('zbk-probe-no-such-pool')),
    exchange('zfs get -H -p -d 1 -t bookmark -o name,property,value guid,creation tank/web', { stdout: `tank/web#${mark(4)}\tguid\t104\ntank/web#${mark(4)}\tcreation\t${at(4)}\n` }),
    exchange(`zfs hold zbk-replica:vault tank/web@${day(6)}`),
    exchange('zfs get -H -p -d 1 -o name,property,value guid,creation,userrefs,canmount,readonly,setuid,exec,mounted vault/zbk/web', {
      stdout: 'vault/zbk/web\tcanmount\tnoauto\nvault/zbk/web\treadonly\ton\nvault/zbk/web\tsetuid\toff\nvault/zbk/web\texec\toff\nvault/zbk/web\tmounted\tno\n' +
        guidRows('vault/zbk/web', [[day(3), '103', at(3) + 60], [day(4), '104', at(4) + 60], [day(5), '105', at(5) + 60], [day(6), '106', at(6) + 60]]),
    }),
    exchange('zfs get -H -p -d 1 -o name,property,value guid,creation,userrefs tank/web', { stdout: source.replace(`${day(6)}\tuserrefs\t0`, `${day(6)}\tuserrefs\t1`) }),
    exchange(`zfs bookmark tank/web@${day(6)} tank/web#${mark(6)}`),
    exchange(`zfs destroy tank/web#${mark(4)}`),
  ]);
  // The sends: zfs here is a script that logs its arguments (and sends nothing).
  const log = join(stateDir, 'sends');
  const zfs = join(stateDir, 'zfs-send');
  await writeFile(zfs, `#!/bin/sh\necho "$*" >> '${log}'\n`, { mode: 0o755 });
  const transport = { ...transportFor(target, config.tools), run: r.run, command: () => ({ file: 'sh', args: ['-c', 'cat >/dev/null'] }) };
  const report = await replicate({
    config: { ...config, tools: { zfs, zpool: 'zpool' } }, job: { ...job, retention: { keep_last: 10 } } as unknown as Job,
    target: { ...target, timeout: { years: 0, months: 0, days: 0, seconds: 60 } as unknown as Target['timeout'] },
    zfs: r.zfs, now: new Date('2026-11-07T03:00:00Z'), dryRun: false, force: false, transport,
  });
  t.like(report, { outcome: 'ok', mode: 'incremental', base: day(4), bookmark: mark(4), send: [day(5), day(6)], prune: [] });
  t.deepEqual((await readFile(log, 'utf8')).trim().split('\n'), [`send -i tank/web#${mark(4)} tank/web@${day(5)}`, `send -I tank/web@${day(5)} tank/web@${day(6)}`]);
  t.like(await readReplicaState(stateDir, 'web', 'vault'), { base: { name: day(6) }, holds: [{ snapshot: day(6), tag: 'zbk-replica:vault' }] });
});

test('modern ZFS, the dry run of the same: the plan names the bookmark, and nothing is held, sent or written', async (t) => {
  const { stateDir, job, target, config } = await setting();
  const mark = `zbk-replica_vault_${day(4)}`;
  const r = replay(t, [
    exchange('zfs get -H -p -d 1 -o name,property,value guid,creation,userrefs tank/web', { stdout: guidRows('tank/web', [[day(3), '103', at(3)], [day(5), '105', at(5)]]) }),
    exchange('zfs get -H -p -d 1 -o name,property,value guid,creation,userrefs vault/zbk/web', { stdout: guidRows('vault/zbk/web', [[day(3), '103', at(3) + 60], [day(4), '104', at(4) + 60]]) }),
    exchange('zfs get -H -o value receive_resume_token vault/zbk/web', { stdout: '-\n' }),
    exchange('zfs list -H -o name -t bookmark zbk-probe-no-such-pool', { exitCode: 1, stderr: "cannot open 'zbk-probe-no-such-pool': dataset does not exist\n" }),
    exchange('zfs get -H -p -d 1 -t bookmark -o name,property,value guid,creation tank/web', { stdout: `tank/web#${mark}\tguid\t104\ntank/web#${mark}\tcreation\t${at(4)}\n` }),
  ]);
  const transport = { ...transportFor(target, config.tools), run: r.run };
  const report = await replicate({ config, job, target, zfs: r.zfs, now: new Date('2026-11-07T03:00:00Z'), dryRun: true, force: false, transport });
  t.like(report, { outcome: 'ok', mode: 'incremental', base: day(4), bookmark: mark, send: [day(5)] });
  t.deepEqual(await readdir(stateDir), [], 'no state written');
});

test('the targets of one run: one session a target (its connection, its probes), shared by every job sent there; close() ends each once', async (t) => {
  const { config, target } = await setting();
  const other = { ...target, name: 'other', dataset: 'spare/zbk' } as Target;
  const sessions = new TargetSessions({ ...config, targets: [target, other] } as Config);
  const first = await sessions.get(target);
  t.is(await sessions.get(target), first, 'the second job to the same target gets the same transport and Zfs');
  t.not((await sessions.get(other)).zfs, first.zfs, 'another target is reached on its own');
  let closed = 0;
  const countClose = (s: typeof first) => {
    const close = s.transport.close.bind(s.transport);
    (s.transport as { close: () => Promise<void> }).close = async () => {
      closed++;
      await close();
    };
  };
  countClose(first);
  countClose(await sessions.get(other));
  await sessions.close();
  t.is(closed, 2);
  t.not(await sessions.get(target), first, 'after close() a target is opened afresh');
  await sessions.close();
});
