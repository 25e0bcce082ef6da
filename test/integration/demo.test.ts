/**
 * `make demo` at any hour: scripts/demo.sh as a new user runs it, with the clock at 01:00 UTC
 * (faketime), when tonight's 03:00 is still to come. The demo may only simulate nights that are
 * past: zbk refuses snapshots from the future. On a zbkt_ pool of its own (ZBK_DEMO_POOL), which
 * `make clean-test-pools` clears if the test is killed.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from '../helpers/zfs-test.js';
import { execa } from 'execa';
import { CLI, ROOT } from '../helpers/cli.js';
import { destroyPool, sh, TEST_POOL_PREFIX } from '../helpers/pool.js';

const CLOCK = '2026-12-01 01:00:00';

test('the demo runs to its end with the clock at 01:00 UTC, and prune after it is fine', async (t) => {
  const pool = `${TEST_POOL_PREFIX}demo_${process.pid}`;
  const dir = await mkdtemp(join(tmpdir(), `${pool}-`));
  t.teardown(() => destroyPool(pool, dir));
  const env = { TZ: 'UTC', LC_ALL: 'C', ZBK_DEMO_POOL: pool, ZBK_DEMO_DIR: join(dir, 'demo') };
  const demo = await execa('faketime', [CLOCK, 'sh', `${ROOT}scripts/demo.sh`], { env, reject: false, all: true, stdin: 'ignore' });
  t.is(demo.exitCode, 0, demo.all);

  // The last night it simulated is the last 03:00 before the clock; none is later.
  t.regex(demo.all ?? '', /\$ zbk run --now 2026-11-30T03:00:00Z\n/);
  const names = (await sh('zfs', ['list', '-H', '-o', 'name', '-t', 'snapshot', '-r', `${pool}/backup/demo-host`])).stdout
    .split('\n').filter(Boolean).map((n) => n.slice(n.indexOf('@') + 1)).sort();
  t.is(names.at(-1), 'zbk_2026-11-30T030000Z');
  t.true(names.length >= 10, names.join(' '));

  // What failed at 00:40: a prune that meets a snapshot from the future.
  const prune = await execa('faketime', [CLOCK, process.execPath, CLI, '--config', join(dir, 'demo', 'zbk.toml'), 'prune'], { env, reject: false, all: true, stdin: 'ignore' });
  t.is(prune.exitCode, 0, prune.all);
});
