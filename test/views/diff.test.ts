/**
 * `diff` above zfs, on replayed zfs and real trees: `zfs diff` where the dialect has it
 * (OpenZFS, .zfs/snapshot views for the sizes), an itemized rsync dry run between two clone
 * views where it has not (zfs-fuse; rsync runs for real) — the same answer from both.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import test from 'ava';
import type { Job } from '../../src/config/types.js';
import { diff } from '../../src/views/diff.js';
import { fixture } from '../helpers/fixtures.js';
import { exchange, replay } from '../helpers/replay.js';
import { parsedSource } from '../helpers/config.js';
import { Refused } from '../../src/views/refused.js';

const R = 'zfs/replay/';

async function tree(root: string, files: Record<string, string>): Promise<void> {
  await mkdir(root, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

const mounted = (dataset: string, mountpoint: string) =>
  exchange(`zfs get -H -p -o name,property,value mountpoint,mounted ${dataset}`, { stdout: `${dataset}\tmountpoint\t${mountpoint}\n${dataset}\tmounted\tyes\n` });
const noViews = (dataset: string) => exchange(`zfs get -H -p -r -o name,property,value zbk:view,origin ${dataset}`, { stdout: '' });

test('OpenZFS: zfs diff between two held snapshots, an instant choosing FROM; paths as on the host, sizes from the views', async (t) => {
  const live = join(await mkdtemp(join(tmpdir(), 'zbk-diff-')), 'mnt');
  const ds = 'tank/backup/usa-vds';
  const [from, to] = ['zbk_2026-10-01T030000Z', 'zbk_2026-10-02T030000Z'];
  await tree(join(live, '.zfs/snapshot', from), { gone: 'bye\n', 'etc/rc.conf': 'hostname=a\n' });
  await tree(join(live, '.zfs/snapshot', to), { 'etc/rc.conf': 'hostname=bb\n', 'new/sub/f': 'new\n' });
  const r = replay(t, `${R}openzfs-probe.txt`, `${R}openzfs-list-october.txt`, [
    mounted(ds, live), noViews(ds),
    exchange(`zfs hold zbk-view:${process.pid} ${ds}@${from} ${ds}@${to}`),
    exchange(`zfs diff -H -F ${ds}@${from} ${ds}@${to}`, { stdout: fixture('zfs/openzfs-diff.txt').replaceAll('/tank/backup/web', live) }),
    exchange(`zfs release zbk-view:${process.pid} ${ds}@${from} ${ds}@${to}`),
  ]);
  const job = { name: 'web', dataset: ds, source: parsedSource('root@web:/srv/') } as Job;
  const d = await diff(r.zfs, { job, stateDir: '/nonexistent', prefix: 'zbk', from: '2026-10-01T12:00:00Z', to });
  t.is(d.method, 'zfs diff');
  t.deepEqual(d.from, { snapshot: from, instant: new Date('2026-10-01T12:00:00Z') });
  const by = Object.fromEntries(d.changes.map((c) => [c.path, [c.change, c.size]]));
  t.deepEqual(by['/srv/gone'], ['removed', 4], 'a removed file\'s size is FROM\'s');
  t.deepEqual(by['/srv/etc/rc.conf'], ['modified', 12]);
  t.deepEqual(by['/srv/new'], ['added', null], 'a directory has no size');
  t.deepEqual(by['/srv/new/sub/f'], ['added', 4]);
  t.deepEqual(by['/srv/www/odd name\nwith newline'], ['added', null], 'not in the test\'s tree: no size');
  t.is(d.changes.length, 15);
});

test('zfs-fuse: no zfs diff, so an itemized rsync dry run between two clone views; TO defaults to the live dataset', async (t) => {
  const base = await mkdtemp(join(tmpdir(), 'zbk-diff-'));
  const state = join(base, 'state');
  const live = join(base, 'mnt');
  await mkdir(state, { mode: 0o700 });
  const ds = 'zbkt_cap/a';
  const pid = process.pid;
  const [from, to] = ['zbk_2026-11-20T030000Z', 'zbk_2026-11-21T030000Z'];
  const view = (n: string) => join(state, 'views', String(pid), n);
  await tree(view(from), { gone: 'bye\n', 'etc/rc.conf': 'hostname=a\n', same: 'same\n' });
  await tree(view(to), { 'etc/rc.conf': 'hostname=bb\n', 'new/sub/f': 'new\n', same: 'same\n' });
  await tree(live, { same: 'same\n' });
  const clone = (n: string) => exchange(`zfs clone -o readonly=on -o mountpoint=${view(n)} -o zbk:view=${pid} ${ds}@${n} ${ds}/zbk-view-${pid}-${n}`);
  const destroy = (n: string) => exchange(`zfs destroy -f ${ds}/zbk-view-${pid}-${n}`);
  const job = { name: 'local', dataset: ds, source: parsedSource('/data/') } as Job;
  const r = replay(t, `${R}legacy-probe.txt`, `${R}legacy-list-nightly.txt`, [mounted(ds, live), noViews(ds), clone(from), clone(to), destroy(from), destroy(to), noViews(ds)]);
  // rsync compares times too: the trees were written just now, in the same second; same's copies get one mtime.
  const d = await diff(r.zfs, { job, stateDir: state, prefix: 'zbk', from, to });
  t.is(d.method, 'rsync');
  const rows = d.changes.map((c) => [c.path, c.change, c.size]);
  t.deepEqual(rows.filter(([p]) => p !== '/data/same'), [
    ['/data/etc/rc.conf', 'modified', 12],
    ['/data/gone', 'removed', 4],
    ['/data/new', 'added', null],
    ['/data/new/sub', 'added', null],
    ['/data/new/sub/f', 'added', 4],
  ]);
  const r2 = replay(t, `${R}legacy-probe.txt`, `${R}legacy-list-nightly.txt`, [mounted(ds, live), noViews(ds), clone(to), destroy(to), noViews(ds)]);
  const toLive = await diff(r2.zfs, { job, stateDir: state, prefix: 'zbk', from: to, to: null });
  t.is(toLive.to, null);
  t.deepEqual(toLive.changes.filter((c) => c.path !== '/data/same').map((c) => [c.path, c.change]), [
    ['/data/etc', 'removed'], ['/data/etc/rc.conf', 'removed'], ['/data/new', 'removed'], ['/data/new/sub', 'removed'], ['/data/new/sub/f', 'removed'],
  ]);
});

test('FROM or TO that names no snapshot: refused before any view', async (t) => {
  const r = replay(t, `${R}openzfs-probe.txt`, `${R}openzfs-list-october.txt`);
  const job = { name: 'web', dataset: 'tank/backup/usa-vds', source: parsedSource('root@web:/srv/') } as Job;
  await t.throwsAsync(diff(r.zfs, { job, stateDir: '/x', prefix: 'zbk', from: '2020-01-01T00:00:00Z', to: null }), {
    instanceOf: Refused, message: /diff: FROM: no zbk_ snapshot at or before 2020-01-01T00:00:00Z/,
  });
});
