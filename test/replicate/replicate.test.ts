/**
 * The replication service's dry run on modern OpenZFS, which this machine cannot run: the
 * commands it runs on both sides (replayed, in order) and what it plans from their answers —
 * an interrupted receive continued from its token, and the target's prune over copies the
 * source no longer has. Changes nothing: no hold, no state. (zfs-fuse runs the rest for real:
 * test/integration/replicate*.test.ts.)
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import type { Config, Job, Target } from '../../src/config/types.js';
import { replicate } from '../../src/replicate/replicate.js';
import { transportFor } from '../../src/replicate/transport.js';
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
    // The two sides side by side: each side's commands in their order.
    exchange('zfs list -H -p -o name -d 0', { stdout: 'tank\nvault\n' }),
    exchange('zfs list -H -p -o name -d 0 vault/zbk', { stdout: 'vault/zbk\n' }),
    exchange('zfs get -H -p -d 1 -t snapshot -o name,property,value guid,creation,userrefs tank/web', {
      stdout: guidRows('tank/web', [[day(3), '103', at(3)], [day(4), '104', at(4)], [day(5), '105', at(5)]]),
    }),
    exchange('zfs get -H -p -d 1 -t snapshot -o name,property,value guid,creation,userrefs vault/zbk/web', {
      stdout: guidRows('vault/zbk/web', [[day(1), '101', at(1) + 60], [day(2), '102', at(2) + 60], [day(3), '103', at(3) + 60]]),
    }),
    exchange('zfs get -H -o value receive_resume_token vault/zbk', { stdout: '-\n' }),
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
