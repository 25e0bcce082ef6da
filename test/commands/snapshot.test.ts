/** `zbk snapshot` on recorded zfs answers: the names taken on stdout, each failure on stderr, exit 2 when any failed. */
import test from 'ava';
import { run } from '../../src/commands/snapshot.js';
import { configFile, runCommand } from '../helpers/command.js';
import { exchange, replay } from '../helpers/replay.js';

const R = 'zfs/replay/';

test.serial('OpenZFS: one atomic snapshot a pool; the pool whose snapshot exists fails alone', async (t) => {
  const { file } = await configFile(t);
  const r = replay(t, `${R}openzfs-probe.txt`, `${R}openzfs-snapshot.txt`);
  const out = await runCommand(t, run, { config: file, datasets: ['tank/a', 'tank/b', 'backup/c'], now: '2026-11-25T03:00:00Z' }, r.zfs);
  t.is(out.code, 2);
  t.is(out.stdout, 'tank/a@zbk_2026-11-25T030000Z\ntank/b@zbk_2026-11-25T030000Z\n');
  t.is(out.stderr, 'zbk: snapshot of backup/c failed: backup/c@zbk_2026-11-25T030000Z already exists (zbk takes at most one snapshot a second; nothing was overwritten)\n');
});

test.serial('zfs-fuse, json: one zfs snapshot a dataset; taken and failed by dataset', async (t) => {
  const { file } = await configFile(t);
  const r = replay(t, `${R}legacy-probe.txt`, `${R}legacy-snapshot.txt`);
  const out = await runCommand(t, run, { config: file, datasets: ['zbkt_cap/a', 'zbkt_cap/b'], now: '2026-11-25T03:00:00Z', format: 'json' }, r.zfs);
  t.is(out.code, 2);
  t.deepEqual(JSON.parse(out.stdout), {
    snapshot: 'zbk_2026-11-25T030000Z',
    taken: ['zbkt_cap/b'],
    failed: [{ dataset: 'zbkt_cap/a', reason: 'zbkt_cap/a@zbk_2026-11-25T030000Z already exists (zbk takes at most one snapshot a second; nothing was overwritten)' }],
  });
});

test.serial('a --now years ahead is refused on a dataset with real snapshots; --force takes it without looking', async (t) => {
  const { file } = await configFile(t);
  const r = replay(t, `${R}openzfs-probe.txt`, `${R}openzfs-list-october.txt`);
  const out = await runCommand(t, run, { config: file, datasets: ['tank/backup/usa-vds'], now: '2036-01-01T03:00:00Z' }, r.zfs);
  t.is(out.code, 2);
  t.is(out.stdout, '');
  t.regex(out.stderr, /^zbk: snapshot of tank\/backup\/usa-vds failed: --now 2036-01-01T03:00:00Z is more than a day after the clock .* holds 8 real snapshots \(the last taken: zbk_2026-10-08T030000Z\)/);
  t.false(r.calls.some((c) => c.startsWith('zfs snapshot')));
  const forced = replay(t, `${R}openzfs-probe.txt`, [exchange('zfs snapshot tank/backup/usa-vds@zbk_2036-01-01T030000Z')]);
  const f = await runCommand(t, run, { config: file, datasets: ['tank/backup/usa-vds'], now: '2036-01-01T03:00:00Z', force: true }, forced.zfs);
  t.deepEqual([f.code, f.stdout, f.stderr], [0, 'tank/backup/usa-vds@zbk_2036-01-01T030000Z\n', '']);
});
