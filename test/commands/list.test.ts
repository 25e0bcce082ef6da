/** `zbk list` on recorded zfs answers: zbk's snapshots with their instants and sizes, the others counted. */
import test from 'ava';
import { ExitError } from '../../src/cli/errors.js';
import { run } from '../../src/commands/list.js';
import { configFile, runCommand } from '../helpers/command.js';
import { replay } from '../helpers/replay.js';

const R = 'zfs/replay/';

test.serial('text: a table of zbk\'s snapshots in time order, sizes as zfs prints them; the manual one named apart', async (t) => {
  const { file } = await configFile(t);
  const r = replay(t, `${R}legacy-probe.txt`, `${R}legacy-list-nightly.txt`, `${R}legacy-views-nightly.txt`);
  const out = await runCommand(t, run, { config: file, datasets: ['zbkt_cap/a'] }, r.zfs);
  t.is(out.code, 0);
  const lines = out.stdout.split('\n');
  t.is(lines[0], "zbkt_cap/a: 6 zbk snapshots, 1 not zbk's (manual-before-upgrade)");
  t.regex(lines[1]!, /^SNAPSHOT\s+TIME \(UTC\)\s+USED\s+REFER$/);
  t.deepEqual(lines.slice(2, 8).map((l) => l.split(/\s+/)[1]), ['2026-11-20T03:00:00Z', '2026-11-21T03:00:00Z', '2026-11-22T03:00:00Z', '2026-11-23T03:00:00Z', '2026-11-24T03:00:00Z', '2026-11-25T03:00:00Z']);
  t.is(out.stderr, '');
});

test.serial('json: every dataset of the configured jobs, with exact sizes', async (t) => {
  const { file } = await configFile(t, '[[job]]\nname = "vds"\ndataset = "tank/backup/usa-vds"\n');
  const r = replay(t, `${R}openzfs-probe.txt`, `${R}openzfs-list-october.txt`, `${R}openzfs-views-october.txt`);
  const out = await runCommand(t, run, { config: file, format: 'json' }, r.zfs);
  const { datasets } = JSON.parse(out.stdout) as { datasets: { dataset: string; snapshots: { name: string; time: string; used: number }[]; foreign: string[]; views: unknown[] }[] };
  t.deepEqual(datasets.map((d) => [d.dataset, d.snapshots.length, d.foreign]), [['tank/backup/usa-vds', 8, []]]);
  t.deepEqual(datasets[0]!.snapshots[0]!.time, '2026-10-01T03:00:00Z');
  t.true(datasets[0]!.snapshots.every((s) => Number.isInteger(s.used)));
  t.deepEqual(datasets[0]!.views, [], 'no view of zbk history, diff or restore');
});

test.serial('nothing to list is a usage error; a DATASET that is no dataset name is refused before zfs runs', async (t) => {
  const { file } = await configFile(t);
  const r = replay(t);
  await t.throwsAsync(runCommand(t, run, { config: file }, r.zfs), { instanceOf: ExitError, message: 'list: name a dataset, or configure jobs' });
  const e = await t.throwsAsync(runCommand(t, run, { config: file, datasets: ['-o'] }, r.zfs), { instanceOf: ExitError });
  t.is(e?.code, 64);
  t.deepEqual(r.calls, []);
});
