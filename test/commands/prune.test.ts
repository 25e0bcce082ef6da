/** `zbk prune` on recorded zfs answers: what it destroyed, what it could not, refusals, and the exit code of each. */
import test from 'ava';
import { run } from '../../src/commands/prune.js';
import { configFile, runCommand } from '../helpers/command.js';
import { replay } from '../helpers/replay.js';

const R = 'zfs/replay/';
const KEEP_2 = '[retention.default]\nkeep_last = 2\n';

test.serial('zfs-fuse: destroyed one by one; the one with a clone is kept and said, and the exit is 0 (not a failure)', async (t) => {
  const { file } = await configFile(t, KEEP_2);
  const r = replay(t, `${R}legacy-probe.txt`, `${R}legacy-list-nightly.txt`, `${R}legacy-prune-nightly.txt`);
  const out = await runCommand(t, run, { config: file, datasets: ['zbkt_cap/a'], now: '2026-11-25T04:00:00Z' }, r.zfs);
  t.is(out.code, 0);
  t.is(out.stdout, [
    'zbkt_cap/a: destroyed 3, kept 3',
    '  destroyed zbkt_cap/a@zbk_2026-11-23T030000Z',
    '  destroyed zbkt_cap/a@zbk_2026-11-22T030000Z',
    '  destroyed zbkt_cap/a@zbk_2026-11-20T030000Z',
    '  kept zbkt_cap/a@zbk_2026-11-21T030000Z: a clone depends on it (a view that zbk history, diff or restore is reading, or a clone made by hand); it goes once the clone is gone',
    '',
  ].join('\n'));
  t.is(out.stderr, '', 'a snapshot kept for its clone is no warning');
});

test.serial('OpenZFS, --dry-run: KEEP and DESTROY with reasons, no destroy run, exit 0', async (t) => {
  const { file } = await configFile(t, KEEP_2);
  const r = replay(t, `${R}openzfs-probe.txt`, `${R}openzfs-list-october.txt`);
  const out = await runCommand(t, run, { config: file, datasets: ['tank/backup/usa-vds'], now: '2026-10-08T04:00:00Z', dryRun: true }, r.zfs);
  t.is(out.code, 0);
  t.is((out.stdout.match(/DESTROY/g) ?? []).length, 6);
  t.regex(out.stdout, /KEEP/);
  t.false(r.calls.some((c) => c.startsWith('zfs destroy')));
});

test.serial('a name from the future: nothing destroyed, the refusal on stderr, exit 2; json says it too', async (t) => {
  const { file } = await configFile(t, KEEP_2);
  const r = replay(t, `${R}openzfs-probe.txt`, `${R}openzfs-list-future-name.txt`);
  const out = await runCommand(t, run, { config: file, datasets: ['tank/backup/web'], now: '2026-12-01T04:00:00Z', format: 'json' }, r.zfs);
  t.is(out.code, 2);
  const [d] = (JSON.parse(out.stdout) as { datasets: { destroyed: string[]; refused: string | null }[] }).datasets;
  t.deepEqual(d!.destroyed, []);
  t.regex(d!.refused ?? '', /zbk_2036-11-30T030000Z is named .* more than a day after its creation/);
  t.regex(out.stderr, /^zbk: tank\/backup\/web@zbk_2036-11-30T030000Z is named/);
});

test.serial('a listing zfs refuses: that dataset is not pruned, exit 2', async (t) => {
  const { file } = await configFile(t, KEEP_2);
  const r = replay(t, `${R}legacy-probe.txt`, `${R}legacy-list-missing.txt`);
  const out = await runCommand(t, run, { config: file, datasets: ['zbkt_cap/b'], now: '2026-11-25T04:00:00Z' }, r.zfs);
  t.is(out.code, 2);
  t.regex(out.stderr, /^zbk: zbkt_cap\/b: nothing pruned: .*dataset does not exist\n$/);
});
