/** `zbk init` of a missing dataset against zfs's recorded answers: the properties each dialect gets. */
import test from 'ava';
import { parseConfig } from '../../src/config/load.js';
import { initDataset } from '../../src/jobs/init.js';
import { replay } from '../helpers/replay.js';

const R = 'zfs/replay/';

async function jobOn(dataset: string, extra = '') {
  const config = await parseConfig(`[[job]]\nname = "web"\ndataset = "${dataset}"\nsource = "/srv/www/"\n${extra}`, '/etc/zbk.toml');
  return { config, job: config.jobs[0]! };
}

test('zfs-fuse: created with compression=on (it has no lz4) and the zbk:job mark', async (t) => {
  const { config, job } = await jobOn('zbkt_cap/b');
  const r = replay(t, `${R}legacy-init.txt`, `${R}legacy-create.txt`);
  const o = await initDataset(r.zfs, config, job, { adopt: false, dryRun: false });
  t.deepEqual(o, { ok: true, attention: false, text: 'zbkt_cap/b: created (atime=off setuid=off exec=off devices=off compression=on zbk:job=web)' });
});

test('OpenZFS: created with compression=lz4, the job\'s recordsize and the zbk:job mark', async (t) => {
  const { config, job } = await jobOn('tank/backup/web', 'recordsize = "16K"\n');
  const r = replay(t, `${R}openzfs-init.txt`, `${R}openzfs-create.txt`);
  const o = await initDataset(r.zfs, config, job, { adopt: false, dryRun: false });
  t.true(o.ok);
  t.is(o.text, 'tank/backup/web: created (atime=off setuid=off exec=off devices=off compression=lz4 recordsize=16K zbk:job=web)');
});

test('a dry run says the zfs create it would run, and runs nothing but the check and the probe', async (t) => {
  const { config, job } = await jobOn('tank/backup/web', 'recordsize = "16K"\n');
  const r = replay(t, `${R}openzfs-init.txt`);
  const o = await initDataset(r.zfs, config, job, { adopt: false, dryRun: true });
  t.is(o.text, 'tank/backup/web: would run zfs create -p -o atime=off -o setuid=off -o exec=off -o devices=off -o compression=lz4 -o recordsize=16K -o zbk:job=web tank/backup/web');
});
