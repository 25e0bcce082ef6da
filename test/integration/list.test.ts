/** `zbk list` on a real pool: zbk's snapshots with instants and sizes, foreign ones counted apart. */
import test from '../helpers/zfs-test.js';
import { zbk } from '../helpers/cli.js';
import { makePool, sh } from '../helpers/pool.js';

test('list shows zbk snapshots oldest first, with sizes, and names the foreign ones', async (t) => {
  const pool = await makePool(t);
  const ds = `${pool.name}/host`;
  await sh('zfs', ['create', ds]);
  for (const s of ['zbk_2026-11-26T030000Z', 'manual-before-upgrade', 'zbk_2026-11-25T030000Z', 'zbk_notadate']) {
    await sh('zfs', ['snapshot', `${ds}@${s}`]);
  }
  const json = await zbk(['list', ds, '--format', 'json']);
  t.is(json.exitCode, 0, json.stderr);
  const out = JSON.parse(json.stdout) as { datasets: { dataset: string; snapshots: { name: string; time: string; used: number; referenced: number }[]; foreign: string[] }[] };
  t.is(out.datasets.length, 1);
  const d = out.datasets[0]!;
  t.is(d.dataset, ds);
  t.deepEqual(d.snapshots.map((s) => [s.name, s.time]), [
    ['zbk_2026-11-25T030000Z', '2026-11-25T03:00:00Z'],
    ['zbk_2026-11-26T030000Z', '2026-11-26T03:00:00Z'],
  ]);
  t.true(d.snapshots.every((s) => Number.isInteger(s.used) && s.referenced > 0));
  t.deepEqual(d.foreign, ['manual-before-upgrade', 'zbk_notadate']);

  const text = await zbk(['list', ds]);
  t.is(text.exitCode, 0);
  t.regex(text.stdout, new RegExp(`^${ds}: 2 zbk snapshots, 2 not zbk's \\(manual-before-upgrade, zbk_notadate\\)`));
  t.regex(text.stdout, new RegExp(`${ds}@zbk_2026-11-25T030000Z\\s+2026-11-25T03:00:00Z\\s+\\S+\\s+\\S+`));
});

test('list of a dataset that does not exist fails naming it', async (t) => {
  const pool = await makePool(t);
  const r = await zbk(['list', `${pool.name}/missing`]);
  t.is(r.exitCode, 2);
  t.regex(r.stderr, new RegExp(`${pool.name}/missing': dataset does not exist`));
});
