/**
 * Arguments zbk does not consume are usage errors, on a real pool: what follows `--` used to
 * be dropped, so `zbk prune -- --dry-run` ran a real prune of every job, and
 * `zbk prune -- POOL/b` pruned every job's dataset instead of the one named.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from '../helpers/zfs-test.js';
import { zbk } from '../helpers/cli.js';
import { makePool, sh } from '../helpers/pool.js';

const snapshots = async (dataset: string): Promise<string[]> =>
  (await sh('zfs', ['list', '-H', '-o', 'name', '-t', 'snapshot', '-r', dataset])).stdout.split('\n').filter(Boolean);

test('nothing after -- is ignored: prune and snapshot refuse with 64 and touch no snapshot', async (t) => {
  const pool = await makePool(t);
  const config = join(pool.dir, 'zbk.toml');
  await writeFile(config, `[zbk]\ntimezone = "UTC"\nstate_dir = "${pool.dir}/state"\n\n[retention.short]\nkeep_last = 2\n\n` +
    ['a', 'b'].map((j) => `[[job]]\nname = "${j}"\ndataset = "${pool.name}/${j}"\nretention = "short"\n`).join('\n'));
  const init = await zbk(['init', '--config', config]);
  t.is(init.exitCode, 0, init.stderr);
  for (let day = 1; day <= 5; day++) {
    const r = await zbk(['snapshot', '--config', config, '--now', `2026-03-0${day}T03:00:00Z`]);
    t.is(r.exitCode, 0, r.stderr);
  }
  const before = { a: await snapshots(`${pool.name}/a`), b: await snapshots(`${pool.name}/b`) };
  t.is(before.a.length, 5);
  t.is(before.b.length, 5);

  for (const args of [
    ['prune', '--', '--dry-run'],
    ['prune', '--', `${pool.name}/b`],
    ['prune', `${pool.name}/a`, '--', '--dry-run'],
    ['prune', '--job', 'a', '--', '--job', 'b'],
    ['snapshot', '--', `${pool.name}/b`],
    ['run', '--', '--dry-run'],
  ]) {
    const r = await zbk(['--config', config, ...args]);
    t.is(r.exitCode, 64, args.join(' '));
    t.regex(r.stderr, /after --: zbk takes nothing after --/, args.join(' '));
  }
  t.deepEqual(await snapshots(`${pool.name}/a`), before.a);
  t.deepEqual(await snapshots(`${pool.name}/b`), before.b);

  // The same prune said right prunes the dataset it names, and only that one.
  const right = await zbk(['prune', '--config', config, '--now', '2026-03-05T04:00:00Z', `${pool.name}/b`]);
  t.is(right.exitCode, 0, right.stderr);
  t.is((await snapshots(`${pool.name}/b`)).length, 2);
  t.deepEqual(await snapshots(`${pool.name}/a`), before.a);
});
