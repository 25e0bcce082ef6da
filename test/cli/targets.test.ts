/** Which jobs and datasets a command works on, and the retention policy each gets (CONTRACT.md). */
import test from 'ava';
import { ExitError } from '../../src/cli/errors.js';
import { EXIT } from '../../src/cli/exit.js';
import { parseConfig } from '../../src/config/load.js';
import { DEFAULT_POLICY } from '../../src/retention/policy.js';
import { selectJobs, targets } from '../../src/cli/targets.js';

const FILE = '/usr/local/etc/zbk.toml';
const config = () => parseConfig(`
[retention.default]
daily = 7

[retention.long]
monthly = 24

[[job]]
name = "usa-vds"
dataset = "tank/backup/usa-vds"
retention = "long"

[[job]]
name = "office"
dataset = "tank/backup/office"

[[job]]
name = "images"
dataset = "tank/backup/images"
retention = { keep_last = 5 }
`, FILE);

test('no --job: every job, in config order', async (t) => {
  const c = await config();
  t.deepEqual(selectJobs(c, undefined).map((j) => j.name), ['usa-vds', 'office', 'images']);
  t.deepEqual(selectJobs(c, []).map((j) => j.name), ['usa-vds', 'office', 'images']);
});

test('--job names pick those jobs, still in config order, each once', async (t) => {
  const c = await config();
  t.deepEqual(selectJobs(c, ['images', 'usa-vds']).map((j) => j.name), ['usa-vds', 'images']);
  t.deepEqual(selectJobs(c, ['office', 'office']).map((j) => j.name), ['office']);
});

test('an unknown --job is a usage error naming it, the file and the jobs there are', async (t) => {
  const c = await config();
  const e = t.throws(() => selectJobs(c, ['usa-vds', 'nope', 'nada']), { instanceOf: ExitError });
  t.is(e.message, `no job "nope", "nada" in ${FILE} (jobs: usa-vds, office, images)`);
  t.is(e.code, EXIT.usage);
});

test('without a config file there are no jobs, and --job says so', async (t) => {
  const c = await parseConfig('', FILE);
  const e = t.throws(() => selectJobs({ ...c, file: null }, ['usa-vds']), { instanceOf: ExitError });
  t.is(e.message, 'no job "usa-vds" in the config (no config file was found)');
});

test('targets: each job\'s dataset with its policy, named or inline', async (t) => {
  const c = await config();
  const all = targets(c, undefined, undefined);
  t.deepEqual(all.map((x) => [x.dataset, x.policyName, x.job?.name]), [
    ['tank/backup/usa-vds', 'long', 'usa-vds'],
    ['tank/backup/office', 'default', 'office'],
    ['tank/backup/images', '(inline)', 'images'],
  ]);
  t.deepEqual(all[0]!.policy, { monthly: 24 });
  t.deepEqual(all[1]!.policy, { daily: 7 }, 'the config\'s [retention.default], not the built-in one');
  t.deepEqual(all[2]!.policy, { keep_last: 5 });
});

test('a DATASET argument: its owning job\'s policy, else [retention.default]; no jobs added unless named', async (t) => {
  const c = await config();
  const ts = targets(c, undefined, ['tank/backup/usa-vds', 'tank/other']);
  t.deepEqual(ts.map((x) => [x.dataset, x.policyName, x.job?.name ?? null]), [
    ['tank/backup/usa-vds', 'long', 'usa-vds'],
    ['tank/other', 'default', null],
  ]);
  t.deepEqual(ts[1]!.policy, { daily: 7 });
});

test('--job and DATASET together: both, the dataset of a named job only once', async (t) => {
  const c = await config();
  const ts = targets(c, ['office'], ['tank/backup/office', 'tank/x']);
  t.deepEqual(ts.map((x) => x.dataset), ['tank/backup/office', 'tank/x']);
});

test('no config at all: a DATASET gets the built-in default policy; nothing named is a usage error', async (t) => {
  const bare = { ...(await parseConfig('', FILE)), file: null };
  const [only] = targets(bare, undefined, ['tank/home']);
  t.like(only, { dataset: 'tank/home', policyName: 'default', job: null });
  t.deepEqual(only!.policy, DEFAULT_POLICY);
  t.throws(() => targets(bare, undefined, undefined), { instanceOf: ExitError, message: 'name a dataset or a --job (no jobs are configured)' });
});
