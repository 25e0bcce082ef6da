/** `zbk init` on recorded zfs answers: what it created or would create, and its exit codes. */
import test from 'ava';
import { ExitError } from '../../src/cli/errors.js';
import { run } from '../../src/commands/init.js';
import { configFile, runCommand } from '../helpers/command.js';
import { exchange, replay } from '../helpers/replay.js';

const R = 'zfs/replay/';
const WEB = (dataset: string) => `[[job]]\nname = "web"\ndataset = "${dataset}"\nsource = "/srv/www/"\nrecordsize = "16K"\n`;

test.serial('OpenZFS: a missing dataset is created with the job\'s mark, exit 0; --dry-run runs no zfs create', async (t) => {
  const { file } = await configFile(t, WEB('tank/backup/web'));
  const out = await runCommand(t, run, { config: file }, replay(t, `${R}openzfs-init.txt`, `${R}openzfs-create.txt`).zfs);
  t.deepEqual([out.code, out.stdout, out.stderr], [0, 'tank/backup/web: created (atime=off setuid=off exec=off devices=off compression=lz4 recordsize=16K zbk:job=web)\n', '']);
  const dry = await runCommand(t, run, { config: file, dryRun: true }, replay(t, `${R}openzfs-init.txt`).zfs);
  t.is(dry.code, 0);
  t.regex(dry.stdout, /^tank\/backup\/web: would run zfs create -p .* tank\/backup\/web\n$/);
});

test.serial('zfs failing on one job is said on stderr with its dataset, exit 2', async (t) => {
  const { file } = await configFile(t, WEB('tank/backup/web'));
  const r = replay(t, [exchange('zfs get -H -o value type tank/backup/web', { exitCode: 1, stderr: 'permission denied\n' })]);
  const out = await runCommand(t, run, { config: file }, r.zfs);
  t.is(out.code, 2);
  t.regex(out.stderr, /^zbk: tank\/backup\/web: zfs get -H -o value type tank\/backup\/web: permission denied/);
});

test.serial('no jobs is a usage error', async (t) => {
  const { file } = await configFile(t);
  await t.throwsAsync(runCommand(t, run, { config: file }, replay(t).zfs), { instanceOf: ExitError, message: `init: no jobs in ${file}` });
});
