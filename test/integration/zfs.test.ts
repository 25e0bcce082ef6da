/** src/zfs against a real ZFS (zfs-fuse here): pools on sparse files, one per test. */
import test from '../helpers/zfs-test.js';
import { ZfsError } from '../../src/zfs/errors.js';
import { createRunner, SYSTEM_TOOLS } from '../../src/zfs/exec.js';
import { Zfs } from '../../src/zfs/zfs.js';
import { makePool, sh } from '../helpers/pool.js';

const zfs = new Zfs(createRunner(SYSTEM_TOOLS));

test('the probe tells the dialect by what zfs accepts', async (t) => {
  await makePool(t);
  const caps = await zfs.capabilities();
  const zfsFuse = (await sh('zpool', ['upgrade', '-v'])).stdout.includes('version 23');
  t.is(caps.modern, !zfsFuse);
  t.is(await zfs.capabilities(), caps, 'probed once per process');
});

test('create a dataset with properties, snapshot it, list the snapshots with exact numbers', async (t) => {
  const pool = await makePool(t);
  const ds = `${pool.name}/backup/host`;
  t.false(await zfs.exists(ds));
  await zfs.createDataset(ds, { atime: 'off', recordsize: '16K', 'zbk:job': 'host' });
  t.true(await zfs.exists(ds));
  const props = (await zfs.getProperties([ds], ['atime', 'recordsize', 'zbk:job'])).get(ds)!;
  t.is(props.get('atime'), 'off');
  t.is(props.get('recordsize'), '16384');
  t.is(props.get('zbk:job'), 'host');

  await zfs.snapshot([`${ds}@zbk_2026-11-25T030000Z`]);
  const both = [`${ds}@zbk_2026-11-26T030000Z`, `${pool.name}/backup@zbk_2026-11-26T030000Z`];
  t.deepEqual(await zfs.snapshot(both), { taken: both, failed: [] });
  const snaps = await zfs.listSnapshots(ds);
  t.deepEqual(snaps.map((s) => s.name), ['zbk_2026-11-25T030000Z', 'zbk_2026-11-26T030000Z']);
  t.true(snaps.every((s) => s.creation > 1.7e9 && s.referenced > 0 && s.userrefs === 0));
  t.deepEqual((await zfs.listSnapshots(`${pool.name}/backup`)).map((s) => s.name), ['zbk_2026-11-26T030000Z']);
});

test('a snapshot name taken twice is an error, never an overwrite', async (t) => {
  const pool = await makePool(t);
  await zfs.snapshot([`${pool.name}@zbk_2026-11-26T030000Z`]);
  const again = await zfs.snapshot([`${pool.name}@zbk_2026-11-26T030000Z`, `${pool.name}@zbk_2026-11-26T030001Z`]);
  if ((await zfs.capabilities()).modern) {
    t.deepEqual(again.taken, [], 'one atomic command: all or nothing');
    t.is(again.failed[0]?.error.kind, 'exists');
  } else {
    t.deepEqual(again.taken, [`${pool.name}@zbk_2026-11-26T030001Z`], 'one by one: a failure does not stop the others');
    t.deepEqual(again.failed.map((f) => [f.names, f.error.kind]), [[[`${pool.name}@zbk_2026-11-26T030000Z`], 'exists']]);
  }
});

test('destroy many snapshots; the ones that are not there are reported by name', async (t) => {
  const pool = await makePool(t);
  const names = Array.from({ length: 12 }, (_, i) => `zbk_2026-10-${String(i + 1).padStart(2, '0')}T030000Z`);
  for (const n of names) await zfs.snapshot([`${pool.name}@${n}`]);
  await zfs.snapshot([`${pool.name}@manual-before-upgrade`]);
  const r = await zfs.destroySnapshots(pool.name, [...names.slice(0, 10), 'zbk_2000-01-01T000000Z'], 4);
  t.deepEqual(r.destroyed, names.slice(0, 10));
  t.deepEqual(r.failed.map((f) => f.name), ['zbk_2000-01-01T000000Z']);
  t.regex(r.failed[0]!.reason, /does not exist/);
  t.deepEqual((await zfs.listSnapshots(pool.name)).map((s) => s.name), [...names.slice(10), 'manual-before-upgrade']);
});

test('a missing dataset or pool is a typed error naming it', async (t) => {
  const pool = await makePool(t);
  const e1 = await t.throwsAsync(zfs.listSnapshots(`${pool.name}/nope`), { instanceOf: ZfsError });
  t.is(e1?.kind, 'no-such-dataset');
  t.regex(e1!.message, new RegExp(`${pool.name}/nope`));
  const e2 = await t.throwsAsync(zfs.poolCapacities(['zbkt_no_such_pool']), { instanceOf: ZfsError });
  t.is(e2?.kind, 'no-such-pool');
});

test('zpool list and status of a fresh pool', async (t) => {
  const pool = await makePool(t);
  const [cap] = await zfs.poolCapacities([pool.name]);
  t.is(cap?.name, pool.name);
  t.is(cap?.health, 'ONLINE');
  t.true(cap!.capacity! >= 0 && cap!.capacity! < 10);
  const status = await zfs.poolStatus([pool.name]);
  t.regex(status.text, new RegExp(`pool: ${pool.name}`));
});

test('zfs that is not installed is named as such', async (t) => {
  const e = await t.throwsAsync(new Zfs(createRunner({ zfs: '/nonexistent/zfs', zpool: 'zpool' })).capabilities(), { instanceOf: ZfsError });
  t.is(e?.kind, 'not-installed');
  t.regex(e!.message, /\/nonexistent\/zfs not found/);
});
